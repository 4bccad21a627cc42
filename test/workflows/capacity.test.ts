import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REMINDERS } from "../../domain/collection-settings.ts";
import { MAX_INSTITUTIONS, type Plan } from "../../domain/plan.ts";
import { INSTITUTIONS_PER_BATCH } from "../../domain/workflow-events.ts";
import type { LocalStack } from "../../local/stack.ts";
import type { WireHistoryEvent } from "../../local/step-functions/history.ts";
import { STEP_FUNCTIONS_QUOTAS } from "../../local/step-functions/quotas.ts";
import { planWithInstitutions } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";

// What a round costs Step Functions, measured from real executions' histories on the local runner (events counted
// as AWS counts them), in the costliest case: nobody answers, and the plan sets the most reminders a plan may (one of
// them an overdue notice) and an escalation, so the round acts at every moment it can. A round's events grow with
// its batches (INSTITUTIONS_PER_BATCH institutions each) times its moments; two sizes give the cost per batch and the
// fixed part, and from them the largest round the definition holds under the 25,000-event and 256 KiB quotas. The
// plan schema's cap must be under it with a quarter to spare.

const SIZES = [INSTITUTIONS_PER_BATCH, 3 * INSTITUTIONS_PER_BATCH] as const;
/** Reminders at every allowed slot but one before the deadline, and one overdue notice. */
const REMINDERS = [-4, -3, -2, -1, 1].slice(0, MAX_REMINDERS).map((businessDays) => ({ businessDays }));
/** Moments a round of that plan acts at: each reminder, the deadline and the escalation. */
const ACTING_MOMENTS = REMINDERS.length + 2;
let stack: LocalStack;

/** A plan of `size` institutions with the most reminders and an escalation. */
function capacityPlan(size: number): Plan {
  const plan = planWithInstitutions(`capacity-${size}`, size);
  return {
    ...plan,
    collection: { ...plan.collection, lateAnswerDays: 7, reminders: REMINDERS },
    escalation: { afterBusinessDays: 2 },
  };
}

beforeAll(async () => {
  stack = await startTestStack(SIZES.map(capacityPlan));
});
afterAll(() => stack?.stop());

/** The largest input or output of any state of an execution, in bytes, as its history shows them. */
function largestPayload(events: readonly WireHistoryEvent[]): number {
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

describe("the collection round's cost", () => {
  it("holds the plan schema's largest round within every quota, with a quarter to spare", async () => {
    // FY2019 Q3 on a compressed clock: the plan's own business days, request to deadline in 60 s. Both sizes at once.
    const executions = await Promise.all(
      SIZES.map((size) =>
        stack.startRound({
          planId: `capacity-${size}`,
          fiscalYear: 2019,
          quarter: 3,
          compressed: { deadlineSeconds: 60 },
        }),
      ),
    );
    const measured: Array<{ size: number; events: number; bytes: number }> = [];
    for (const [index, started] of executions.entries()) {
      const finished = await stack.stepFunctions.waitForExecution(started.executionArn, 240_000);
      expect(finished.status).toBe("SUCCEEDED");
      const events = finished.history.events;
      // Every moment acted on (none skipped because the machine was slow): the measure is of the costliest round.
      const acted = events.filter(
        (event) => event.type === "MapStateEntered" && event.stateEnteredEventDetails?.name === "ActOnEachBatch",
      );
      expect(acted).toHaveLength(ACTING_MOMENTS);
      measured.push({ size: SIZES[index] as number, events: events.length, bytes: largestPayload(events) });
    }
    const [small, large] = measured as [(typeof measured)[0], (typeof measured)[0]];
    const batches = (large.size - small.size) / INSTITUTIONS_PER_BATCH;
    const eventsPerBatch = (large.events - small.events) / batches;
    const fixedEvents = small.events - eventsPerBatch * (small.size / INSTITUTIONS_PER_BATCH);
    const bytesPerBatch = (large.bytes - small.bytes) / batches;
    const fixedBytes = small.bytes - bytesPerBatch * (small.size / INSTITUTIONS_PER_BATCH);
    const holdsByEvents =
      ((STEP_FUNCTIONS_QUOTAS.maxHistoryEvents - fixedEvents) / eventsPerBatch) * INSTITUTIONS_PER_BATCH;
    const holdsByBytes =
      bytesPerBatch > 0
        ? ((STEP_FUNCTIONS_QUOTAS.maxPayloadBytes - fixedBytes) / bytesPerBatch) * INSTITUTIONS_PER_BATCH
        : Number.POSITIVE_INFINITY;
    const holds = Math.floor(Math.min(holdsByEvents, holdsByBytes));
    console.log(
      `round cost: ${eventsPerBatch} events per batch of ${INSTITUTIONS_PER_BATCH} (${(eventsPerBatch / INSTITUTIONS_PER_BATCH).toFixed(2)} per institution) and ${bytesPerBatch.toFixed(1)} bytes of state per batch (+${fixedEvents} events, ${fixedBytes.toFixed(0)} bytes fixed); holds ${holds} institutions (events ${holdsByEvents.toFixed(0)}, state ${holdsByBytes.toFixed(0)})`,
    );
    // Every batch costs the same: the measured cost is a straight line, not a guess.
    expect(Number.isInteger(eventsPerBatch)).toBe(true);
    expect(MAX_INSTITUTIONS).toBeLessThanOrEqual(holds * 0.75);
  }, 300_000);
});
