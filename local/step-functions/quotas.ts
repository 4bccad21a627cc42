import type { EngineEvent } from "./history.ts";

/**
 * Quotas of Step Functions Standard that a real execution hits, so the local runner refuses what AWS would refuse
 * instead of passing it: 256 KiB of data into or out of a state, 25,000 events in an execution's history, and 40
 * iterations at once in an inline Map.
 */
export const STEP_FUNCTIONS_QUOTAS = {
  maxPayloadBytes: 256 * 1024,
  maxHistoryEvents: 25_000,
  inlineMapConcurrency: 40,
} as const;

/** Why an execution fails on a quota, as AWS names it. */
export interface QuotaFailure {
  error: string;
  cause: string;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), "utf8");
}

/**
 * The failure a state's input or output causes when it exceeds the payload quota: AWS fails the execution with
 * States.DataLimitExceeded at the state whose data grew too large.
 */
export function payloadFailure(event: EngineEvent): QuotaFailure | undefined {
  if (event.type !== "StateEntered" && event.type !== "StateExited") return undefined;
  const data = event.type === "StateEntered" ? event.state.input : event.state.output;
  const size = bytes(data);
  if (size <= STEP_FUNCTIONS_QUOTAS.maxPayloadBytes) return undefined;
  return {
    error: "States.DataLimitExceeded",
    cause: `The state/task '${event.state.name}' ${event.type === "StateEntered" ? "input" : "output"} of ${size} bytes exceeds the maximum of ${STEP_FUNCTIONS_QUOTAS.maxPayloadBytes} bytes.`,
  };
}

/**
 * The failure of an execution whose history passed the event quota. AWS fails such an execution; its error name is
 * not given in the quotas page, so the runner uses States.Runtime, the name AWS gives failures of the service itself.
 */
export function historyFailure(events: number): QuotaFailure | undefined {
  if (events <= STEP_FUNCTIONS_QUOTAS.maxHistoryEvents) return undefined;
  return {
    error: "States.Runtime",
    cause: `The execution history reached ${events} events, over the quota of ${STEP_FUNCTIONS_QUOTAS.maxHistoryEvents}.`,
  };
}
