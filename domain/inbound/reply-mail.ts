import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../calendar.ts";
import type { QuarterlyReport } from "../form.ts";
import { type MailMessage, requestTags } from "../mail.ts";
import type { Institution, Plan } from "../plan.ts";
import { QUARANTINE_REASONS, type QuarantineReason } from "./inbound-mail.ts";

/** The request a reply answered, and where the answer to it goes. */
export interface ReplyContext {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  /** The one address the reply came from: the answer goes to it alone, never to every contact. */
  sender: string;
  /** The request's reply address, so that replying again sends a correction to the same request. */
  replyAddress: string;
}

/** An error in an attached file, as the file reader names it (sheet and cell, or CSV line, in `where`). */
export interface AnswerFileError {
  ja: string;
  en: string;
  where?: string;
}

const footer = ["", "※このメールはシステムから自動送信しています。", "(This message was sent automatically.)"];

function period(context: ReplyContext): string {
  return `${fiscalYearLabel(context.fiscalYear)} ${quarterLabel(context.quarter)}`;
}

function base(context: ReplyContext, subject: string, lines: string[]): MailMessage {
  return {
    to: [context.sender],
    replyTo: [context.replyAddress],
    tags: requestTags({
      planId: context.plan.id,
      fiscalYear: context.fiscalYear,
      quarter: context.quarter,
      institutionId: context.institution.id,
    }),
    subject: `【${context.plan.name}】${subject}`,
    text: [`${context.institution.name}`, `${context.sender} 様`, "", ...lines, ...footer].join("\n"),
  };
}

/** The receipt of an answer sent by reply: its number, its version, and what was read from the file. */
export function replyReceiptMail(
  context: ReplyContext,
  input: {
    receiptNumber: string;
    version: number;
    submittedAt: Date;
    fileName: string;
    report: QuarterlyReport;
    /** False when nothing new was stored: the same answer had been received before. */
    stored: boolean;
    /** False on the local stack, whose SMTP listener checks neither SPF nor DKIM. */
    verdictsChecked: boolean;
  },
): MailMessage {
  const { report } = input;
  const what = report.nothingToReport
    ? "「報告事項なし」"
    : `支援案件 ${report.cases.length} 件、相談対応 ${report.counts.consultations} 件、セミナー・イベント ${report.counts.seminarsAndEvents} 件、協定締結 ${report.counts.agreementsConcluded} 件`;
  const as = !input.stored
    ? "同じ内容のご回答をすでに受け付けていますので、新たな版は作成していません。"
    : input.version > 1
      ? `修正版（第${input.version}版）として受け付けました。これまでのご回答に代わり、この版が有効です。`
      : "ご回答として受け付けました。";
  return base(context, `${period(context)}のご回答を受け付けました（受付番号 ${input.receiptNumber}）`, [
    `添付ファイル「${input.fileName}」による${period(context)}の実施状況のご報告を、${as}`,
    "",
    `■ 受付番号：${input.receiptNumber}`,
    `■ 版：第${input.version}版`,
    `■ 受付日時：${formatJapaneseDate(input.submittedAt, { withTime: true })}`,
    `■ 受け付けた内容：${what}`,
    ...(input.verdictsChecked
      ? []
      : ["", "※ローカル環境で受信したため、差出人の SPF・DKIM は検証していません（本番環境では検証します）。"]),
    "",
    "照会が締め切られるまでは、このメールに修正したファイルを添付して返信すると、修正版として受け付けます。",
    "",
    `(English) Your answer for the quarter was received as version ${input.version}, receipt number ${input.receiptNumber}.${input.verdictsChecked ? "" : " Received locally: SPF and DKIM were not checked."}`,
  ]);
}

