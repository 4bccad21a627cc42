import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "./calendar.ts";
import { CHASE_LABELS, type ChaseKind } from "./chase.ts";
import { formatPercent } from "./format.ts";
import type { Institution, Plan } from "./plan.ts";
import type { Completeness } from "./round.ts";

/** A plain-text message ready for the mailer. */
export interface MailMessage {
  to: string[];
  /** Copied, as the secretariat is on an escalation. */
  cc?: string[];
  /** Where a reply goes; the sender is a no-reply address. */
  replyTo?: string[];
  subject: string;
  text: string;
  /** Says which request a mail belongs to; SES hands tags back with a bounce or complaint about it. */
  tags?: Record<string, string>;
  /** Files sent with it (the quarter's answer workbook). */
  attachments?: MailAttachment[];
}

/** A file attached to a message. */
export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** The tags of a mail about one request, as SES carries them (letters, digits, `_ - . @` only). */
export function requestTags(request: {
  planId: string;
  fiscalYear: number;
  quarter: number;
  institutionId: string;
}): Record<string, string> {
  return {
    plan: request.planId,
    "fiscal-year": String(request.fiscalYear),
    quarter: String(request.quarter),
    institution: request.institutionId,
  };
}

/** The quarterly request to one institution: what is asked, by when, and its personal link. */
export function requestMail(input: {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  deadline: Date;
  formUrl: string;
  /** The request's reply address (domain/inbound/reply-address.ts); without one, replies go to the secretariat. */
  replyAddress?: string;
}): MailMessage {
  const { plan, institution, fiscalYear, quarter, deadline, formUrl } = input;
  const period = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}`;
  const due = formatJapaneseDate(deadline, { withTime: true });
  const names = institution.contacts.map((contact) => `${contact.name} 様`).join("、");
  return {
    to: institution.contacts.map((contact) => contact.email),
    replyTo: replyToOf(plan, input.replyAddress),
    tags: requestTags({ planId: plan.id, fiscalYear, quarter, institutionId: institution.id }),
    subject: `【${plan.name}】${period}の実施状況のご報告のお願い（${due}まで）`,
    text: [
      `${institution.name}`,
      `${names}`,
      "",
      `いつもお世話になっております。${plan.secretariat.name}です。`,
      "",
      `${plan.name}に基づく連携支援事業について、${period}の実施状況をご報告ください。`,
      "",
      `■ 回答期限：${due}`,
      "■ 回答フォーム（貴機関専用のリンクです。転送しないでください）：",
      formUrl,
      "",
      "前回までにご報告いただいた支援案件はフォームに表示されていますので、今期の支援内容をご記入ください。",
      "照会が締め切られるまでは、同じリンクから何度でも修正して再送信できます（最後に送信した内容が有効です）。",
      ...replyLines(plan, input.replyAddress),
      "",
      `ご不明な点は${plan.secretariat.name}（${plan.secretariat.contacts[0]?.email ?? ""}）までお問い合わせください。`,
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}

/** Where a reply to a mail about a request goes: its reply address, or else the secretariat. */
export function replyToOf(plan: Plan, replyAddress: string | undefined): string[] {
  return replyAddress ? [replyAddress] : plan.secretariat.contacts.map((contact) => contact.email);
}

/** What a mail about a request says a reply does: with a reply address, a reply with the workbook is an answer. */
export function replyLines(plan: Plan, replyAddress: string | undefined): string[] {
  if (!replyAddress) return ["このメールに返信すると事務局に届きます。"];
  return [
    "回答様式（Excel ファイル .xlsx、または CSV ファイル）に記入し、このメールに添付して返信していただくことでもご回答いただけます（受付番号を記載した受領のメールをお返しします）。",
    `このメールへの返信は回答として自動で処理されますので、ご質問は${plan.secretariat.name}（${plan.secretariat.contacts[0]?.email ?? ""}）へ直接お送りください。`,
  ];
}

/** The summary the secretariat receives when a round closes. */
export function roundSummaryMail(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  completeness: Completeness;
  statusUrl?: string;
  /** Who was reminded, told of being overdue, or escalated, and when (sent mail only). */
  chased?: ReadonlyArray<{ institutionId: string; kind: ChaseKind; sentAt: string }>;
}): MailMessage {
  const { plan, fiscalYear, quarter, completeness } = input;
  const period = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}`;
  const nameOf = (id: string) => plan.institutions.find((institution) => institution.id === id)?.name ?? id;
  const nothing = completeness.nothingToReport ?? [];
  const nothingToReport = nothing.length ? `${nothing.length} 機関（${nothing.map(nameOf).join("、")}）` : "なし";
  const missing = completeness.missing.length
    ? completeness.missing.map((id) => `  ・${nameOf(id)}`).join("\n")
    : "  なし";
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${period}の照会を締め切りました（回答率 ${formatPercent(completeness.answeredRate)}）`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${period}の実施状況の照会を締め切りました。`,
      "",
      `■ 回答：${completeness.answered} / ${completeness.expected} 機関（${formatPercent(completeness.answeredRate)}）`,
      `■ 期限内の回答：${completeness.onTime} / ${completeness.expected} 機関（${formatPercent(completeness.onTimeRate)}）`,
      `■ 期限後の回答：${completeness.late} 機関`,
      `■ 報告事項なしの回答：${nothingToReport}`,
      "■ 未回答の機関：",
      missing,
      "■ 督促・上申：",
      chasedLines(input.chased ?? [], nameOf),
      ...(input.statusUrl ? ["", `照会の状況：${input.statusUrl}`] : []),
    ].join("\n"),
  };
}

