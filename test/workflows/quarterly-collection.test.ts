import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

function formLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
}

describe("QuarterlyCollection on the local runner", () => {
  it("asks five institutions, four answer, one times out, the round closes at 80% and the secretariat is told", async () => {
    const deadline = new Date(Date.now() + 6_000).toISOString();
    const execution = stack.startRound({
      planId: "hokkaido-kita-no-monozukuri",
      fiscalYear: 2019,
      quarter: 1,
      deadline,
    });
    // Wait until all five requests are out.
    let requests = await stack.repository.listRequests("hokkaido-kita-no-monozukuri", 2019, 1);
    for (let tries = 0; tries < 100 && requests.filter((request) => request.status === "sent").length < 5; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      requests = await stack.repository.listRequests("hokkaido-kita-no-monozukuri", 2019, 1);
    }
    expect(requests.map((request) => request.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
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
    const round = await stack.repository.findRound("hokkaido-kita-no-monozukuri", 2019, 1);
    expect(round?.status).toBe("closed");
    const dogin = await stack.repository.findRequest("hokkaido-kita-no-monozukuri", 2019, 1, "dogin");
    expect(dogin?.status).toBe("overdue");
    const summary = (await readMailbox(stack.urls.mailbox)).find((mail) =>
      mail.destination.to.includes("secretariat@example.jp"),
    );
    expect(summary?.subject).toContain("回答率 80.0%");
    expect(summary?.body.text).toContain("株式会社北海道銀行");
  });
});
