import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys, LINK_INDEX } from "../../domain/keys.ts";
import { documentClient } from "../../functions/adapters/clients/dynamodb.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { approvalLinkOf, HEADS } from "../helpers/approvals.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// A link's task token is read right after it is bound (the mailers) or while a rebinding may be moments old (the
// pages): by key, consistently, never through the link index alone, which is eventually consistent on AWS. DynamoDB
// Local keeps its indexes in step with the table, so a stale read cannot be made to happen here; these tests watch
// the reads the functions send to it instead (the engine still answers every one).

interface Sent {
  command: string;
  input: { IndexName?: string; Key?: Record<string, unknown>; ConsistentRead?: boolean };
}

let stack: LocalStack;
let recording: Sent[] | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  documentClient.middlewareStack.add(
    (next, context) => (args) => {
      recording?.push({ command: String(context.commandName), input: args.input as Sent["input"] });
      return next(args);
    },
    { step: "initialize", name: "recordLinkReads" },
  );
});
afterAll(() => stack?.stop());

/** The table's reads while `act` runs: whether any went through the link index, and the Gets of `key`. */
async function readsDuring(act: () => Promise<unknown>, key: { pk: string; sk: string }) {
  recording = [];
  await act();
  const sent = recording;
  recording = undefined;
  return {
    throughIndex: sent.filter((read) => read.input.IndexName === LINK_INDEX).length,
    getsOfKey: sent
      .filter((read) => read.command === "GetItemCommand" && JSON.stringify(read.input.Key) === JSON.stringify(key))
      .map((read) => read.input.ConsistentRead),
  };
}

describe("reading a link's task token", () => {
  it("by key, consistently, when RequestApproval has just bound it, and after the index on the approval page", async () => {
    stack.startReview({ planId: PLAN_ID, fiscalYear: 2020, proceedAnyway: true, stepSeconds: 600 });
    const url = await approvalLinkOf(stack, HEADS[0] as string, 1, 2020);
    const [link] = (await stack.table.approvals.listApprovalLinks(PLAN_ID, 2020)).filter(
      (candidate) => candidate.approverId === "hro-head",
    );
    if (!link) throw new Error("no link for hro-head");
    const key = keys.approvalLink(PLAN_ID, 2020, link.linkHash);
    const step = stack.plans[0]?.approvals?.steps[0];

    // Called again with the same task, as a retry of its task calls it.
    const asked = await readsDuring(
      () =>
        invokeInProcess("requestApproval", {
          ref: { planId: PLAN_ID, fiscalYear: 2020, version: 1, stepSeconds: 600 },
          step: { id: step?.id, name: step?.name },
          deadline: link.expiresAt,
          approver: { approverId: link.approverId, waitSeconds: 600 },
          taskToken: link.taskToken,
        }),
      key,
    );
    expect(asked).toEqual({ throughIndex: 0, getsOfKey: [true] });

    // The page has only the token: the index finds the link's year, then the link is read by key.
    const opened = await readsDuring(async () => expect((await fetch(url)).status).toBe(200), key);
    expect(opened.throughIndex).toBe(1);
    expect(opened.getsOfKey).toEqual([true]);
  });

  it("by key, consistently, when the secretariat's decision link was just bound, and on its page", async () => {
    stack.startReview({ planId: PLAN_ID, fiscalYear: 2021, proceedAnyway: true, stepSeconds: 2 });
    const lateMail = async () =>
      (await readMailbox(stack.urls.mailbox)).find(
        (mail) => mail.subject.includes("2021年度") && mail.subject.includes("期限までに判断のない承認者"),
      );
    await expect.poll(lateMail, { timeout: 30_000 }).toBeDefined();
    const [link] = await stack.table.approvals.openStepDecisionLinks({ planId: PLAN_ID, fiscalYear: 2021, version: 1 });
    if (!link) throw new Error("no decision link");
    const key = keys.stepDecisionLink(PLAN_ID, 2021, link.linkHash);
    const asked = await readsDuring(
      () =>
        invokeInProcess("askAboutLateApprovers", {
          ref: { planId: PLAN_ID, fiscalYear: 2021, version: 1, stepSeconds: 2 },
          step: { id: link.stepId, name: "" },
          late: link.late,
          asked: link.asked,
          taskToken: link.taskToken,
        }),
      key,
    );
    // The run itself may look again meanwhile (every three of the step's seconds here) and read the same link.
    expect(asked.throughIndex).toBe(0);
    expect(asked.getsOfKey).toContain(true);
    expect(asked.getsOfKey).not.toContain(undefined);

    const url = /https?:\/\/\S+\/decisions\/[A-Za-z0-9_-]{43}/.exec((await lateMail())?.body.text ?? "")?.[0] as string;
    const opened = await readsDuring(async () => expect((await fetch(url)).status).toBe(200), key);
    expect(opened.throughIndex).toBe(1);
    expect(opened.getsOfKey).toContain(true);
    expect(opened.getsOfKey).not.toContain(undefined);
  });
});