/** The file could not be read as an answer: every error, where it is, and how to send it again. */
export function replyFileErrorsMail(
  context: ReplyContext,
  input: { fileName: string; errors: readonly AnswerFileError[]; formUrl: string },
): MailMessage {
  const shown = input.errors.slice(0, 50);
  // The reader may lead each message with its place already; the place is then not written twice.
  const placed = (where: string | undefined, text: string, separator: string) =>
    where && !text.startsWith(where) ? `${where}${separator}${text}` : text;
  const lines = shown.flatMap((error) => [
    `  ・${placed(error.where, error.ja, "：")}`,
    `    ${placed(error.where, error.en, ": ")}`,
  ]);
  const more = input.errors.length - shown.length;
  return base(context, `${period(context)}のご回答を受け付けられませんでした（添付ファイルの誤り）`, [
    `添付ファイル「${input.fileName}」に次の誤りがあったため、ご回答を受け付けていません（何も保存していません）。`,
    "",
    ...lines,
    ...(more > 0 ? [`  ほか ${more} 件`] : []),
    "",
    "お手数ですが、ファイルを修正し、このメールに添付して返信してください。回答フォームからもご回答いただけます：",
    input.formUrl,
    "",
    `(English) The attached file "${input.fileName}" has the errors above, so nothing was stored. Fix them and reply with the file attached, or answer on the form.`,
  ]);
}

/** A reply without a workbook or CSV: how to answer by mail, and the form link. */
export function replyNoAttachmentMail(context: ReplyContext, input: { formUrl: string }): MailMessage {
  return base(context, `${period(context)}のご回答の送り方について`, [
    `${period(context)}の照会へのご返信を受け取りましたが、回答のファイルが添付されていませんでした。`,
    "メール本文はご回答として読み取りません。次のどちらかの方法でご回答ください。",
    "",
    "  1. 回答様式（Excel ファイル .xlsx、または CSV ファイル）に記入し、このメールに添付して返信する",
    "  2. 回答フォームから回答する：",
    `     ${input.formUrl}`,
    "",
    "ご質問などは事務局までお問い合わせください。",
    "",
    "(English) Your reply had no workbook or CSV attached; the text of a mail is not read as an answer. Reply with the filled workbook (.xlsx) or CSV attached, or answer on the form above.",
  ]);
}

/** A reply after the round closed: a polite refusal. */
export function replyRoundClosedMail(context: ReplyContext): MailMessage {
  const contact = context.plan.secretariat.contacts[0]?.email ?? "";
  return base(context, `${period(context)}の照会は締め切られました`, [
    `${period(context)}の実施状況のご報告をお送りいただき、ありがとうございます。`,
    "誠に恐れ入りますが、この照会はすでに締め切られているため、ご回答を受け付けることができませんでした（何も保存していません）。",
    `お手数ですが、ご事情がありましたら${context.plan.secretariat.name}（${contact}）までご連絡ください。`,
    "",
    "(English) Thank you for your reply. This round is closed, so the answer could not be accepted; nothing was stored. Please contact the secretariat.",
  ]);
}

/** Tells the secretariat that a reply was kept aside, and why; the message itself stays in the inbound bucket. */
export function quarantineNoticeMail(input: {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  reason: QuarantineReason;
  from: string;
  subject: string;
  receivedAt: Date;
  /** Where the raw message is kept (bucket and key), for whoever looks into it. */
  storedAt: string;
}): MailMessage {
  const reason = QUARANTINE_REASONS[input.reason];
  const when = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)}`;
  return {
    to: input.plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${input.plan.name}】メールでの回答を保留しました（${input.institution.name}・${when}）`,
    text: [
      `${input.plan.secretariat.name} 御中`,
      "",
      `${input.institution.name}の${when}の照会の返信用アドレスにメールが届きましたが、次の理由により回答として扱わず、保留しました（回答は保存していません。差出人には返信していません）。`,
      "",
      `■ 理由：${reason.ja}`,
      `        ${reason.en}`,
      `■ 差出人（From）：${input.from}`,
      `■ 件名：${input.subject}`,
      `■ 受信日時：${formatJapaneseDate(input.receivedAt, { withTime: true })}`,
      `■ 保管場所：${input.storedAt}`,
      "",
      "正当な回答であれば、機関の担当者に回答フォームからの回答をご依頼ください。担当者のアドレスが変わった場合は計画ファイルの担当者を更新してください。",
      "",
      `(English) A reply to ${input.institution.name}'s request was quarantined (not stored as an answer, sender not answered): ${reason.en}.`,
      ...footer,
    ].join("\n"),
  };
}
