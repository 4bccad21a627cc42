import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_INSTITUTIONS } from "../../domain/plan.ts";
import type { LocalStack } from "../../local/stack.ts";
import { STEP_FUNCTIONS_QUOTAS } from "../../local/step-functions/quotas.ts";
import { planWithInstitutions } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";

// What a round costs Step Functions per institution, measured from real executions' histories on the local runner
// (events counted as AWS counts them), in the costliest case: nobody answers, every wait times out twice (the
// deadline, then the close). Two sizes give the cost per institution and the fixed part, and from them the largest
// round the definition holds under the 25,000-event and 256 KiB quotas; the plan schema's cap must be under it.

const SIZES = [4, 16] as const;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack(SIZES.map((size) => planWithInstitutions(`capacity-${size}`, size)));
});
afterAll(() => stack?.stop());

/** The largest input or output of any state of an execution, in bytes, as its history shows them. */
function largestPayload(events: ReadonlyArray<Record<string, unknown>>): number {
  let largest = 0;
  for (const event of events)
    for (const value of Object.values(event))
      if (value && typeof value === "object")
        for (const field of ["input", "output"])
          largest = Math.max(
            largest,
            Buffer.byteLength(String((value as Record<string, unknown>)[field] ?? ""), "utf8"),
          );
  return largest;
}

describe("the collection round's cost per institution", () => {
  it("holds the plan schema's largest round within every quota, with a quarter to spare", async () => {
    const measured: Array<{ size: number; events: number; bytes: number }> = [];
    for (const size of SIZES) {
      const started = await stack.startRound({
        planId: `capacity-${size}`,
        fiscalYear: 2020,
        quarter: 1,
        deadline: new Date(Date.now() + 2_000).toISOString(),
        closesAt: new Date(Date.now() + 3_000).toISOString(),
      });
      const finished = await stack.stepFunctions.waitForExecution(started.executionArn, 60_000);
      expect(finished.status).toBe("SUCCEEDED");
      const events = finished.history.events as unknown as Array<Record<string, unknown>>;
      measured.push({ size, events: events.length, bytes: largestPayload(events) });
    }
    const [small, large] = measured as [(typeof measured)[0], (typeof measured)[0]];
    const eventsPerInstitution = (large.events - small.events) / (large.size - small.size);
    const fixedEvents = small.events - eventsPerInstitution * small.size;
    const bytesPerInstitution = (large.bytes - small.bytes) / (large.size - small.size);
    const fixedBytes = small.bytes - bytesPerInstitution * small.size;
    const holdsByEvents = (STEP_FUNCTIONS_QUOTAS.maxHistoryEvents - fixedEvents) / eventsPerInstitution;
    const holdsByBytes = (STEP_FUNCTIONS_QUOTAS.maxPayloadBytes - fixedBytes) / bytesPerInstitution;
    const holds = Math.floor(Math.min(holdsByEvents, holdsByBytes));
    console.log(
      `round cost: ${eventsPerInstitution} events and ${bytesPerInstitution.toFixed(1)} bytes of state per institution (+${fixedEvents} events, ${fixedBytes.toFixed(0)} bytes fixed); holds ${holds} institutions (events ${holdsByEvents.toFixed(0)}, state ${holdsByBytes.toFixed(0)})`,
    );
    // Every institution costs the same: the measured cost is a straight line, not a guess.
    expect(Number.isInteger(eventsPerInstitution)).toBe(true);
    expect(MAX_INSTITUTIONS).toBeLessThanOrEqual(holds * 0.75);
  }, 120_000);
});
