import { randomBytes, randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../template.ts";
import {
  type EngineDefinition,
  forLocalEngine,
  KEEP_WAITING,
  LOCAL_WAIT_RESOURCE,
  type MachineDefinition,
  RUNNER_FIELDS,
  RUNNER_HANDBACK_MS,
  type StateDefinition,
  statesOf,
  waitMilliseconds,
} from "./definition.ts";
import { ServiceError } from "./errors.ts";
import { ExecutionHistory, TaskCall } from "./history.ts";
import { longSleep } from "./long-timer.ts";

/** Runs one catalog function in process, as Lambda would invoke it. */
export type InvokeFunction = (functionArn: string, payload: unknown) => Promise<unknown>;

/** What the runner knows of one execution; the status page and the API read it. */
export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Names of the states entered, newest last. */
  states: string[];
  /** The events GetExecutionHistory returns. */
  history: ExecutionHistory;
}

/** What DescribeStateMachine tells of a state machine besides its definition, as the template declares it. */
export interface StateMachineProps {
  roleArn?: string;
  /** The template's LoggingConfiguration, in the API's shape. */
  loggingConfiguration?: { level?: string; includeExecutionData?: boolean; destinations?: unknown[] };
  tracingConfiguration?: { enabled?: boolean };
}

/** A registered state machine: the definition as synthesized, and as the engine runs it. */
export interface LocalStateMachine extends StateMachineProps {
  arn: string;
  name: string;
  /** The synthesized definition, as DescribeStateMachine returns it. */
  definitionString: string;
  engine: EngineDefinition;
  states: ReadonlyMap<string, StateDefinition>;
  creationDate: Date;
}

interface PendingTask {
  executionArn: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/**
 * aws-local-stepfunctions has no `$$.Task.Token`: the runner puts this placeholder in the context object, and a
 * waitForTaskToken task swaps it in its payload for a fresh token of its own before calling the handler.
 */
const TASK_TOKEN_PLACEHOLDER = "local-task-token-placeholder";

function replacePlaceholder(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => replacePlaceholder(item, token));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, token)]));
  return value;
}

function statesTimeout(): Error {
  return Object.assign(new Error("Task timed out"), { name: "States.Timeout" });
}

