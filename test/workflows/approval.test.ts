import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox, type StoredEmail } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { approvalLinkOf, decide, FINAL_APPROVER, HEADS } from "../helpers/approvals.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// The draft's circulation for approval on the local runner: v1 → one approver asks for changes → v2 circulated
// with what changed → everyone approves → the secretariat's head gives the final approval.

const FY = 2020;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const linkOf = (address: string, version: number, fiscalYear = FY) =>
  approvalLinkOf(stack, address, version, fiscalYear);

async function mailTo(address: string, subjectPart: string): Promise<StoredEmail | undefined> {
  return (await readMailbox(stack.urls.mailbox)).find(
    (mail) => mail.destination.to.includes(address) && mail.subject.includes(subjectPart),
  );
}

describe("circulating the draft report for approval", () => {
  it("ends v1's circulation when an approver asks for changes, and tells the secretariat their comment", async () => {
    const execution = stack.startReview({ planId: PLAN_ID, fiscalYear: FY, proceedAnyway: true, stepSeconds: 600 });
    const links = await Promise.all(HEADS.map((address) => linkOf(address, 1)));
    // Opening a link decides nothing, however often (a mail scanner, a preview).
    for (let visit = 0; visit < 2; visit++) expect((await fetch(links[0] as string)).status).toBe(200);
    expect(await stack.table.approvals.listDecisions({ planId: PLAN_ID, fiscalYear: FY, version: 1 })).toEqual([]);

    // Asking for changes needs a comment; nothing is recorded without one.
    const noComment = await decide(links[2] as string, { decision: "request-changes", comment: "" });
    expect(noComment.status).toBe(400);
    expect(await noComment.text()).toContain("コメントを入力してください");
    const approve = await decide(links[0] as string, { decision: "approve" });
    expect(approve.status).toBe(200);
    expect(await approve.text()).toContain("承認を記録しました");
    const changes = await decide(links[2] as string, {
      decision: "request-changes",
      comment: "十勝地域の案件の記述を補ってください。",
    });
    expect(changes.status).toBe(200);

    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.states).toContain("ChangesRequested");
    const told = await mailTo("secretariat@example.jp", "第1版に修正依頼");
    expect(told?.body.text).toContain("十勝地域の案件の記述を補ってください。");
    expect(told?.body.text).toContain("中小企業総合支援センター 理事長");
    // The revision is made on the year's page in the console, which the mail links.
    expect(told?.body.text).toContain(`${stack.urls.api}/console/plans/${PLAN_ID}/years/2020`);
    expect(told?.body.text).not.toMatch(/pdca draft|所見ファイル/);

    // Every v1 link is now refused with one plain page: decided, and undecided alike.
    for (const link of [links[0], links[1], links[2]] as string[]) {
      const refused = await fetch(link);
      expect(refused.status).toBe(404);
      expect(await refused.text()).toContain("このリンクは使用できません");
    }
    const audit = await stack.table.submissions.listAudit(PLAN_ID, FY);
    expect(audit.map((entry) => [entry.action, entry.actor, entry.channel, entry.version])).toEqual([
      ["approval", "approver:hro-head", "approval-link", 1],
      ["changes-requested", "approver:hsc-head", "approval-link", 1],
    ]);
  });

  it("circulates v2 with what changed since v1, then the final approval, and marks v2 approved", async () => {
    const execution = stack.startReview({
      planId: PLAN_ID,
      fiscalYear: FY,
      proceedAnyway: true,
      stepSeconds: 600,
      notes: { findings: ["十勝地域の食料品製造関連の案件が増えている。"], decisions: [] },
    });
    const links = await Promise.all(HEADS.map((address) => linkOf(address, 2)));
    const page = await (await fetch(links[2] as string)).text();
    expect(page).toContain("前回ご確認の第1版からの変更点");
    expect(page).toContain("十勝地域の食料品製造関連の案件が増えている。");
    // The draft itself opens behind the same link.
    const report = await fetch(new URL("report/index.html", `${links[2]}/`).toString());
    expect(report.status).toBe(200);
    expect(await report.text()).toContain("第2版");

    for (const link of links) expect((await decide(link, { decision: "approve" })).status).toBe(200);
    // A decided link decides nothing more.
    expect((await decide(links[0] as string, { decision: "request-changes", comment: "やはり" })).status).toBe(404);

    const final = await linkOf(FINAL_APPROVER, 2);
    expect(await (await fetch(final)).text()).toContain("事務局長の最終承認");
    expect((await decide(final, { decision: "approve" })).status).toBe(200);
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.status).toBe("SUCCEEDED");
    // Approved, then published (test/workflows/publication.test.ts follows the publication itself).
    expect(finished.states).toContain("Published");
    const v2 = await stack.table.reviews.findReview(PLAN_ID, FY, 2);
    expect(v2?.status).toBe("approved");
    expect(v2?.approvedAt).toBeDefined();
    expect(v2?.publishedAt).toBeDefined();
    expect((await stack.table.reviews.findReview(PLAN_ID, FY, 1))?.status).toBe("draft");
  });

  it("asks the secretariat about approvers who let the deadline pass, and goes on without them when told", async () => {
    const execution = stack.startReview({ planId: PLAN_ID, fiscalYear: 2021, proceedAnyway: true, stepSeconds: 4 });
    const links = await Promise.all(HEADS.map((address) => linkOf(address, 1, 2021)));
    for (const link of links.slice(0, 3)) expect((await decide(link, { decision: "approve" })).status).toBe(200);
    // The deadline passes with two undecided; their links stop working, and the secretariat is asked.
    await expect
      .poll(async () => (await mailTo("secretariat@example.jp", "期限までに判断のない承認者"))?.body.text ?? "", {
        timeout: 30_000,
      })
      .toContain("北洋銀行 地域産業支援部長");
    expect((await fetch(links[4] as string)).status).toBe(404);
    const mail = await mailTo("secretariat@example.jp", "期限までに判断のない承認者");
    const decision = /https?:\/\/\S+\/decisions\/[A-Za-z0-9_-]{43}/.exec(mail?.body.text ?? "")?.[0] as string;
    // Opening the page decides nothing; the POST does.
    expect(await (await fetch(decision)).text()).toContain("判断なしで次に進む");
    expect((await decide(decision, { decision: "proceed" })).status).toBe(200);
    expect((await decide(decision, { decision: "proceed" })).status).toBe(404);
    const final = await linkOf(FINAL_APPROVER, 1, 2021);
    expect((await decide(final, { decision: "approve" })).status).toBe(200);
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.states).toContain("Published");
    const audit = (await stack.table.submissions.listAudit(PLAN_ID, 2021)).map((entry) => entry.action);
    expect(audit).toContain("approval-proceeded-without");
  });

  it("ends the circulation of a version superseded while the secretariat's decision about late approvers waits", async () => {
    const lateMails = async () =>
      (await readMailbox(stack.urls.mailbox)).filter(
        (mail) =>
          mail.subject.includes("2022年度") &&
          mail.subject.includes("第1版") &&
          mail.subject.includes("期限までに判断のない承認者"),
      );
    const v1 = stack.startReview({ planId: PLAN_ID, fiscalYear: 2022, proceedAnyway: true, stepSeconds: 2 });
    for (const address of HEADS) await linkOf(address, 1, 2022);
    // Nobody decides: at the deadline the secretariat is asked, and the run waits for its decision.
    await expect.poll(async () => (await lateMails()).length, { timeout: 30_000 }).toBe(1);
    const decision = /https?:\/\/\S+\/decisions\/[A-Za-z0-9_-]{43}/.exec(
      (await lateMails())[0]?.body.text ?? "",
    )?.[0] as string;
    // Undecided for a while, the run looks again and waits on, on the same link, mailing nobody again.
    const asks = () =>
      stack.stepFunctions
        .execution(v1.executionArn)
        .states.filter((state) => state === "AskSecretariatAboutLateApprovers").length;
    await expect.poll(asks, { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await lateMails()).toHaveLength(1);
    expect((await fetch(decision)).status).toBe(200);

    // The secretariat revises the draft instead: v2 supersedes v1, and v1's decision link is refused from now on.
    const v2 = stack.startReview({ planId: PLAN_ID, fiscalYear: 2022, proceedAnyway: true, stepSeconds: 600 });
    await linkOf(HEADS[0] as string, 2, 2022);
    expect((await fetch(decision)).status).toBe(404);
    const finished = await stack.stepFunctions.waitForExecution(v1.executionArn, 30_000);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.states).toContain("Superseded");
    expect(await lateMails()).toHaveLength(1);
    expect(stack.stepFunctions.execution(v2.executionArn).status).toBe("RUNNING");
  });

  it("offers only more time when the final approver is late, and asks them again with the new deadline", async () => {
    const execution = stack.startReview({ planId: PLAN_ID, fiscalYear: 2019, proceedAnyway: true, stepSeconds: 3 });
    const links = await Promise.all(HEADS.map((address) => linkOf(address, 1, 2019)));
    for (const link of links) expect((await decide(link, { decision: "approve" })).status).toBe(200);
    const finalMails = async () =>
      (await readMailbox(stack.urls.mailbox)).filter(
        (mail) => mail.destination.to.includes("secretariat-head@example.jp") && mail.subject.includes("2019年度"),
      );
    await expect.poll(async () => (await finalMails()).length, { timeout: 30_000 }).toBe(1);
    const asked = async () =>
      (await readMailbox(stack.urls.mailbox)).find(
        (mail) => mail.subject.includes("2019年度") && mail.subject.includes("期限までに判断のない承認者"),
      );
    await expect.poll(async () => (await asked())?.body.text ?? "", { timeout: 30_000 }).toContain("事務局長");
    expect((await asked())?.body.text).toContain("期限を延長してください");
    const decision = /https?:\/\/\S+\/decisions\/[A-Za-z0-9_-]{43}/.exec(
      (await asked())?.body.text ?? "",
    )?.[0] as string;
    const page = await (await fetch(decision)).text();
    expect(page).toContain("期限を延長する");
    expect(page).not.toContain("判断なしで次に進む</button>");

    // Going on without the final approver is refused, with the reason, and nothing is recorded.
    const refused = await decide(decision, { decision: "proceed" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("承認者の判断なしでは進められません");
    const step = async () =>
      (await stack.table.approvals.listSteps({ planId: PLAN_ID, fiscalYear: 2019, version: 1 }, ["final"])).get(
        "final",
      );
    expect((await step())?.proceededWithout).toEqual([]);

    // Extending moves the step's deadline and mails the final approver again, with a link that works.
    const before = (await step())?.deadline ?? "";
    expect((await decide(decision, { decision: "extend", days: "7" })).status).toBe(200);
    expect(Date.parse((await step())?.deadline ?? "")).toBeGreaterThan(Date.parse(before));
    await expect.poll(async () => (await finalMails()).length, { timeout: 30_000 }).toBe(2);
    const again = await linkOf("secretariat-head@example.jp", 1, 2019);
    expect((await decide(again, { decision: "approve" })).status).toBe(200);
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.states).toContain("Published");
    const audit = (await stack.table.submissions.listAudit(PLAN_ID, 2019)).map((entry) => entry.action);
    expect(audit).toContain("approval-deadline-extended");
    expect(audit).not.toContain("approval-proceeded-without");
  });
});
