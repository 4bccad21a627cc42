import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import iconv from "iconv-lite";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reviewFromTable } from "../../functions/adapters/review-source.ts";
import { openInboundStore } from "../../functions/adapters/table/index.ts";
import { startBanner } from "../../local/cli/start.ts";
import { readMailbox, type StoredEmail } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import { DEFAULT_PORTS, type LocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";
import { filledLikeAPerson, prefilledWorkbook, workbookForm } from "../fixtures/answer-workbook.ts";
import { sesReceiptEvent } from "../fixtures/ses-receipt-event.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// Replies to the request mail, end to end on the local stack: sent with nodemailer to the SMTP listener that plays
// the template's SES receipt rule (raw message into the template's bucket on s3rver, then receiveReply), or, for the
// SPF/DKIM verdicts the listener cannot give, stored in the same bucket and handed to receiveReply as SES's event.

const FY = 2021;
const QUARTER = 2;
let stack: LocalStack;
let replyTo: Map<string, string>;
let s3: S3Client;

type Mail = StoredEmail & { replyTo?: string[] };

beforeAll(async () => {
  stack = await startTestStack();
  const before = new Set((await readMailbox(stack.urls.mailbox)).map((mail) => mail.messageId));
  await startRoundAndCollectLinks(stack, FY, QUARTER, 60 * 60_000);
  const requests = (await readMailbox(stack.urls.mailbox)).filter((mail) => !before.has(mail.messageId)) as Mail[];
  replyTo = new Map(requests.map((mail) => [mail.destination.to[0] ?? "", mail.replyTo?.[0] ?? ""]));
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

function replyAddressOf(contact: string): string {
  const address = replyTo.get(contact);
  if (!address) throw new Error(`no reply address for ${contact}`);
  return address;
}

/** Sends a message to the local listener as a mail program would. */
async function send(message: Parameters<ReturnType<typeof createTransport>["sendMail"]>[0]): Promise<void> {
  const port = Number(new URL(stack.urls.smtp).port);
  const transport = createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** Mail the platform sent to `address` since `since` (a snapshot of the mailbox's ids). */
async function mailTo(address: string, since: Set<string>): Promise<Mail[]> {
  return ((await readMailbox(stack.urls.mailbox)) as Mail[]).filter(
    (mail) => !since.has(mail.messageId) && [...mail.destination.to, ...mail.destination.cc].includes(address),
  );
}

async function mailboxIds(): Promise<Set<string>> {
  return new Set((await readMailbox(stack.urls.mailbox)).map((mail) => mail.messageId));
}

const versionsOf = (institutionId: string) =>
  stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, QUARTER, institutionId);

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const csv = [
  ["相談対応件数", "５"],
  ["セミナー・イベント開催件数", "2"],
  ["協定締結件数", "1"],
  [],
  ["案件番号", "事業者・事業名", "市町村", "事業分野", "支援開始年度", "技術支援・助言", "今期の支援内容"],
  ["HKD-2021-007", "株式会社北の新規", "旭川市", "IT（情報技術）関連", "R3", "○", "技術指導"],
]
  .map((row) => row.map((cell) => `"${cell}"`).join(","))
  .join("\r\n");

describe("a reply with the filled workbook, through the SMTP listener", () => {
  it("is stored once as version 1 and answered with its receipt; a second reply (CSV) is version 2", async () => {
    const since = await mailboxIds();
    const workbook = await filledLikeAPerson(
      await prefilledWorkbook({ ...workbookForm(), fiscalYear: FY, quarter: QUARTER }),
    );
    await send({
      from: "hro@example.jp",
      to: replyAddressOf("hro@example.jp"),
      subject: "Re: 実施状況のご報告のお願い",
      text: "記入した様式をお送りします。",
      attachments: [{ filename: "実施状況報告.xlsx", content: Buffer.from(workbook), contentType: XLSX }],
    });
    const versions = await versionsOf("hro");
    expect(versions.map((version) => [version.version, version.channel])).toEqual([[1, "email"]]);
    const [receipt] = await mailTo("hro@example.jp", since);
    expect(receipt?.subject).toMatch(/ご回答を受け付けました（受付番号 .+）/);
    expect(receipt?.body.text).toContain("■ 版：第1版");
    expect(receipt?.body.text).toContain("支援案件 2 件");
    expect(receipt?.body.text).toContain("SPF・DKIM は検証していません");
    expect(receipt?.replyTo).toEqual([replyAddressOf("hro@example.jp")]);

    const again = await mailboxIds();
    await send({
      from: "hro@example.jp",
      to: replyAddressOf("hro@example.jp").toUpperCase(),
      subject: "Re: Re: 実施状況のご報告のお願い",
      attachments: [{ filename: "回答.csv", content: iconv.encode(csv, "cp932"), contentType: "text/csv" }],
    });
    expect((await versionsOf("hro")).map((version) => version.version)).toEqual([1, 2]);
    const latest = await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, QUARTER, "hro");
    expect(latest?.report.counts.consultations).toBe(5);
    const [correction] = await mailTo("hro@example.jp", again);
    expect(correction?.body.text).toContain("修正版（第2版）");

    // The year's review counts the answer that came by mail as any other: its latest version, on time.
    const plan = await stack.table.plans.getPlan(PLAN_ID);
    const { review } = await reviewFromTable(stack.table, plan, FY, new Date());
    const hro = review.breakdowns.byInstitution.find((row) => row.key === "hro");
    expect(hro).toMatchObject({ cases: 1, consultations: 5 });
    const q2 = review.completeness.byQuarter.find((quarter) => quarter.quarter === QUARTER);
    expect(q2).toMatchObject({ answered: 1, onTime: 1 });
  });

  it("answers a file with errors with each error and where it is, storing nothing", async () => {
    const since = await mailboxIds();
    const wrong = csv.replace("旭川市", "どこか");
    await send({
      from: "nortec@example.jp",
      to: replyAddressOf("nortec@example.jp"),
      subject: "Re",
      attachments: [{ filename: "回答.csv", content: Buffer.from(wrong, "utf8"), contentType: "text/csv" }],
    });
    expect(await versionsOf("nortec")).toEqual([]);
    const [reply] = await mailTo("nortec@example.jp", since);
    expect(reply?.subject).toContain("受け付けられませんでした");
    expect(reply?.body.text).toMatch(/市町村/);
  });

  it("answers a reply with nothing attached with how to answer and the form link", async () => {
    const since = await mailboxIds();
    await send({ from: "hsc@example.jp", to: replyAddressOf("hsc@example.jp"), subject: "Re", text: "質問です" });
    const [reply] = await mailTo("hsc@example.jp", since);
    expect(reply?.subject).toContain("ご回答の送り方");
    expect(reply?.body.text).toMatch(/\/forms\/[A-Za-z0-9_-]{43}/);
    expect(await versionsOf("hsc")).toEqual([]);
  });

  it("never answers an auto-reply, and stores nothing from it", async () => {
    const since = await mailboxIds();
    await send({
      from: "hokuyo@example.jp",
      to: replyAddressOf("hokuyo@example.jp"),
      subject: "自動応答：不在にしています",
      headers: { "Auto-Submitted": "auto-replied" },
      attachments: [{ filename: "回答.csv", content: Buffer.from(csv, "utf8"), contentType: "text/csv" }],
    });
    expect(await mailTo("hokuyo@example.jp", since)).toEqual([]);
    expect(await versionsOf("hokuyo")).toEqual([]);
  });

  it("quarantines a reply from an address that is not the institution's contact and tells the secretariat", async () => {
    const since = await mailboxIds();
    await send({
      from: "someone@elsewhere.example",
      to: replyAddressOf("dogin@example.jp"),
      subject: "Re",
      attachments: [{ filename: "回答.csv", content: Buffer.from(csv, "utf8"), contentType: "text/csv" }],
    });
    expect(await versionsOf("dogin")).toEqual([]);
    expect(await mailTo("someone@elsewhere.example", since)).toEqual([]);
    const [notice] = await mailTo("secretariat@example.jp", since);
    expect(notice?.subject).toContain("保留しました");
    expect(notice?.body.text).toContain("担当者として登録されたアドレスではありません");
    expect(notice?.body.text).toMatch(/s3:\/\/.+\/inbound\/[0-9a-f]{40}/);
  });

  it("refuses mail for an address of a domain no receipt rule covers, as SES does", async () => {
    await expect(send({ from: "hro@example.jp", to: "someone@example.jp", subject: "x", text: "x" })).rejects.toThrow(
      /550/,
    );
  });
});

describe("SES's receipt event, with its SPF and DKIM verdicts", () => {
  /** Stores a raw message where the S3 action would and calls receiveReply as the Lambda action would. */
  async function receive(input: {
    from: string;
    to: string;
    spf: "PASS" | "FAIL";
    dkim: "PASS" | "FAIL";
    messageId?: string;
  }) {
    const messageId = input.messageId ?? `ses${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const raw = [
      `From: ${input.from}`,
      `To: ${input.to}`,
      "Subject: Re: report",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "attached",
      "--b",
      'Content-Type: text/csv; name="answer.csv"',
      'Content-Disposition: attachment; filename="answer.csv"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(csv, "utf8").toString("base64"),
      "--b--",
      "",
    ].join("\r\n");
    const inboundBucket = process.env.INBOUND_BUCKET ?? "";
    await s3.send(new PutObjectCommand({ Bucket: inboundBucket, Key: `inbound/${messageId}`, Body: raw }));
    return invokeInProcess(
      "receiveReply",
      sesReceiptEvent({ messageId, spf: input.spf, dkim: input.dkim, source: input.from, recipients: [input.to] }),
    );
  }

  it("quarantines a contact's reply that failed SPF or DKIM, tells the secretariat, and stores nothing", async () => {
    for (const [spf, dkim, words] of [
      ["FAIL", "PASS", "SPF"],
      ["PASS", "FAIL", "DKIM"],
    ] as const) {
      const since = await mailboxIds();
      const result = await receive({ from: "dogin@example.jp", to: replyAddressOf("dogin@example.jp"), spf, dkim });
      expect(result).toEqual({ outcomes: ["quarantined"] });
      const [notice] = await mailTo("secretariat@example.jp", since);
      expect(notice?.body.text).toContain(`${words} `);
      expect(await mailTo("dogin@example.jp", since)).toEqual([]);
    }
    expect(await versionsOf("dogin")).toEqual([]);
  });

  it("stores a contact's reply that passed both, with a receipt that does not say it was unchecked", async () => {
    const since = await mailboxIds();
    const result = await receive({
      from: "dogin@example.jp",
      to: replyAddressOf("dogin@example.jp"),
      spf: "PASS",
      dkim: "PASS",
    });
    expect(result).toEqual({ outcomes: ["stored"] });
    expect((await versionsOf("dogin")).map((version) => version.version)).toEqual([1]);
    const [receipt] = await mailTo("dogin@example.jp", since);
    expect(receipt?.body.text).not.toContain("検証していません");
  });

  it("handles a message SES delivers twice once: no second version, no second mail", async () => {
    const messageId = `twice${Date.now().toString(36)}`;
    const input = {
      from: "dogin@example.jp",
      to: replyAddressOf("dogin@example.jp"),
      spf: "PASS",
      dkim: "PASS",
    } as const;
    const before = (await versionsOf("dogin")).length;
    const since = await mailboxIds();
    expect(await receive({ ...input, messageId })).toEqual({ outcomes: ["already-stored"] });
    expect(await receive({ ...input, messageId })).toEqual({ outcomes: ["duplicate"] });
    expect(await versionsOf("dogin")).toHaveLength(before);
    expect(await mailTo("dogin@example.jp", since)).toHaveLength(1);
  });

  it("takes up a message whose first call died half-way (claimed, not handled), and stores it", async () => {
    const messageId = `halfway${Date.now().toString(36)}`;
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.urls.dynamodb,
        region: LOCAL_REGION,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      }),
    );
    try {
      const inbound = openInboundStore(client, stack.tableName);
      const subject = { planId: PLAN_ID, fiscalYear: FY, quarter: QUARTER, institutionId: "hsc" } as const;
      const record = {
        messageId,
        receivedAt: new Date().toISOString(),
        storedAt: "s3://x",
        outcome: "received" as const,
      };
      expect(await inbound.claimMessage(subject, record)).toBe(true);
      const result = await receive({
        from: "hsc@example.jp",
        to: replyAddressOf("hsc@example.jp"),
        spf: "PASS",
        dkim: "PASS",
        messageId,
      });
      expect(result).toEqual({ outcomes: ["stored"] });
      expect((await inbound.findMessage(PLAN_ID, FY, messageId))?.outcome).toBe("stored");
      expect((await versionsOf("hsc")).map((version) => version.channel)).toEqual(["email"]);
    } finally {
      client.destroy();
    }
  });

  it("ignores a reply to an address no request has, answering nobody", async () => {
    const since = await mailboxIds();
    const forged = `answer+${"a".repeat(52)}@${stack.inboundDomain}`;
    expect(await receive({ from: "hro@example.jp", to: forged, spf: "PASS", dkim: "PASS" })).toEqual({
      outcomes: ["unknown-address"],
    });
    expect((await readMailbox(stack.urls.mailbox)).filter((mail) => !since.has(mail.messageId))).toEqual([]);
  });
});

describe("mail loops", () => {
  it("are cut: a request's replies make the platform write at most ten mails an hour", async () => {
    const since = await mailboxIds();
    // A robot that answers every mail without saying so (no Auto-Submitted): twelve replies in a row.
    for (let count = 0; count < 12; count++)
      await send({ from: "hokuyo@example.jp", to: replyAddressOf("hokuyo@example.jp"), subject: "Re", text: "ok" });
    expect(await mailTo("hokuyo@example.jp", since)).toHaveLength(10);
  }, 60_000);
});

describe("the local stack", () => {
  it("prints the SMTP listener's port and shows it on the status page", async () => {
    expect(startBanner(stack, ".local")).toContain(`reply SMTP  : ${stack.urls.smtp}`);
    expect(startBanner(stack, ".local")).toContain(`answer+<token>@${stack.inboundDomain}`);
    expect(stack.inboundDomain).toBe("reply.example.jp");
    expect(DEFAULT_PORTS.smtp).toBe(2525);
    const page = await (await fetch(stack.urls.status)).text();
    expect(page).toContain(stack.urls.smtp);
  });
});

describe("a reply after the round closed", () => {
  it("is refused politely and nothing is stored", async () => {
    const { links } = await startRoundAndCollectLinks(stack, FY, 3, 1_000, 500);
    expect(links.size).toBe(5);
    const requests = ((await readMailbox(stack.urls.mailbox)) as Mail[]).filter((mail) =>
      mail.subject.includes("第3四半期"),
    );
    const address = requests.find((mail) => mail.destination.to.includes("hro@example.jp"))?.replyTo?.[0] ?? "";
    expect(address).toMatch(/^answer\+/);
    await vi.waitFor(
      async () => {
        const round = await stack.table.rounds.findRound(PLAN_ID, FY, 3);
        if (round?.status !== "closed") throw new Error("round still open");
      },
      { timeout: 30_000, interval: 200 },
    );
    const since = await mailboxIds();
    await send({
      from: "hro@example.jp",
      to: address,
      subject: "Re",
      attachments: [{ filename: "回答.csv", content: Buffer.from(csv, "utf8"), contentType: "text/csv" }],
    });
    const [refusal] = await mailTo("hro@example.jp", since);
    expect(refusal?.subject).toContain("締め切られました");
    expect(await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 3, "hro")).toEqual([]);
  }, 60_000);
});
