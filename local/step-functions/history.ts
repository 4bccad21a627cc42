import type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
import type { StateMachine } from "aws-local-stepfunctions";
import { KEEP_WAITING, type StateDefinition } from "./definition.ts";

/** One entry of the engine's event log (the package does not export the type). */
export type EngineEvent = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** A history event as the Step Functions JSON API sends it: AWS's shape, with the time in epoch seconds. */
export type WireHistoryEvent = Omit<HistoryEvent, "timestamp"> & { timestamp: number };

/** The details of a history event, keyed as AWS keys them (`taskScheduledEventDetails`, …). */
type Details = Partial<Omit<HistoryEvent, "timestamp" | "type" | "id" | "previousEventId">>;

/**
 * One call of a Task state by the runner, with the events AWS records for it: the Lambda integration's Task*
 * events, or the LambdaFunction* events of a function called by its ARN. The engine calls the task in the same
 * turn as it enters (or retries) the state, but its log reaches the history a few turns later; so the call's events
 * wait here until the history sees that entry, and go straight into the history after that.
 */
export class TaskCall {
  private pending: Array<{ type: HistoryEventType; details: Details; at: number }> = [];
  private sink?: (type: HistoryEventType, details: Details, at: number) => void;
  private readonly integration?: { resourceType: string; resource: string };

  constructor(
    readonly stateName: string,
    private readonly resource: string,
    private readonly region: string,
  ) {
    const match = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource);
    if (match) this.integration = { resourceType: match[1] ?? "", resource: match[2] ?? "" };
  }

  /** The task is handed its input. */
  scheduled(parameters: unknown, timeoutInSeconds: number | undefined): void {
    if (this.integration)
      this.record("TaskScheduled", {
        taskScheduledEventDetails: {
          ...this.integration,
          region: this.region,
          parameters: JSON.stringify(parameters),
          timeoutInSeconds,
        },
      });
    else
      this.record("LambdaFunctionScheduled", {
        lambdaFunctionScheduledEventDetails: {
          resource: this.resource,
          input: JSON.stringify(parameters),
          inputDetails: { truncated: false },
          timeoutInSeconds,
        },
      });
    if (this.integration) this.record("TaskStarted", { taskStartedEventDetails: { ...this.integration } });
    else this.record("LambdaFunctionStarted", {});
  }

  /** A callback task's function returned; the task now waits for its token. */
  submitted(output: unknown): void {
    if (this.integration)
      this.record("TaskSubmitted", {
        taskSubmittedEventDetails: { ...this.integration, output: JSON.stringify(output) },
      });
  }

  /** The task ended with this output. */
  succeeded(output: unknown): void {
    const details = { output: JSON.stringify(output), outputDetails: { truncated: false } };
    if (this.integration)
      this.record("TaskSucceeded", { taskSucceededEventDetails: { ...this.integration, ...details } });
    else this.record("LambdaFunctionSucceeded", { lambdaFunctionSucceededEventDetails: details });
  }

  /** The task failed, or timed out (`States.Timeout`). */
  failed(error: Error): void {
    const details = { error: error.name, cause: error.message };
    const timedOut = error.name === "States.Timeout";
    if (this.integration)
      this.record(
        timedOut ? "TaskTimedOut" : "TaskFailed",
        timedOut
          ? { taskTimedOutEventDetails: { ...this.integration, ...details } }
          : { taskFailedEventDetails: { ...this.integration, ...details } },
      );
    else
      this.record(
        timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
        timedOut ? { lambdaFunctionTimedOutEventDetails: details } : { lambdaFunctionFailedEventDetails: details },
      );
  }

  private record(type: HistoryEventType, details: Details): void {
    const at = Date.now();
    if (this.sink) this.sink(type, details, at);
    else this.pending.push({ type, details, at });
  }

  /** Sends the events recorded so far, and every later one, to `sink`. */
  attach(sink: (type: HistoryEventType, details: Details, at: number) => void): void {
    this.sink = sink;
    for (const event of this.pending) sink(event.type, event.details, event.at);
    this.pending = [];
  }
}

const STATE_EVENT_PREFIX: Record<string, string> = {
  Task: "TaskState",
  Pass: "PassState",
  Choice: "ChoiceState",
  Wait: "WaitState",
  Succeed: "SucceedState",
  Fail: "FailState",
  Map: "MapState",
  Parallel: "ParallelState",
};

/** Reads a plain `$.a.b` path, the only kind a Map state's ItemsPath uses here; anything else gives undefined. */
function readPath(input: unknown, path: string | undefined): unknown {
  if (path === undefined || path === "$") return input;
  if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) return undefined;
  return path
    .slice(2)
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], input);
}

/**
 * An execution's history in the shape GetExecutionHistory returns: numbered events, each pointing to the one before
 * it on the same path (the execution's, or one Map iteration's), built from the engine's event log and the runner's
 * task calls. A Wait state that the runner times is reported as the Wait state it was synthesized as.
 */
export class ExecutionHistory {
  readonly events: WireHistoryEvent[] = [];
  private readonly lastOnPath = new Map<string, number>();
  private readonly mapStarted = new Map<string, number>();
  private readonly waitingCalls = new Map<string, TaskCall[]>();

