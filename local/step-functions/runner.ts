import { randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../template.ts";
import {
  type EngineDefinition,
  forLocalEngine,
  type MachineDefinition,
  type StateDefinition,
  statesOf,
} from "./definition.ts";
import { ServiceError } from "./errors.ts";
import { type EngineEvent, ExecutionHistory } from "./history.ts";
import { longSleep } from "./long-timer.ts";
import { historyFailure, payloadFailure, type QuotaFailure } from "./quotas.ts";
import { type InvokeFunction, LocalTasks, TASK_TOKEN_PLACEHOLDER } from "./tasks.ts";

export type { InvokeFunction } from "./tasks.ts";

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
  private readonly aborts = new Map<string, AbortController>();
  private readonly failedOnQuota = new Set<string>();
  private readonly tasks: LocalTasks;

  constructor(invoke: InvokeFunction) {
    this.tasks = new LocalTasks(invoke);
  }

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
    // AWS's naming rules for executions: 1–80 characters, none of the characters it names as invalid.
    const hasControlCharacter = [...name].some((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || (code >= 0x7f && code <= 0x9f);
    });
    if (name.length < 1 || name.length > 80 || hasControlCharacter || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name))
      throw new ServiceError("InvalidName", `Invalid Execution Name: '${name}'`);
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
          (taskInput: unknown) =>
            this.tasks.run(execution, stateName, state, taskInput, abort.signal) as Promise<never>,
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
    const following = this.followEvents(execution, run.eventLogs);
    // An execution is reported ended once its history is complete, as on AWS (the engine's log trails its result,
    // and a quota can still fail the execution on the last events). The log ends with the run; the cap is a guard.
    const logged = () => Promise.race([following, longSleep(5_000, abort.signal)]);
    run.result
      .then(logged, logged)
      .then(() => run.result)
      .then(
        (output) =>
          this.finish(
            execution,
            // Aborted, or failed on a quota: the engine's own end (it was aborted) changes nothing.
            execution.status !== "RUNNING" ? {} : { status: "SUCCEEDED", output: JSON.stringify(output) },
          ),
        (error: Error) =>
          this.finish(
            execution,
            execution.status !== "RUNNING" ? {} : { status: "FAILED", error: error.name, cause: error.message },
          ),
      );
    return execution;
  }

  private async followEvents(execution: LocalExecution, events: ReturnType<StateMachine["run"]>["eventLogs"]) {
    try {
      for await (const event of events) {
        // After a quota failure the engine only winds down (it was aborted); AWS's history ends at the failure.
        if (this.failedOnQuota.has(execution.executionArn)) continue;
        execution.history.record(event);
        if (event.type === "StateEntered") execution.states.push(event.state.name);
        const overQuota = payloadFailure(event) ?? historyFailure(execution.history.events.length);
        if (overQuota && execution.status === "RUNNING") this.failOnQuota(execution, overQuota);
      }
    } catch {
      // The log ends with the execution; its failure is recorded from the result.
    }
  }

  /** Ends an execution that passed a Step Functions quota, failed as AWS fails it, where it stands. */
  private failOnQuota(execution: LocalExecution, failure: QuotaFailure): void {
    this.failedOnQuota.add(execution.executionArn);
    Object.assign(execution, { status: "FAILED", error: failure.error, cause: failure.cause });
    execution.history.record({
      type: "ExecutionFailed",
      timestamp: Date.now(),
      Error: failure.error,
      Cause: failure.cause,
    } as EngineEvent);
    this.aborts.get(execution.executionArn)?.abort();
  }

  private finish(execution: LocalExecution, outcome: Partial<LocalExecution>): void {
    Object.assign(execution, outcome, { stopDate: execution.stopDate ?? new Date() });
    this.aborts.delete(execution.executionArn);
    this.tasks.forget(execution.executionArn);
    this.ended.get(execution.executionArn)?.resolve(execution);
  }

  /** Resumes a waiting task with its output. */
  sendTaskSuccess(taskToken: string, output: string): void {
    this.tasks.sendTaskSuccess(taskToken, output);
  }

  /** Fails a waiting task with an error name and cause. */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.tasks.sendTaskFailure(taskToken, error, cause);
  }

  /** Accepts a heartbeat for a task that still waits, and refuses one for a task that does not. */
  sendTaskHeartbeat(taskToken: string): void {
    this.tasks.sendTaskHeartbeat(taskToken);
  }

  /** How many tasks wait for a callback now. */
  pendingTaskCount(): number {
    return this.tasks.pendingTaskCount();
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
    this.tasks.clear();
  }
}