/**
 * The local Step Functions: runs synthesized definitions on aws-local-stepfunctions, every Task state mapped to a
 * catalog handler in process, task tokens supplied by the runner, long timeouts and waits timed by it. The API
 * (step-functions/api.ts) serves it to the SDK clients of the handlers, the CLI and anyone else.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly ended = new Map<
    string,
    { promise: Promise<LocalExecution>; resolve(execution: LocalExecution): void }
  >();
  private readonly pending = new Map<string, PendingTask>();
  private readonly aborts = new Map<string, AbortController>();
  private readonly timedOut = new Set<string>();
  private readonly calls = new Map<string, Promise<unknown>>();

  constructor(private readonly invoke: InvokeFunction) {}

  /** Registers a state machine under its local ARN. */
  addStateMachine(arn: string, name: string, definition: MachineDefinition, props: StateMachineProps = {}): void {
    this.machines.set(arn, {
      arn,
      name,
      definitionString: JSON.stringify(definition),
      engine: forLocalEngine(definition),
      states: new Map(statesOf(definition.States)),
      creationDate: new Date(),
      ...props,
    });
  }

  /** The registered state machines, in the order they were added. */
  stateMachines(): LocalStateMachine[] {
    return [...this.machines.values()];
  }

  /** A registered state machine; StateMachineDoesNotExist otherwise, as on AWS. */
  stateMachine(arn: string): LocalStateMachine {
    const machine = this.machines.get(arn);
    if (!machine) throw new ServiceError("StateMachineDoesNotExist", `State machine does not exist: ${arn}`);
    return machine;
  }

  /** An execution by ARN; ExecutionDoesNotExist otherwise, as on AWS. */
  execution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new ServiceError("ExecutionDoesNotExist", `Execution does not exist: ${executionArn}`);
    return execution;
  }

  /** The execution of that name of a state machine, if one was started. */
  findExecution(stateMachineArn: string, name: string): LocalExecution | undefined {
    return [...this.executions.values()].find(
      (execution) => execution.stateMachineArn === stateMachineArn && execution.name === name,
    );
  }

  /** Executions, newest first. */
  listExecutions(): LocalExecution[] {
    return [...this.executions.values()].sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Starts an execution; a name already used is refused, as on AWS. */
  startExecution(stateMachineArn: string, input: unknown, name: string = randomUUID()): LocalExecution {
    const machine = this.stateMachine(stateMachineArn);
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine.name}:${name}`;
    // As on AWS, a name is taken for good once used (AWS keeps it 90 days after the execution ends).
    if (this.executions.has(executionArn))
      throw new ServiceError("ExecutionAlreadyExists", `Execution already exists: ${executionArn}`);
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn,
      name,
      status: "RUNNING",
      startDate: new Date(),
      input: JSON.stringify(input ?? {}),
      states: [],
      history: new ExecutionHistory(machine.states, machine.engine.synthesizedTypes, machine.roleArn ?? ""),
    };
    this.executions.set(executionArn, execution);
    let resolveEnded: (ended: LocalExecution) => void = () => {};
    const ended = new Promise<LocalExecution>((resolve) => {
      resolveEnded = resolve;
    });
    this.ended.set(executionArn, { promise: ended, resolve: resolveEnded });
    const abort = new AbortController();
    this.aborts.set(executionArn, abort);
    const definition = machine.engine.definition;
    const stateMachine = new StateMachine(definition as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const overrides = Object.fromEntries(
      statesOf(definition.States)
        .filter(([, state]) => state.Type === "Task")
        .map(([stateName, state]) => [
          stateName,
          (taskInput: unknown) => this.runTask(execution, stateName, state, taskInput, abort.signal) as Promise<never>,
        ]),
    );
    const run = stateMachine.run(input as never, {
      noThrowOnAbort: true,
      overrides: { taskResourceLocalHandlers: overrides },
      context: {
        Execution: {
          Id: executionArn,
          Input: input as never,
          Name: name,
          StartTime: execution.startDate.toISOString(),
        },
        StateMachine: { Id: stateMachineArn, Name: machine.name },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    abort.signal.addEventListener("abort", () => run.abort(), { once: true });
    void this.followEvents(execution, run.eventLogs);
    run.result.then(
      (output) =>
        this.finish(
          execution,
          execution.status === "ABORTED" ? {} : { status: "SUCCEEDED", output: JSON.stringify(output) },
        ),
      (error: Error) => this.finish(execution, { status: "FAILED", error: error.name, cause: error.message }),
    );
    return execution;
  }

  private async followEvents(execution: LocalExecution, events: ReturnType<StateMachine["run"]>["eventLogs"]) {
    try {
      for await (const event of events) {
        execution.history.record(event);
        if (event.type === "StateEntered") execution.states.push(event.state.name);
      }
    } catch {
      // The log ends with the execution; its failure is recorded from the result.
    }
  }

  private finish(execution: LocalExecution, outcome: Partial<LocalExecution>): void {
    Object.assign(execution, outcome, { stopDate: execution.stopDate ?? new Date() });
    this.aborts.delete(execution.executionArn);
    for (const key of this.calls.keys()) if (key.startsWith(`${execution.executionArn}\n`)) this.calls.delete(key);
    for (const [token, task] of this.pending)
      if (task.executionArn === execution.executionArn) this.pending.delete(token);
    this.ended.get(execution.executionArn)?.resolve(execution);
  }

  /**
   * The engine's handler of a Task state. A call the engine makes again after a KEEP_WAITING hand-back (same state,
   * same input) gets the call already running; a fresh one starts. Two Map iterations of one state with the very
   * same input would share a call; the workflows' iterations always differ (each carries its institution).
   */
  private async runTask(
    execution: LocalExecution,
    stateName: string,
    state: StateDefinition,
    rawInput: unknown,
    aborted: AbortSignal,
  ): Promise<unknown> {
    const key = `${execution.executionArn}\n${stateName}\n${JSON.stringify(rawInput)}`;
    let call = this.calls.get(key);
    if (!call) {
      call = this.startCall(execution, stateName, state, rawInput as Record<string, unknown>, aborted);
      this.calls.set(key, call);
    }
    const handedBack = new AbortController();
    try {
      const handBack = await Promise.race([
        call.then(
          () => false,
          () => false,
        ),
        longSleep(RUNNER_HANDBACK_MS, AbortSignal.any([handedBack.signal, aborted])),
      ]);
      if (handBack) throw Object.assign(new Error("The runner still runs this task"), { name: KEEP_WAITING });
      this.calls.delete(key);
      return await call;
    } finally {
      handedBack.abort();
    }
  }

  private async startCall(
    execution: LocalExecution,
    stateName: string,
    state: StateDefinition,
    rawInput: Record<string, unknown>,
    aborted: AbortSignal,
  ): Promise<unknown> {
    const { [RUNNER_FIELDS.timeoutSeconds]: timeoutSeconds, ...taskInput } = rawInput;
    const resource = state.Resource ?? "";
    if (resource === LOCAL_WAIT_RESOURCE) {
      await longSleep(waitMilliseconds(taskInput, Date.now()), aborted);
      return {};
    }
    const call = new TaskCall(stateName, resource, LOCAL_REGION);
    execution.history.addTaskCall(call);
    const timeout = typeof timeoutSeconds === "number" ? timeoutSeconds : undefined;
    const parked: { token?: string } = {};
    const finished = new AbortController();
    const work = this.invokeTask(execution, call, resource, taskInput, parked, timeout);
    const timer =
      timeout === undefined
        ? work
        : longSleep(timeout * 1000, finished.signal).then((elapsed) => {
            if (elapsed) throw statesTimeout();
          });
    try {
      const output = await Promise.race([work, timer]);
      call.succeeded(output);
      return output;
    } catch (error) {
      // A task that timed out no longer takes callbacks: SendTaskSuccess then fails with TaskTimedOut, as on AWS.
      if ((error as Error).name === "States.Timeout" && parked.token) {
        this.pending.delete(parked.token);
        this.timedOut.add(parked.token);
      }
      call.failed(error as Error);
      throw error;
    } finally {
      finished.abort();
    }
  }

  private async invokeTask(
    execution: LocalExecution,
    call: TaskCall,
    resource: string,
    taskInput: Record<string, unknown>,
    parked: { token?: string },
    timeoutInSeconds: number | undefined,
  ): Promise<unknown> {
    if (resource.startsWith("arn:aws:lambda:")) {
      call.scheduled(taskInput, timeoutInSeconds);
      return this.invoke(resource, taskInput);
    }
    if (!resource.includes(":states:::lambda:invoke"))
      throw new Error(`The local runner only runs Lambda tasks; ${call.stateName} uses ${resource}`);
    const parameters = taskInput as { FunctionName: string; Payload?: unknown };
    if (!resource.endsWith(".waitForTaskToken")) {
      call.scheduled(parameters, timeoutInSeconds);
      return lambdaResult(await this.invoke(parameters.FunctionName, parameters.Payload));
    }
    const token = randomBytes(48).toString("base64url");
    parked.token = token;
    const payload = replacePlaceholder(parameters.Payload, token);
    call.scheduled({ ...parameters, Payload: payload }, timeoutInSeconds);
    const answer = new Promise((resolve, reject) =>
      this.pending.set(token, { executionArn: execution.executionArn, resolve, reject }),
    );
    try {
      call.submitted(lambdaResult(await this.invoke(parameters.FunctionName, payload)));
    } catch (error) {
      this.pending.delete(token);
      throw error;
    }
    return answer;
  }

  /** Resumes a waiting task with its output. */
  sendTaskSuccess(taskToken: string, output: string): void {
    this.takeTask(taskToken).resolve(JSON.parse(output));
  }

  /** Fails a waiting task with an error name and cause. */
  sendTaskFailure(taskToken: string, error = "TaskFailed", cause = ""): void {
    this.takeTask(taskToken).reject(Object.assign(new Error(cause), { name: error }));
  }

  /** Accepts a heartbeat for a task that still waits, and refuses one for a task that does not. */
  sendTaskHeartbeat(taskToken: string): void {
    if (this.timedOut.has(taskToken)) throw new ServiceError("TaskTimedOut", "Task timed out");
    if (!this.pending.has(taskToken)) throw new ServiceError("TaskDoesNotExist", "Task does not exist");
  }

  private takeTask(taskToken: string): PendingTask {
    const task = this.pending.get(taskToken);
    if (!task && this.timedOut.has(taskToken)) throw new ServiceError("TaskTimedOut", "Task timed out");
    if (!task) throw new ServiceError("TaskDoesNotExist", "Task does not exist or has already ended");
    this.pending.delete(taskToken);
    return task;
  }

  /** How many tasks wait for a callback now. */
  pendingTaskCount(): number {
    return this.pending.size;
  }

  /** Resolves when an execution ends; rejects after `timeoutMs` if it has not. */
  async waitForExecution(executionArn: string, timeoutMs = 60_000): Promise<LocalExecution> {
    const ended = this.ended.get(executionArn);
    if (!ended) throw new ServiceError("ExecutionDoesNotExist", `Execution does not exist: ${executionArn}`);
    const gaveUp = new AbortController();
    const timeout = longSleep(timeoutMs, gaveUp.signal).then((elapsed) => {
      if (elapsed) throw new Error(`Execution ${executionArn} still running after ${timeoutMs} ms`);
      return this.execution(executionArn);
    });
    try {
      return await Promise.race([ended.promise, timeout]);
    } finally {
      gaveUp.abort();
    }
  }

  /**
   * Aborts running executions where they stand, as a stopped machine would: nothing after the stop runs (no round
   * is closed by it), and a restart resumes open rounds from the table.
   */
  abortAll(): void {
    for (const [executionArn, abort] of this.aborts) {
      const execution = this.executions.get(executionArn);
      if (execution) Object.assign(execution, { status: "ABORTED", stopDate: new Date() });
      abort.abort();
      if (execution) this.ended.get(executionArn)?.resolve(execution);
    }
    this.aborts.clear();
    this.pending.clear();
    this.calls.clear();
  }
}

/** What the Lambda integration returns for a synchronous invoke. */
function lambdaResult(payload: unknown) {
  return { Payload: payload, StatusCode: 200, ExecutedVersion: "$LATEST" };
}
