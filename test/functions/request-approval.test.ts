import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { approvalLinkOf, HEADS } from "../helpers/approvals.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// RequestApproval called when there is nothing left to ask (as a retry, or a Map iteration that starts late, calls
// it): the task it is given must resume at once, and nobody is mailed a link that can no longer decide anything.

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** Every approver of the first step asked about v1 of a year, with the task token each one's wait is parked with. */
async function askedHeads(fiscalYear: number) {
  const execution = stack.startReview({ planId: PLAN_ID, fiscalYear, proceedAnyway: true, stepSeconds: 600 });
  for (const address of HEADS) await approvalLinkOf(stack, address, 1, fiscalYear);
  const links = await stack.table.approvals.listApprovalLinks(PLAN_ID, fiscalYear);
  const step = stack.plans[0]?.approvals?.steps[0];
  if (!step || links.length !== HEADS.length) throw new Error("the first step's approvers were not all asked");
  return { execution, links, step: { id: step.id, name: step.name } };
}

const mailCount = async (fiscalYear: number) =>
  (await readMailbox(stack.urls.mailbox)).filter((mail) => mail.subject.includes(`${fiscalYear}年度`)).length;

/** Whether the runner still holds a task for this token (a heartbeat is refused once the task has ended). */
function stillWaiting(taskToken: string): boolean {
  try {
    stack.stepFunctions.sendTaskHeartbeat(taskToken);
    return true;
  } catch {
    return false;
  }
}

describe("RequestApproval with nothing left to ask", () => {
  it("resumes every wait of a step someone asked changes in, and the circulation ends without more mail", async () => {
    const { execution, links, step } = await askedHeads(2020);
    const changes = links.find((link) => link.approverId === "hsc-head");
    if (!changes) throw new Error("no link for hsc-head");
    // Recorded as the approval page records it, but with no resume: the page's resumes failed (a throttle), which
    // the page logs and leaves to the workflow.
    await stack.table.approvals.recordDecision({
      link: changes,
      linkHash: changes.linkHash,
      decision: "request-changes",
      comment: "十勝地域の案件の記述を補ってください。",
      at: new Date(),
      channel: "approval-link",
      auditId: randomUUID(),
    });
    const mailed = await mailCount(2020);
    for (const link of links) {
      expect(stillWaiting(link.taskToken as string)).toBe(true);
      await invokeInProcess("requestApproval", {
        ref: { planId: PLAN_ID, fiscalYear: 2020, version: 1, stepSeconds: 600 },
        step,
        deadline: link.expiresAt,
        approver: { approverId: link.approverId, waitSeconds: 600 },
        taskToken: link.taskToken,
      });
      expect(stillWaiting(link.taskToken as string)).toBe(false);
    }
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.states).toContain("ChangesRequested");
    // Only the secretariat's mail about the changes went out.
    expect(await mailCount(2020)).toBe(mailed + 1);
  });

  it("resumes a wait that begins after the step's deadline, mailing no link that is dead on arrival", async () => {
    const { links, step } = await askedHeads(2021);
    const link = links.find((candidate) => candidate.approverId === "hokuyo-head");
    if (!link) throw new Error("no link for hokuyo-head");
    const mailed = await mailCount(2021);
    const passed = new Date(Date.now() - 1000).toISOString();
    await invokeInProcess("requestApproval", {
      ref: { planId: PLAN_ID, fiscalYear: 2021, version: 1, stepSeconds: 600 },
      step,
      deadline: passed,
      approver: { approverId: link.approverId, waitSeconds: 1 },
      taskToken: link.taskToken,
    });
    expect(stillWaiting(link.taskToken as string)).toBe(false);
    expect(await mailCount(2021)).toBe(mailed);
    // The link the approver holds still decides until the step's own deadline.
    const stored = (await stack.table.approvals.listApprovalLinks(PLAN_ID, 2021)).find(
      (candidate) => candidate.approverId === "hokuyo-head",
    );
    expect(stored?.expiresAt).toBe(link.expiresAt);
  });
});
