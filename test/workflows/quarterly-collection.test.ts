import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { formLinks, startRoundAndCollectLinks } from "../helpers/rounds.ts";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe("QuarterlyCollection on the local runner", () => {
  it("asks five institutions, four answer, one never does, the round closes at 80% and the secretariat is told", async () => {
    // Generous, so the four answers land on time even on a loaded machine.
    const deadline = new Date(Date.now() + 8_000).toISOString();
    const closesAt = new Date(Date.now() + 9_000).toISOString();
    const execution = await stack.startRound({
      planId: "hokkaido-kita-no-monozukuri",
      fiscalYear: 2019,
      quarter: 1,
      deadline,
      closesAt,
    });
    // Wait until all five requests are out.
    await expect
      .poll(
        async () =>
          (await stack.table.requests.listRequests("hokkaido-kita-no-monozukuri", 2019, 1)).map(
            (request) => request.status,
          ),
        { timeout: 10_000 },
      )
      .toEqual(["sent", "sent", "sent", "sent", "sent"]);
    const mails = await readMailbox(stack.urls.mailbox);
    expect(mails).toHaveLength(5);
    const links = new Map(mails.map((mail) => [mail.destination.to[0], formLinks(mail.body.text ?? "")[0]]));
    expect(links.size).toBe(5);
    // Four answer through the form; dogin never does.
    for (const address of ["hro@example.jp", "nortec@example.jp", "hsc@example.jp", "hokuyo@example.jp"]) {
      const response = await fetch(links.get(address) as string, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          "counts[consultations]": "3",
          "counts[seminarsAndEvents]": "0",
          "counts[agreementsConcluded]": "0",
        }).toString(),
      });
      expect(response.status).toBe(200);
    }
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.status).toBe("SUCCEEDED");
    const output = JSON.parse(finished.output ?? "{}");
    expect(output.completeness).toMatchObject({
      expected: 5,
      answered: 4,
      onTime: 4,
      missing: ["dogin"],
      answeredRate: 0.8,
    });
    const round = await stack.table.rounds.findRound("hokkaido-kita-no-monozukuri", 2019, 1);
    expect(round?.status).toBe("closed");
    const dogin = await stack.table.requests.findRequest("hokkaido-kita-no-monozukuri", 2019, 1, "dogin");
    expect(dogin?.status).toBe("overdue");
    const summary = (await readMailbox(stack.urls.mailbox)).find((mail) =>
      mail.destination.to.includes("secretariat@example.jp"),
    );
    expect(summary?.subject).toContain("回答率 80.0%");
    expect(summary?.body.text).toContain("株式会社北海道銀行");

    // The round is closed: its links now show the same page as an unknown link, and nothing more is stored.
    const late = await fetch(links.get("dogin@example.jp") as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "counts[consultations]=1&counts[seminarsAndEvents]=0&counts[agreementsConcluded]=0",
    });
    expect(late.status).toBe(404);
    expect(await late.text()).toContain("このリンクは使用できません");
    expect((await stack.table.requests.findRequest("hokkaido-kita-no-monozukuri", 2019, 1, "dogin"))?.status).toBe(
      "overdue",
    );
  });

  it("re-running a round never asks an institution that already answered", async () => {
    const deadline = new Date(Date.now() + 60 * 60_000).toISOString();
    const first = await stack.startRound({
      planId: "hokkaido-kita-no-monozukuri",
      fiscalYear: 2019,
      quarter: 2,
      deadline,
    });
    const secondQuarterMails = async () =>
      (await readMailbox(stack.urls.mailbox)).filter((mail) => mail.subject.includes("第2四半期"));
    await expect.poll(async () => (await secondQuarterMails()).length, { timeout: 10_000 }).toBe(5);
    const hro = (await secondQuarterMails()).find(
      (mail) => mail.subject.includes("第2四半期") && mail.destination.to.includes("hro@example.jp"),
    );
    const link = formLinks(hro?.body.text ?? "")[0] as string;
    const answer = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "counts[consultations]=1&counts[seminarsAndEvents]=0&counts[agreementsConcluded]=0",
    });
    expect(answer.status).toBe(200);
    // Simulate a stop: the running execution is abandoned, then the same round is started again.
    stack.stepFunctions.abortAll();
    const second = await stack.startRound({ planId: "hokkaido-kita-no-monozukuri", fiscalYear: 2019, quarter: 2 });
    // A name is never reused, as on AWS: the resumed round runs under a suffixed one.
    expect(second.executionArn).not.toBe(first.executionArn);
    expect(second.executionArn).toContain(`${first.executionArn}-`);
    // The resumed round waits for its next moment as a whole: no task per institution, and nobody asked again.
    await expect
      .poll(() => stack.stepFunctions.execution(second.executionArn).states.at(-1), { timeout: 10_000 })
      .toBe("WaitForMoment");
    expect(stack.stepFunctions.pendingTaskCount()).toBe(0);
    expect(await secondQuarterMails()).toHaveLength(5);
    const round = await stack.table.rounds.findRound("hokkaido-kita-no-monozukuri", 2019, 2);
    // The re-run (no deadline given) keeps the deadline the round was opened with.
    expect(round?.deadline).toBe(deadline);
  });

  it("takes a late answer between the deadline and the close, and counts it as late", async () => {
    // The round's deadline is 1.5 s away and it closes 8 s after that.
    const { executionArn, links } = await startRoundAndCollectLinks(stack, 2019, 3, 1_500, 8_000);
    await expect
      .poll(() => stack.table.requests.findRequest("hokkaido-kita-no-monozukuri", 2019, 3, "hsc"), { timeout: 10_000 })
      .toMatchObject({ status: "overdue" });
    const late = await fetch(links.get("hsc@example.jp") as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "counts[consultations]=1&counts[seminarsAndEvents]=0&counts[agreementsConcluded]=0",
    });
    expect(late.status).toBe(200);
    const finished = await stack.stepFunctions.waitForExecution(executionArn, 30_000);
    expect(JSON.parse(finished.output ?? "{}").completeness).toMatchObject({ answered: 1, onTime: 0, late: 1 });
    expect(await stack.table.requests.findRequest("hokkaido-kita-no-monozukuri", 2019, 3, "hsc")).toMatchObject({
      status: "answered",
      answeredOnTime: false,
    });
  });
});
