import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../domain/plan.ts";
import { INSTITUTIONS_PER_BATCH } from "../../domain/workflow-events.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { MAX_CONCURRENT_BATCHES } from "../../workflows/quarterly-collection.ts";
import { planWithInstitutions } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";

// More institutions than the round emails at once (more batches than run at once): nobody may be asked late, and
// the round must still close on time.

const INSTITUTIONS = MAX_CONCURRENT_BATCHES * INSTITUTIONS_PER_BATCH + 2;
let stack: LocalStack;
let plan: Plan;

beforeAll(async () => {
  plan = planWithInstitutions("many-institutions", INSTITUTIONS);
  stack = await startTestStack([plan]);
});
afterAll(() => stack?.stop());

describe("a round with more institutions than it emails at once", () => {
  it("asks every institution before the deadline and closes on time", async () => {
    const started = Date.now();
    // Each request carries its prefilled workbook, made as it is sent and parsed again by the SES emulator (a few
    // hundred ms a mail on this machine under load, and the spreadsheet library's first load): the deadline leaves
    // room for that, and the mailbox, whose every read carries the attachments, is read less often.
    const deadline = new Date(started + 30_000).toISOString();
    const closesAt = new Date(started + 31_000).toISOString();
    const execution = await stack.startRound({ planId: plan.id, fiscalYear: 2020, quarter: 2, deadline, closesAt });
    // Every request is out well before the deadline, though no one has answered to free a slot.
    await expect
      .poll(async () => (await readMailbox(stack.urls.mailbox)).length, { timeout: 29_000, interval: 500 })
      .toBe(INSTITUTIONS);
    expect(Date.now()).toBeLessThan(Date.parse(deadline));
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 60_000);
    expect(finished.status).toBe("SUCCEEDED");
    // Closed at the close time, not one deadline-length later for the iterations that started late.
    expect(finished.stopDate?.getTime()).toBeLessThan(Date.parse(closesAt) + 4_000);
    expect(JSON.parse(finished.output ?? "{}").completeness).toMatchObject({ expected: INSTITUTIONS, answered: 0 });
    const requests = await stack.table.requests.listRequests(plan.id, 2020, 2);
    expect(requests.map((request) => request.status)).toEqual(Array(INSTITUTIONS).fill("overdue"));
  });
});
