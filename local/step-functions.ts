import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StateMachine } from "aws-local-stepfunctions";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./template.ts";

/** Runs one catalog function in process, as Lambda would invoke it. */
export type InvokeFunction = (functionArn: string, payload: unknown) => Promise<unknown>;

/** What the runner knows of one execution; the status page and DescribeExecution read it. */
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
}

interface PendingTask {
  executionArn: string;
  stateName: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/**
 * aws-local-stepfunctions has no `$$.Task.Token`: the runner puts this placeholder in the context object, and a
 * waitForTaskToken task swaps it in its payload for a fresh token of its own before calling the handler.
 */
const TASK_TOKEN_PLACEHOLDER = "local-task-token-placeholder";

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); longer ones fire at once, so the runner chains them. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Rejects with `States.Timeout` after `ms`, however long, unless `cancelled` settles first. */
function timeoutAfter(ms: number, cancelled: Promise<unknown>): Promise<never> {
  return new Promise((_, reject) => {
    let timer: NodeJS.Timeout;
    const arm = (remaining: number) => {
      timer = setTimeout(
        () => {
          if (remaining > MAX_TIMER_MS) arm(remaining - MAX_TIMER_MS);
          else reject(Object.assign(new Error("Task timed out"), { name: "States.Timeout" }));
        },
        Math.min(remaining, MAX_TIMER_MS),
      );
      timer.unref?.();
    };
    arm(ms);
    cancelled.finally(() => clearTimeout(timer)).catch(() => {});
  });
}

/** Where the runner carries a task's timeout, evaluated by the engine from the same path as TimeoutSecondsPath. */
const LOCAL_TIMEOUT_FIELD = "__localTimeoutSeconds";

/** The resource of a Wait state the runner times itself. */
const LOCAL_WAIT_RESOURCE = "local:wait";
const LOCAL_WAIT_UNTIL_FIELD = "__localWaitUntil";
const LOCAL_WAIT_SECONDS_FIELD = "__localWaitSeconds";

/** A state definition, as much as the runner reads of it. */
interface StateDefinition {
  Type: string;
  Timestamp?: string;
  TimestampPath?: string;
  Seconds?: number;
  SecondsPath?: string;
  ResultPath?: string | null;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Parameters?: Record<string, unknown>;
  ItemProcessor?: { States: Record<string, StateDefinition> };
  Iterator?: { States: Record<string, StateDefinition> };
  Branches?: Array<{ States: Record<string, StateDefinition> }>;
}

function taskStates(states: Record<string, StateDefinition>): Array<[string, StateDefinition]> {
  return Object.entries(states).flatMap(([name, state]) => {
    const nested = [
      ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
      ...(state.Iterator ? taskStates(state.Iterator.States) : []),
      ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
    ];
    return state.Type === "Task" ? [[name, state] as [string, StateDefinition], ...nested] : nested;
  });
}

/**
 * The engine times tasks and executions with one Node timer each, which fires at once past 24.8 days: a round
 * whose deadline is two months away would time out immediately. So, for the engine only, a task's timeout moves
 * into its Parameters (same path, evaluated on the same input) and the runner enforces it with a chained timer;
 * a Wait state likewise becomes a task of the runner's that sleeps until the same time;
 * an execution timeout too long for one timer is left to the runner's stop. Everything else is the definition as
 * synthesized.
 */
