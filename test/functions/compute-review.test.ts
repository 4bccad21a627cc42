import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CirculationRef } from "../../domain/workflow-events.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// ComputeReview claims a version number before it writes the version's files; a retry of the same run (its files'
// write failed) must take that number up again rather than claim the next one and leave a numbered hole.

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

function compute(runId: string): Promise<CirculationRef> {
  return invokeInProcess("computeReview", {
    planId: PLAN_ID,
    fiscalYear: 2019,
    proceedAnyway: true,
    run: { id: `arn:aws:states:local:000000000000:execution:YearEndReview:${runId}` },
  }) as Promise<CirculationRef>;
}

describe("computing a draft version", () => {
  it("takes up its own claimed version again when its run retries, and the next version for another run", async () => {
    expect((await compute("first")).version).toBe(1);
    expect((await compute("first")).version).toBe(1);
    expect((await compute("second")).version).toBe(2);
    const [v1, v2, v3] = await Promise.all(
      [1, 2, 3].map((version) => stack.table.reviews.findReview(PLAN_ID, 2019, version)),
    );
    expect(v1?.claimedBy).toMatch(/:first$/);
    expect(v2?.claimedBy).toMatch(/:second$/);
    expect(v3).toBeUndefined();
  });
});