function chasedLines(
  chased: ReadonlyArray<{ institutionId: string; kind: ChaseKind; sentAt: string }>,
  nameOf: (id: string) => string,
): string {
  if (chased.length === 0) return "  なし";
  const byInstitution = new Map<string, string[]>();
  for (const entry of [...chased].sort((a, b) => a.sentAt.localeCompare(b.sentAt)))
    byInstitution.set(entry.institutionId, [
      ...(byInstitution.get(entry.institutionId) ?? []),
      `${formatJapaneseDate(new Date(entry.sentAt), { withTime: true })} ${CHASE_LABELS[entry.kind].ja}`,
    ]);
  return [...byInstitution].map(([id, lines]) => `  ・${nameOf(id)}：${lines.join("、")}`).join("\n");
}

/** Tells the secretariat which rounds of the year are not closed, and how to review the year anyway. */
export function roundsOpenMail(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  notClosed: ReadonlyArray<{ quarter: Quarter; status: "open" | "not-started" }>;
}): MailMessage {
  const { plan, fiscalYear, notClosed } = input;
  const lines = notClosed.map(
    ({ quarter, status }) =>
      `  ・${quarterLabel(quarter)}：${status === "open" ? "受付中（まだ締め切られていません）" : "未実施"}`,
  );
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)}の点検評価：締め切られていない照会があります`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${fiscalYearLabel(fiscalYear)}の点検評価を始めようとしましたが、次の照会が締め切られていません。`,
      ...lines,
      "",
      "照会の締切を待ってから点検評価を始めてください。現時点の回答で進める場合は、「締め切られていない照会があっても進める」指定で点検評価を開始し直してください（ローカル環境では次のコマンドです）。",
      `  pdca draft --plan ${plan.id} --fiscal-year ${fiscalYear} --proceed-anyway`,
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}

/** Tells the secretariat a draft report is ready, with its link. */
export function draftReadyMail(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  version: number;
  url: string;
  expiresAt: Date;
  findings: number;
  /** The year's page in the secretariat's console, where findings and decisions are added. */
  consoleUrl: string;
}): MailMessage {
  const { plan, fiscalYear, version } = input;
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)} 点検評価報告書（案）第${version}版ができました`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${fiscalYearLabel(fiscalYear)}の点検評価を行い、報告書（案）第${version}版を作成しました。`,
      `自動で抽出した所見は${input.findings}件です。内容をご確認のうえ、事務局の所見と見直しの方針をお加えください。`,
      "所見と見直しの方針は、事務局コンソールの年度のページで入力して新しい版を作成すると、報告書（案）に加わります：",
      input.consoleUrl,
      "",
      "■ 報告書（案）：",
      input.url,
      `（このリンクは${formatJapaneseDate(input.expiresAt)}まで有効です。転送しないでください）`,
      "",
      "報告書には表データ（CSV・JSON）へのリンクもあります。",
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}