function withRunnerTimeouts(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(definition) as { TimeoutSeconds?: number; States: Record<string, StateDefinition> };
  if ((copy.TimeoutSeconds ?? 0) * 1000 > MAX_TIMER_MS) delete copy.TimeoutSeconds;
  for (const state of allStates(copy.States)) if (state.Type === "Wait") waitAsRunnerTask(state);
  for (const [, state] of taskStates(copy.States)) {
    if (state.TimeoutSecondsPath) {
      state.Parameters = { ...state.Parameters, [`${LOCAL_TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath };
      delete state.TimeoutSecondsPath;
    } else if (state.TimeoutSeconds !== undefined) {
      state.Parameters = { ...state.Parameters, [LOCAL_TIMEOUT_FIELD]: state.TimeoutSeconds };
    }
    // Give the engine's own timer a value it can hold; the runner's is the one that counts.
    state.TimeoutSeconds = Math.floor(MAX_TIMER_MS / 1000);
  }
  return copy;
}

function allStates(states: Record<string, StateDefinition>): StateDefinition[] {
  return Object.values(states).flatMap((state) => [
    state,
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
    ...(state.Iterator ? allStates(state.Iterator.States) : []),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

/** A Wait state becomes a task of the runner's, which sleeps with chained timers (same path, same input). */
function waitAsRunnerTask(state: StateDefinition): void {
  const parameters: Record<string, unknown> = {};
  if (state.TimestampPath) parameters[`${LOCAL_WAIT_UNTIL_FIELD}.$`] = state.TimestampPath;
  else if (state.Timestamp) parameters[LOCAL_WAIT_UNTIL_FIELD] = state.Timestamp;
  else if (state.SecondsPath) parameters[`${LOCAL_WAIT_SECONDS_FIELD}.$`] = state.SecondsPath;
  else parameters[LOCAL_WAIT_SECONDS_FIELD] = state.Seconds ?? 0;
  for (const field of ["Timestamp", "TimestampPath", "Seconds", "SecondsPath"] as const) delete state[field];
  Object.assign(state, { Type: "Task", Resource: LOCAL_WAIT_RESOURCE, Parameters: parameters, ResultPath: null });
}

/** Resolves after `ms`, however long, with chained timers. */
function sleepLong(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const arm = (remaining: number) => {
      setTimeout(
        () => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : resolve()),
        Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
      ).unref?.();
    };
    arm(ms);
  });
}

function replacePlaceholder(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => replacePlaceholder(item, token));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, token)]));
  return value;
}

/**
 * The local Step Functions: runs synthesized definitions on aws-local-stepfunctions, every Task state mapped to a
 * catalog handler in process, and answers the Step Functions API (StartExecution, DescribeExecution,
 * ListExecutions, SendTaskSuccess/Failure/Heartbeat) on an HTTP endpoint, so handlers and the CLI reach it
 * through the ordinary SDK client and AWS_ENDPOINT_URL_SFN.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, { name: string; definition: Record<string, unknown> }>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly aborts = new Map<string, () => void>();
  private readonly timedOut = new Set<string>();
  private server?: Server;

  constructor(private readonly invoke: InvokeFunction) {}

  /** Registers a state machine under its local ARN. */
  addStateMachine(arn: string, name: string, definition: Record<string, unknown>): void {
    this.machines.set(arn, { name, definition: withRunnerTimeouts(definition) });
  }

  /** The registered state machines. */
  stateMachines(): Array<{ arn: string; name: string }> {
    return [...this.machines].map(([arn, machine]) => ({ arn, name: machine.name }));
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

  /** Starts an execution; a running execution of the same name is refused, as on AWS. */
  startExecution(stateMachineArn: string, input: unknown, name: string = randomUUID()): LocalExecution {
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new ServiceError("StateMachineDoesNotExist", `State machine does not exist: ${stateMachineArn}`);
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
    };
    this.executions.set(executionArn, execution);
    const stateMachine = new StateMachine(machine.definition as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const overrides = Object.fromEntries(
      taskStates(machine.definition.States as Record<string, StateDefinition>).map(([stateName, state]) => [
        stateName,
        (taskInput: unknown) => this.runTask(execution, stateName, state, taskInput) as Promise<never>,
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
    void this.followEvents(execution, run.eventLogs);
    this.aborts.set(executionArn, run.abort);
    run.result.then(
      (output) =>
        this.finish(
          execution,
          execution.status === "ABORTED" ? {} : { status: "SUCCEEDED", output: JSON.stringify(output) },
        ),
      (error: Error & { cause?: unknown }) =>
        this.finish(execution, {
          status: "FAILED",
          error: error.name,
          cause: error.message,
        }),
    );
    return execution;
  }

  private async followEvents(
    execution: LocalExecution,
    events: AsyncGenerator<{ type: string; state?: { name: string } }>,
  ) {
    try {
      for await (const event of events)
        if (event.type === "StateEntered" && event.state) execution.states.push(event.state.name);
    } catch {
      // The log ends with the execution; its failure is recorded from the result.
    }
  }

  private finish(execution: LocalExecution, outcome: Partial<LocalExecution>): void {
    Object.assign(execution, outcome, { stopDate: execution.stopDate ?? new Date() });
    this.aborts.delete(execution.executionArn);
    for (const [token, task] of this.pending)
      if (task.executionArn === execution.executionArn) this.pending.delete(token);
  }

  private async runTask(execution: LocalExecution, stateName: string, state: StateDefinition, rawInput: unknown) {
    const { [LOCAL_TIMEOUT_FIELD]: timeoutSeconds, ...taskInput } = rawInput as Record<string, unknown>;
    const parked: { token?: string } = {};
    const work = this.invokeTask(execution, stateName, state, taskInput, parked);
    if (typeof timeoutSeconds !== "number") return work;
    return Promise.race([work, timeoutAfter(timeoutSeconds * 1000, work)]).catch((error: Error) => {
      // A task that timed out no longer takes callbacks: SendTaskSuccess then fails with TaskTimedOut, as on AWS.
      if (error.name === "States.Timeout" && parked.token) {
        this.pending.delete(parked.token);
        this.timedOut.add(parked.token);
      }
      throw error;
    });
  }

  private async invokeTask(
    execution: LocalExecution,
    stateName: string,
    state: StateDefinition,
    taskInput: unknown,
    parked: { token?: string },
  ) {
    const resource = state.Resource ?? "";
    if (resource === LOCAL_WAIT_RESOURCE) {
      const wait = taskInput as Record<string, unknown>;
      const until = wait[LOCAL_WAIT_UNTIL_FIELD];
      await sleepLong(
        typeof until === "string" ? Date.parse(until) - Date.now() : Number(wait[LOCAL_WAIT_SECONDS_FIELD]) * 1000,
      );
      return {};
    }
    if (resource.includes(":states:::lambda:invoke")) {
      const parameters = taskInput as { FunctionName: string; Payload?: unknown };
      if (resource.endsWith(".waitForTaskToken")) {
        const token = randomBytes(48).toString("base64url");
        parked.token = token;
        const answer = new Promise((resolve, reject) =>
          this.pending.set(token, { executionArn: execution.executionArn, stateName, resolve, reject }),
        );
        try {
          await this.invoke(parameters.FunctionName, replacePlaceholder(parameters.Payload, token));
        } catch (error) {
          this.pending.delete(token);
          throw error;
        }
        return answer;
      }
      const payload = await this.invoke(parameters.FunctionName, parameters.Payload);
      return { Payload: payload, StatusCode: 200, ExecutedVersion: "$LATEST" };
    }
    if (resource.startsWith("arn:aws:lambda:")) return this.invoke(resource, taskInput);
    throw new Error(`The local runner only runs Lambda tasks; ${stateName} uses ${resource}`);
  }

  /** Resumes a waiting task with its output. */
  sendTaskSuccess(taskToken: string, output: string): void {
    const task = this.takeTask(taskToken);
    task.resolve(JSON.parse(output));
  }

  /** Fails a waiting task with an error name and cause. */
  sendTaskFailure(taskToken: string, error = "TaskFailed", cause = ""): void {
    const task = this.takeTask(taskToken);
    const failure = new Error(cause);
    failure.name = error;
    task.reject(failure);
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

  /** Waits until an execution ends; for tests and the CLI's `--wait`. */
  async waitForExecution(executionArn: string, timeoutMs = 60_000): Promise<LocalExecution> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = this.executions.get(executionArn);
      if (!execution) throw new Error(`No execution ${executionArn}`);
      if (execution.status !== "RUNNING") return execution;
      if (Date.now() > deadline) throw new Error(`Execution ${executionArn} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private describe(execution: LocalExecution) {
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime() / 1000,
      stopDate: execution.stopDate ? execution.stopDate.getTime() / 1000 : undefined,
      input: execution.input,
      output: execution.output,
      error: execution.error,
      cause: execution.cause,
    };
  }

  private handleApi(action: string, body: Record<string, string>): unknown {
    switch (action) {
      case "StartExecution": {
        const execution = this.startExecution(body.stateMachineArn ?? "", JSON.parse(body.input ?? "{}"), body.name);
        return { executionArn: execution.executionArn, startDate: execution.startDate.getTime() / 1000 };
      }
      case "DescribeExecution": {
        const execution = this.executions.get(body.executionArn ?? "");
        if (!execution)
          throw new ServiceError("ExecutionDoesNotExist", `Execution does not exist: ${body.executionArn}`);
        return this.describe(execution);
      }
      case "ListExecutions":
        return {
          executions: this.listExecutions()
            .filter((execution) => !body.stateMachineArn || execution.stateMachineArn === body.stateMachineArn)
            .map((execution) => this.describe(execution)),
        };
      case "SendTaskSuccess":
        this.sendTaskSuccess(body.taskToken ?? "", body.output ?? "{}");
        return {};
      case "SendTaskFailure":
        this.sendTaskFailure(body.taskToken ?? "", body.error, body.cause);
        return {};
      case "SendTaskHeartbeat":
        if (!this.pending.has(body.taskToken ?? "")) throw new ServiceError("TaskDoesNotExist", "Task does not exist");
        return {};
      default:
        throw new ServiceError("UnknownOperationException", `The local Step Functions does not implement ${action}`);
    }
  }

  /** Serves the Step Functions JSON API on loopback; returns its endpoint. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const action = String(request.headers["x-amz-target"] ?? "").replace("AWSStepFunctions.", "");
    response.setHeader("content-type", "application/x-amz-json-1.0");
    try {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
      response.end(JSON.stringify(this.handleApi(action, body)));
    } catch (error) {
      const type = error instanceof ServiceError ? error.type : "InvalidParameterValue";
      response.statusCode = 400;
      response.end(
        JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message: (error as Error).message }),
      );
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
      abort();
    }
    this.aborts.clear();
    this.pending.clear();
  }

  /** Aborts every running execution and stops the endpoint. */
  async close(): Promise<void> {
    this.abortAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
