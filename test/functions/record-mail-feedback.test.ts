import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// No local engine bounces mail (aws-ses-v2-local keeps every message), so the handler is fed SES's own documented
// event records ("Examples of event data that Amazon SES publishes to Amazon SNS": a Bounce and a Complaint record
// of event publishing through a configuration set, with the mail's tags), wrapped in the SNS event Lambda receives.

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
  await startRoundAndCollectLinks(stack, 2021, 2, 3_600_000, 3_600_000);
});
afterAll(() => stack?.stop());

const tags = {
  "ses:configuration-set": ["PdcaServiceMailFeedback"],
  plan: [PLAN_ID],
  "fiscal-year": ["2021"],
  quarter: ["2"],
  institution: ["hsc"],
};

function mail(messageId: string) {
  return {
    timestamp: "2021-10-01T00:00:02.012Z",
    source: "noreply@example.jp",
    sourceArn: "arn:aws:ses:ap-northeast-1:123456789012:identity/example.jp",
    sendingAccountId: "123456789012",
    messageId,
    destination: ["hsc@example.jp"],
    headersTruncated: false,
    tags,
  };
}

const bounce = {
  eventType: "Bounce",
  bounce: {
    bounceType: "Permanent",
    bounceSubType: "General",
    bouncedRecipients: [
      {
        emailAddress: "hsc@example.jp",
        action: "failed",
        status: "5.1.1",
        diagnosticCode: "smtp; 550 5.1.1 user unknown",
      },
    ],
    timestamp: "2021-10-01T00:01:02.669Z",
    feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
    reportingMTA: "dsn; mta.example.jp",
  },
  mail: mail("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"),
};

const complaint = {
  eventType: "Complaint",
  complaint: {
    complainedRecipients: [{ emailAddress: "hsc@example.jp" }],
    timestamp: "2021-10-01T00:05:01.000Z",
    feedbackId: "0100015e1c0a4a3c-EXAMPLE-000000",
    userAgent: "Mozilla/5.0",
    complaintFeedbackType: "abuse",
    arrivalDate: "2021-10-01T00:05:00.000Z",
  },
  mail: mail("EXAMPLE-complained-000000"),
};

/** The SNS event Lambda receives for one published record. */
function snsEvent(record: unknown, messageId: string) {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:ap-northeast-1:123456789012:MailFeedbackTopic:subscription",
        Sns: {
          Type: "Notification",
          MessageId: messageId,
          TopicArn: "arn:aws:sns:ap-northeast-1:123456789012:MailFeedbackTopic",
          Subject: null,
          Message: JSON.stringify(record),
          Timestamp: "2021-10-01T00:01:03.000Z",
          MessageAttributes: {},
        },
      },
    ],
  };
}

const toSecretariat = async () =>
  (await readMailbox(stack.urls.mailbox)).filter(
    (message) =>
      message.destination.to.includes("secretariat@example.jp") && message.subject.includes("届いていません"),
  );

describe("a bounce or complaint from SES", () => {
  it("marks the request's address undeliverable and tells the secretariat at once, naming the address, once", async () => {
    const result = await invokeInProcess("recordMailFeedback", snsEvent(bounce, "sns-1"));
    expect(result).toEqual({ marked: ["hsc@example.jp"] });
    const request = await stack.table.requests.findRequest(PLAN_ID, 2021, 2, "hsc");
    expect(request?.undeliverable).toEqual(["hsc@example.jp"]);
    const told = await toSecretariat();
    expect(told).toHaveLength(1);
    expect(told[0]?.subject).toContain("hsc@example.jp");
    expect(told[0]?.body.text).toContain("公益財団法人北海道中小企業総合支援センター");
    expect(told[0]?.body.text).toContain("これ以上メールを送りません");
    const audit = await stack.table.submissions.listAudit(PLAN_ID, 2021);
    expect(audit.filter((entry) => entry.action === "bounce")).toHaveLength(1);

    // SNS delivers at least once, and a complaint may follow the bounce: the secretariat is told once.
    await invokeInProcess("recordMailFeedback", snsEvent(bounce, "sns-1"));
    expect(await invokeInProcess("recordMailFeedback", snsEvent(complaint, "sns-2"))).toEqual({ marked: [] });
    expect(await toSecretariat()).toHaveLength(1);
  });

  it("sends no more mail to the address in the round", async () => {
    const before = (await readMailbox(stack.urls.mailbox)).length;
    const round = await stack.table.rounds.findRound(PLAN_ID, 2021, 2);
    await invokeInProcess("actOnMoment", {
      round: { planId: PLAN_ID, fiscalYear: 2021, quarter: 2, deadline: round?.deadline, closesAt: round?.closesAt },
      moment: { id: "reminder-3", kind: "reminder", at: new Date().toISOString() },
      batch: 0,
    });
    const sent = (await readMailbox(stack.urls.mailbox)).slice(before);
    // Every other unanswered institution is reminded; hsc's only address bounced, so it gets nothing.
    expect(sent.map((message) => message.destination.to[0]).sort()).toEqual([
      "dogin@example.jp",
      "hokuyo@example.jp",
      "hro@example.jp",
      "nortec@example.jp",
    ]);
    const reminders = await stack.table.reminders.listReminders(PLAN_ID, 2021, 2);
    expect(reminders.find((reminder) => reminder.institutionId === "hsc")).toMatchObject({ status: "failed" });
  });

  it("leaves alone a transient bounce and mail that is not about a request", async () => {
    const transient = {
      ...bounce,
      bounce: { ...bounce.bounce, bounceType: "Transient", bounceSubType: "MailboxFull" },
    };
    expect(await invokeInProcess("recordMailFeedback", snsEvent(transient, "sns-3"))).toEqual({ marked: [] });
    const untagged = { ...bounce, mail: { ...bounce.mail, tags: { "ses:configuration-set": ["x"] } } };
    expect(await invokeInProcess("recordMailFeedback", snsEvent(untagged, "sns-4"))).toEqual({ marked: [] });
  });
});
