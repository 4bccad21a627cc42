import { randomBytes } from "node:crypto";
import { LOCAL_REGION } from "../template.ts";
import {
  KEEP_WAITING,
  LOCAL_WAIT_RESOURCE,
  RUNNER_FIELDS,
  RUNNER_HANDBACK_MS,
  type StateDefinition,
  waitMilliseconds,
} from "./definition.ts";
import { ServiceError } from "./errors.ts";
import { type ExecutionHistory, TaskCall } from "./history.ts";
import { longSleep } from "./long-timer.ts";

/** Runs one catalog function in process, as Lambda would invoke it. */
export type InvokeFunction = (functionArn: string, payload: unknown) => Promise<unknown>;

/** What a task call needs of its execution. */
interface CallingExecution {
  executionArn: string;
  history: ExecutionHistory;
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
export const TASK_TOKEN_PLACEHOLDER = "local-task-token-placeholder";

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
 * The Task states of the running executions, as the runner calls them: each Lambda task calls its catalog function
 * in process, each callback task parks a token of the runner's until SendTaskSuccess or SendTaskFailure, each
 * timeout and wait is timed by the runner's chained timer, and each call is recorded in its execution's history.
 */
export class LocalTasks {
  private readonly pending = new Map<string, PendingTask>();
  private readonly timedOut = new Set<string>();
  private readonly calls = new Map<string, Promise<unknown>>();

  constructor(private readonly invoke: InvokeFunction) {}

  /**
   * The engine's handler of a Task state. A call the engine makes again after a KEEP_WAITING hand-back (same state,
   * same input) gets the call already running; a fresh one starts. Two Map iterations of one state with the very
   * same input would share a call; the workflows' iterations always differ (each carries its institution).
   */
  async run(
    execution: CallingExecution,
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
    execution: CallingExecution,
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
    execution: CallingExecution,
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

  /** Forgets the calls and tokens of an execution that ended: its tokens are refused from now on. */
  forget(executionArn: string): void {
    for (const key of this.calls.keys()) if (key.startsWith(`${executionArn}\n`)) this.calls.delete(key);
    for (const [token, task] of this.pending) if (task.executionArn === executionArn) this.pending.delete(token);
  }

  /** Forgets every call and token (every execution was aborted). */
  clear(): void {
    this.pending.clear();
    this.calls.clear();
  }
}

/** What the Lambda integration returns for a synchronous invoke. */
function lambdaResult(payload: unknown) {
  return { Payload: payload, StatusCode: 200, ExecutedVersion: "$LATEST" };
}
