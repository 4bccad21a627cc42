import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatJapaneseDate } from "../../domain/calendar.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// An institution whose deadline the secretariat extended is not late at the round's deadline: the round's own
// moments (marking overdue, overdue notices, the escalation) pass over it until its own deadline has passed, and a
// reminder tells it its own deadline.

let stack: LocalStack;
const extendedTo = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);

beforeAll(async () => {
  stack = await startTestStack();
  // Due in two seconds, closing in three days: the moments after the deadline are acted on here, by hand.
  await startRoundAndCollectLinks(stack, 2021, 3, 2_000, 3 * 24 * 3_600_000);
  const hro = await stack.table.requests.findRequest(PLAN_ID, 2021, 3, "hro");
  if (!hro || !(await stack.table.requests.extendDeadline(hro, extendedTo))) throw new Error("hro not extended");
  const round = await stack.table.rounds.findRound(PLAN_ID, 2021, 3);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(round?.deadline ?? "") - Date.now() + 50)));
});
afterAll(() => stack?.stop());

async function actOn(moment: { id: string; kind: string }) {
  const round = await stack.table.rounds.findRound(PLAN_ID, 2021, 3);
  const before = (await readMailbox(stack.urls.mailbox)).length;
  await invokeInProcess("actOnMoment", {
    round: { planId: PLAN_ID, fiscalYear: 2021, quarter: 3, deadline: round?.deadline, closesAt: round?.closesAt },
    moment: { ...moment, at: new Date().toISOString() },
    batch: 0,
  });
  return (await readMailbox(stack.urls.mailbox)).slice(before);
}

describe("a round's moments and an extended deadline", () => {
  it("marks everyone else overdue at the deadline, and sends overdue notices to everyone else", async () => {
    await actOn({ id: "deadline", kind: "deadline" });
    const requests = await stack.table.requests.listRequests(PLAN_ID, 2021, 3);
    const statuses = Object.fromEntries(requests.map((request) => [request.institutionId, request.status]));
    expect(statuses).toEqual({ hro: "sent", nortec: "overdue", hsc: "overdue", hokuyo: "overdue", dogin: "overdue" });
    const noticed = await actOn({ id: "overdue-notice+1", kind: "overdue-notice" });
    expect(noticed.map((mail) => mail.destination.to[0]).sort()).toEqual([
      "dogin@example.jp",
      "hokuyo@example.jp",
      "hsc@example.jp",
      "nortec@example.jp",
    ]);
  });

  it("reminds the extended institution with its own deadline", async () => {
    const reminded = await actOn({ id: "reminder-1", kind: "reminder" });
    const toHro = reminded.find((mail) => mail.destination.to.includes("hro@example.jp"));
    expect(toHro?.body.text).toContain(`■ 回答期限：${formatJapaneseDate(extendedTo, { withTime: true })}`);
  });
});
