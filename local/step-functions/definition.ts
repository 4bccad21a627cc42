import { MAX_TIMER_MS } from "./long-timer.ts";
import { STEP_FUNCTIONS_QUOTAS } from "./quotas.ts";

/** A state definition, as much as the runner reads of it. */
export interface StateDefinition {
  Type: string;
  Next?: string;
  End?: boolean;
  Timestamp?: string;
  TimestampPath?: string;
  Seconds?: number;
  SecondsPath?: string;
  ResultPath?: string | null;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Parameters?: Record<string, unknown>;
  Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string | null; Next: string }>;
  ItemsPath?: string;
  MaxConcurrency?: number;
  ItemProcessor?: { States: Record<string, StateDefinition> };
  Iterator?: { States: Record<string, StateDefinition> };
  Branches?: Array<{ States: Record<string, StateDefinition> }>;
}

/** A state machine definition, as much as the runner reads of it. */
export interface MachineDefinition {
  StartAt?: string;
  TimeoutSeconds?: number;
  States: Record<string, StateDefinition>;
}

/** Fields the rewritten definition adds to a task's input, which the runner takes out again before the handler. */
export const RUNNER_FIELDS = {
  /** A task's timeout, evaluated by the engine from the same path as TimeoutSecondsPath. */
  timeoutSeconds: "__localTimeoutSeconds",
  /** A Wait state's Timestamp or TimestampPath. */
  waitUntil: "__localWaitUntil",
  /** A Wait state's Seconds or SecondsPath. */
  waitSeconds: "__localWaitSeconds",
} as const;

/** The resource of a Wait state that the runner times itself. */
export const LOCAL_WAIT_RESOURCE = "local:wait";

/** The engine's own timeout of every task: the longest a Node timer holds, in whole seconds. */
export const ENGINE_TASK_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/**
 * A task still running this long after the engine called it is handed back to the engine as KEEP_WAITING, a day
 * before the engine's own timer would fire, and the engine calls it again at once (the retrier below): the runner
 * then hands it the same call, still running. So the engine's timer never ends a task; the runner's does.
 */
export const RUNNER_HANDBACK_MS = (ENGINE_TASK_TIMEOUT_SECONDS - 24 * 60 * 60) * 1000;

/** The error of a hand-back, and the retrier the rewrite puts first on every task to call it again. */
export const KEEP_WAITING = "Local.KeepWaiting";
const KEEP_WAITING_RETRIER = {
  ErrorEquals: [KEEP_WAITING],
  IntervalSeconds: 1,
  MaxAttempts: 99_999_999,
  BackoffRate: 1,
};

/** Every state of a definition with its name, nested Map and Parallel states included. */
export function statesOf(states: Record<string, StateDefinition>): Array<[string, StateDefinition]> {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, StateDefinition],
    ...(state.ItemProcessor ? statesOf(state.ItemProcessor.States) : []),
    ...(state.Iterator ? statesOf(state.Iterator.States) : []),
    ...(state.Branches ?? []).flatMap((branch) => statesOf(branch.States)),
  ]);
}

/** What the engine runs, and what the rewrite changed so the runner can report the states as synthesized. */
export interface EngineDefinition {
  definition: MachineDefinition;
  /** The synthesized type of each state, by name (a Wait state is a Task for the engine). */
  synthesizedTypes: ReadonlyMap<string, string>;
}

/**
 * The engine times tasks and executions with one Node timer each, which fires at once past 24.8 days, and gives a
 * task without a timeout 60 seconds: a round whose deadline is two months away would time out immediately, and one
 * a month away after 24.8 days. So, for the engine only, a task's timeout moves into its Parameters (same path,
 * evaluated on the same input) and the runner enforces it with a chained timer; a Wait state likewise becomes a
 * task of the runner's that sleeps until the same time; every task gets the longest timeout a timer holds and the
 * KEEP_WAITING retrier first; an execution timeout too long for one timer is left to the runner's stop. Everything
 * else is the definition as synthesized.
 */
export function forLocalEngine(synthesized: MachineDefinition): EngineDefinition {
  const definition = structuredClone(synthesized);
  const synthesizedTypes = new Map(statesOf(synthesized.States).map(([name, state]) => [name, state.Type]));
  if ((definition.TimeoutSeconds ?? 0) * 1000 > MAX_TIMER_MS) delete definition.TimeoutSeconds;
  for (const [, state] of statesOf(definition.States)) if (state.Type === "Wait") waitAsRunnerTask(state);
  // An inline Map runs at most 40 iterations at once on AWS, whatever MaxConcurrency says above that or when it is
  // 0; the engine would run them all, so it is told the same limit.
  for (const [, state] of statesOf(definition.States))
    if (
      state.Type === "Map" &&
      !(state.MaxConcurrency && state.MaxConcurrency <= STEP_FUNCTIONS_QUOTAS.inlineMapConcurrency)
    )
      state.MaxConcurrency = STEP_FUNCTIONS_QUOTAS.inlineMapConcurrency;
  for (const [, state] of statesOf(definition.States)) {
    if (state.Type !== "Task") continue;
    if (state.TimeoutSecondsPath) {
      state.Parameters = { ...state.Parameters, [`${RUNNER_FIELDS.timeoutSeconds}.$`]: state.TimeoutSecondsPath };
      delete state.TimeoutSecondsPath;
    } else if (state.TimeoutSeconds !== undefined) {
      state.Parameters = { ...state.Parameters, [RUNNER_FIELDS.timeoutSeconds]: state.TimeoutSeconds };
    }
    // Give the engine's own timer a value it can hold; the runner's is the one that counts.
    state.TimeoutSeconds = ENGINE_TASK_TIMEOUT_SECONDS;
    state.Retry = [KEEP_WAITING_RETRIER, ...(state.Retry ?? [])];
  }
  return { definition, synthesizedTypes };
}

/** A Wait state becomes a task of the runner's, which sleeps with chained timers (same path, same input). */
function waitAsRunnerTask(state: StateDefinition): void {
  const parameters: Record<string, unknown> = {};
  if (state.TimestampPath) parameters[`${RUNNER_FIELDS.waitUntil}.$`] = state.TimestampPath;
  else if (state.Timestamp) parameters[RUNNER_FIELDS.waitUntil] = state.Timestamp;
  else if (state.SecondsPath) parameters[`${RUNNER_FIELDS.waitSeconds}.$`] = state.SecondsPath;
  else parameters[RUNNER_FIELDS.waitSeconds] = state.Seconds ?? 0;
  for (const field of ["Timestamp", "TimestampPath", "Seconds", "SecondsPath"] as const) delete state[field];
  Object.assign(state, { Type: "Task", Resource: LOCAL_WAIT_RESOURCE, Parameters: parameters, ResultPath: null });
}

/** How long a rewritten Wait state sleeps, from the fields its Parameters put in the task's input. */
export function waitMilliseconds(input: Record<string, unknown>, now: number): number {
  const until = input[RUNNER_FIELDS.waitUntil];
  if (typeof until === "string") return Date.parse(until) - now;
  return Number(input[RUNNER_FIELDS.waitSeconds]) * 1000;
}