  constructor(
    private readonly states: ReadonlyMap<string, StateDefinition>,
    private readonly synthesizedTypes: ReadonlyMap<string, string>,
    private readonly roleArn: string,
  ) {}

  /** Queues a task call until the history sees its state entered or retried. */
  addTaskCall(call: TaskCall): void {
    const calls = this.waitingCalls.get(call.stateName) ?? [];
    calls.push(call);
    this.waitingCalls.set(call.stateName, calls);
  }

  private append(path: string, type: HistoryEventType, details: Details, at: number, previous?: number): number {
    const id = this.events.length + 1;
    this.events.push({
      id,
      previousEventId: previous ?? this.lastOnPath.get(path) ?? 0,
      timestamp: at / 1000,
      type,
      ...details,
    });
    this.lastOnPath.set(path, id);
    return id;
  }

  private typeOf(stateName: string, engineType: string): string {
    return this.synthesizedTypes.get(stateName) ?? engineType;
  }

  private attachCall(path: string, stateName: string): void {
    const call = this.waitingCalls.get(stateName)?.shift();
    call?.attach((type, details, at) => this.append(path, type, details, at));
  }

  /** Adds the history events one entry of the engine's log stands for. */
  record(event: EngineEvent): void {
    const at = event.timestamp;
    const path = "index" in event && event.index !== undefined ? `iteration ${event.index}` : "";
    switch (event.type) {
      case "ExecutionStarted":
        this.append(
          "",
          "ExecutionStarted",
          {
            executionStartedEventDetails: {
              input: JSON.stringify(event.input),
              inputDetails: { truncated: false },
              roleArn: this.roleArn,
            },
          },
          at,
        );
        return;
      case "ExecutionSucceeded":
        this.append(
          "",
          "ExecutionSucceeded",
          {
            executionSucceededEventDetails: {
              output: JSON.stringify(event.output),
              outputDetails: { truncated: false },
            },
          },
          at,
        );
        return;
      case "ExecutionFailed":
        this.append(
          "",
          "ExecutionFailed",
          { executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? "") } },
          at,
        );
        return;
      case "ExecutionAborted":
        this.append("", "ExecutionAborted", { executionAbortedEventDetails: {} }, at);
        return;
      case "ExecutionTimeout":
        this.append("", "ExecutionTimedOut", { executionTimedOutEventDetails: {} }, at);
        return;
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed": {
        const details = { name: event.parentState.name, index: event.index };
        const key = {
          MapIterationStarted: "mapIterationStartedEventDetails",
          MapIterationSucceeded: "mapIterationSucceededEventDetails",
          MapIterationFailed: "mapIterationFailedEventDetails",
        }[event.type];
        // An iteration's first event follows its Map state's start; its last ends the iteration's path.
        const previous = event.type === "MapIterationStarted" ? this.mapStarted.get(event.parentState.name) : undefined;
        this.append(`iteration ${event.index}`, event.type, { [key]: details }, at, previous);
        return;
      }
      case "StateEntered": {
        const type = this.typeOf(event.state.name, event.state.type);
        const prefix = STATE_EVENT_PREFIX[type] ?? `${type}State`;
        this.append(
          path,
          `${prefix}Entered` as HistoryEventType,
          {
            stateEnteredEventDetails: {
              name: event.state.name,
              input: JSON.stringify(event.state.input),
              inputDetails: { truncated: false },
            },
          },
          at,
        );
        if (type === "Task") this.attachCall(path, event.state.name);
        if (type === "Map") {
          const items = readPath(event.state.input, this.states.get(event.state.name)?.ItemsPath);
          const id = this.append(
            path,
            "MapStateStarted",
            { mapStateStartedEventDetails: Array.isArray(items) ? { length: items.length } : {} },
            at,
          );
          this.mapStarted.set(event.state.name, id);
        }
        return;
      }
      case "StateRetried":
        // A hand-back is the runner's, not a retry: the call goes on (see KEEP_WAITING).
        if (event.retry.retrier.ErrorEquals.includes(KEEP_WAITING)) return;
        if (this.typeOf(event.state.name, event.state.type) === "Task") this.attachCall(path, event.state.name);
        return;
      case "StateExited": {
        const type = this.typeOf(event.state.name, event.state.type);
        if (type === "Map") this.append(path, "MapStateSucceeded", {}, at);
        if (type === "Fail") return;
        const prefix = STATE_EVENT_PREFIX[type] ?? `${type}State`;
        this.append(
          path,
          `${prefix}Exited` as HistoryEventType,
          {
            stateExitedEventDetails: {
              name: event.state.name,
              output: JSON.stringify(event.state.output ?? null),
              outputDetails: { truncated: false },
            },
          },
          at,
        );
        return;
      }
      case "StateFailed":
        if (this.typeOf(event.state.name, event.state.type) === "Map") this.append(path, "MapStateFailed", {}, at);
        return;
      default:
        // Parallel branches and caught errors have no history events of their own on AWS.
        return;
    }
  }
}

/** An event without its input and output, as GetExecutionHistory gives it with `includeExecutionData: false`. */
export function withoutExecutionData(event: WireHistoryEvent): WireHistoryEvent {
  return JSON.parse(JSON.stringify(event, (key, value) => (key === "input" || key === "output" ? undefined : value)));
}
