import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../domain/keys.ts";
import { documentClient } from "../../functions/adapters/clients/dynamodb.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { formLinks, PLAN_ID, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// Sending a request again, as a retry would after the mail went out but before the send was recorded: the link the
// institution already holds must keep working.

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe("SendRequest retried after its mail went out", () => {
  it("mails the same link again, and the first link still opens the form", async () => {
    const deadline = new Date(Date.now() + 3_600_000).toISOString();
    const closesAt = new Date(Date.now() + 7_200_000).toISOString();
    const { links } = await startRoundAndCollectLinks(stack, 2022, 1, 3_600_000, 3_600_000);
    const first = links.get("hro@example.jp") as string;
    expect((await fetch(first)).status).toBe(200);

    // The crash window: SES accepted the mail, the function died before recording it.
    await documentClient.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.request(PLAN_ID, 2022, 1, "hro"),
        UpdateExpression: "SET #status = :pending REMOVE emailedAt",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pending": "pending" },
      }),
    );
    const round = { planId: PLAN_ID, fiscalYear: 2022, quarter: 1, deadline, closesAt };
    // The retry runs the whole batch again: only hro, whose send was not recorded, is mailed.
    await invokeInProcess("sendRequest", { round, batch: 0 });

    const toHro = (await readMailbox(stack.urls.mailbox)).filter(
      (mail) => mail.destination.to.includes("hro@example.jp") && mail.subject.includes("2022年度"),
    );
    expect(toHro).toHaveLength(2);
    expect(toHro.map((mail) => formLinks(mail.body.text ?? "")[0])).toEqual([first, first]);
    expect((await fetch(first)).status).toBe(200);
    expect((await stack.table.requests.findRequest(PLAN_ID, 2022, 1, "hro"))?.status).toBe("sent");
    // Each request has a link of its own.
    expect(new Set(links.values()).size).toBe(5);
  });
});
