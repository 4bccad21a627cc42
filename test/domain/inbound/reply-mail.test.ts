import { describe, expect, it } from "vitest";
import { jstInstant } from "../../../domain/calendar.ts";
import {
  quarantineNoticeMail,
  replyFileErrorsMail,
  replyNoAttachmentMail,
  replyReceiptMail,
  replyRoundClosedMail,
} from "../../../domain/inbound/reply-mail.ts";
import { requestMail } from "../../../domain/mail.ts";
import { reminderMail } from "../../../domain/reminder-mail.ts";
import { referencePlan } from "../../fixtures/plans.ts";

const plan = referencePlan();
const [hro] = plan.institutions;
if (!hro) throw new Error("fixture");
const context = {
  plan,
  institution: hro,
  fiscalYear: 2022,
  quarter: 1 as const,
  sender: "tanto@hro.example.jp",
  replyAddress: "answer+token@reply.example.jp",
};
const report = {
  nothingToReport: false,
  cases: [],
  counts: { consultations: 3, seminarsAndEvents: 1, agreementsConcluded: 0 },
  narrative: { initiatives: "", issues: "", nextSteps: "" },
} as unknown as Parameters<typeof replyReceiptMail>[1]["report"];

describe("the mail written back to a reply", () => {
  it("is a receipt to the sender alone, with number, version and what was stored, replying to the same address", () => {
    const mail = replyReceiptMail(context, {
      receiptNumber: "2022-Q1-hro-v2",
      version: 2,
      submittedAt: jstInstant(2022, 5, 1, 10),
      fileName: "回答.xlsx",
      report,
      stored: true,
      verdictsChecked: true,
    });
    expect(mail.to).toEqual(["tanto@hro.example.jp"]);
    expect(mail.replyTo).toEqual(["answer+token@reply.example.jp"]);
    expect(mail.subject).toContain("受付番号 2022-Q1-hro-v2");
    expect(mail.text).toContain("修正版（第2版）");
    expect(mail.text).toContain("相談対応 3 件");
    expect(mail.text).not.toContain("SPF・DKIM は検証していません");
  });

  it("says so when the local listener checked neither SPF nor DKIM", () => {
    const mail = replyReceiptMail(context, {
      receiptNumber: "n",
      version: 1,
      submittedAt: new Date(),
      fileName: "a.csv",
      report,
      stored: true,
      verdictsChecked: false,
    });
    expect(mail.text).toContain("SPF・DKIM は検証していません");
  });

  it("lists each error of the file in both languages, with the form link", () => {
    const mail = replyFileErrorsMail(context, {
      fileName: "a.xlsx",
      errors: [{ ja: "支援区分を選んでください", en: "choose a kind of support", where: "案件!C5" }],
      formUrl: "https://forms.example.jp/forms/x",
    });
    expect(mail.text).toContain("・案件!C5：支援区分を選んでください");
    expect(mail.text).toContain("案件!C5: choose a kind of support");
    expect(mail.text).toContain("https://forms.example.jp/forms/x");
  });

  it("explains how to answer when nothing is attached, and refuses politely after the close", () => {
    expect(replyNoAttachmentMail(context, { formUrl: "https://f/x" }).text).toContain("https://f/x");
    expect(replyRoundClosedMail(context).text).toContain("締め切られている");
  });

  it("tells the secretariat why a reply was quarantined, and where it is kept", () => {
    const mail = quarantineNoticeMail({
      plan,
      institution: hro,
      fiscalYear: 2022,
      quarter: 1,
      reason: "dkim-failed",
      from: "x@evil.example",
      subject: "Re",
      receivedAt: new Date(),
      storedAt: "s3://bucket/inbound/abc",
    });
    expect(mail.to).toEqual(plan.secretariat.contacts.map((contact) => contact.email));
    expect(mail.text).toContain("DKIM");
    expect(mail.text).toContain("s3://bucket/inbound/abc");
  });
});

describe("the request and its reminders, with a reply address", () => {
  const input = {
    plan,
    institution: hro,
    fiscalYear: 2022,
    quarter: 1 as const,
    deadline: jstInstant(2022, 7, 15, 17),
    closesAt: jstInstant(2022, 7, 29, 17),
    formUrl: "https://f/x",
    replyAddress: "answer+token@reply.example.jp",
  };
  it("reply to the request's address and say that a reply with the file is an answer", () => {
    for (const mail of [requestMail(input), reminderMail(input)]) {
      expect(mail.replyTo).toEqual(["answer+token@reply.example.jp"]);
      expect(mail.text).toContain("添付して返信");
    }
  });
});
