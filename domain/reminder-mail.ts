import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "./calendar.ts";
import { type MailMessage, replyLines, replyToOf } from "./mail.ts";
import { type Institution, leadInstitution, type Plan } from "./plan.ts";

/** What a reminder or notice to an institution says about its round. */
export interface ChaseMailInput {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  deadline: Date;
  closesAt: Date;
  formUrl: string;
  /** The request's reply address; without one, replies go to the secretariat. */
  replyAddress?: string;
}

const footer = ["", "※このメールはシステムから自動送信しています。"];

function greeting(plan: Plan, institution: Institution): string[] {
  const names = institution.contacts.map((contact) => `${contact.name} 様`).join("、");
  return [institution.name, names, "", `いつもお世話になっております。${plan.secretariat.name}です。`, ""];
}

/**
 * A mail to an institution that carries its personal link again, the same one its request carried: what it says
 * first, the date it is about, the link, anything after it, and a line in English.
 */
function sameLinkMail(
  input: Pick<ChaseMailInput, "plan" | "institution" | "formUrl" | "replyAddress">,
  parts: { subject: string; lead: string[]; date: string; after?: string[]; english: string },
): MailMessage {
  const { plan, institution } = input;
  return {
    to: institution.contacts.map((contact) => contact.email),
    replyTo: replyToOf(plan, input.replyAddress),
    subject: `【${plan.name}】${parts.subject}`,
    text: [
      ...greeting(plan, institution),
      ...parts.lead,
      "",
      parts.date,
      "■ 回答フォーム（先日お送りしたものと同じ、貴機関専用のリンクです。転送しないでください）：",
      input.formUrl,
      ...(input.replyAddress ? ["", ...replyLines(plan, input.replyAddress)] : []),
      "",
      ...(parts.after ? [...parts.after, ""] : []),
      `(English) ${parts.english}`,
      ...footer,
    ].join("\n"),
  };
}

/**
 * A reminder before the deadline (scheduled, or sent by the secretariat): the same personal link as the request,
 * worded so that an answer already on its way is not scolded.
 */
export function reminderMail(input: ChaseMailInput): MailMessage {
  const period = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)}`;
  const due = formatJapaneseDate(input.deadline, { withTime: true });
  return sameLinkMail(input, {
    subject: `${period}の実施状況のご報告について（再送・${due}まで）`,
    lead: [
      `先日ご依頼いたしました${period}の実施状況のご報告について、回答期限が近づいておりますので、念のためご連絡いたします。`,
      "お忙しいところ恐れ入りますが、期限までにご回答くださいますようお願い申し上げます。",
    ],
    date: `■ 回答期限：${due}`,
    after: ["本メールと行き違いでご回答いただいている場合は、失礼をお詫びいたします。"],
    english:
      "A reminder that the quarterly report above is due by the deadline shown; the link is the same one sent with the request.",
  });
}

/** The notice after the deadline: late answers are still taken until the round closes, through the same link. */
export function overdueNoticeMail(input: ChaseMailInput): MailMessage {
  const { plan, institution, fiscalYear, quarter } = input;
  const period = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}`;
  const closes = formatJapaneseDate(input.closesAt, { withTime: true });
  return {
    to: institution.contacts.map((contact) => contact.email),
    replyTo: replyToOf(plan, input.replyAddress),
    subject: `【${plan.name}】${period}の実施状況のご報告のお願い（回答期限を過ぎています）`,
    text: [
      ...greeting(plan, institution),
      `${period}の実施状況のご報告につきまして、回答期限（${formatJapaneseDate(input.deadline, { withTime: true })}）を過ぎましたが、まだご回答を確認できておりません。`,
      `${closes}までは引き続きご回答を受け付けておりますので、お手数ですが下記のフォームからご回答くださいますようお願いいたします。`,
      "",
      "■ 回答フォーム（貴機関専用のリンクです。転送しないでください）：",
      input.formUrl,
      ...(input.replyAddress ? ["", ...replyLines(plan, input.replyAddress)] : []),
      "",
      input.replyAddress
        ? "ご事情によりご回答が難しい場合は、事務局までお知らせください。"
        : "ご事情によりご回答が難しい場合は、このメールにご返信のうえ、事務局までお知らせください。",
      "本メールと行き違いでご回答いただいている場合は、失礼をお詫びいたします。",
      "",
      `(English) The quarterly report above is past its deadline; late answers are taken through the same link until ${input.closesAt.toISOString()}.`,
      ...footer,
    ].join("\n"),
  };
}

/**
 * Whom an institution's long-overdue answer is escalated to: its escalation contacts; else the lead institution's
 * contacts; for the lead institution without its own, nobody but the secretariat (then in To, not in copy).
 */
export function escalationRecipients(plan: Plan, institution: Institution): { to: string[]; cc: string[] } {
  const secretariat = plan.secretariat.contacts.map((contact) => contact.email);
  const lead = leadInstitution(plan);
  const contacts = institution.escalationContacts ?? (lead.id === institution.id ? [] : lead.contacts);
  if (contacts.length === 0) return { to: secretariat, cc: [] };
  return { to: contacts.map((contact) => contact.email), cc: secretariat };
}

/**
 * The escalation: a polite word to the institution's head (or the lead institution) that its answer has not come,
 * the secretariat in copy. It carries no form link: the link is the institution's own, already with its contacts.
 */
export function escalationMail(input: Omit<ChaseMailInput, "formUrl"> & { emailedAt?: Date }): MailMessage {
  const { plan, institution, fiscalYear, quarter } = input;
  const period = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}`;
  const recipients = escalationRecipients(plan, institution);
  const named = institution.escalationContacts?.map((contact) => `${contact.name} 様`).join("、");
  const asked = input.emailedAt ? `${formatJapaneseDate(input.emailedAt)}に` : "";
  return {
    ...recipients,
    replyTo: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${period}の実施状況のご報告について（${institution.name}様・ご確認のお願い）`,
    text: [
      named ? `${institution.name}\n${named}` : `${institution.name}の件につき、ご連絡いたします。`,
      "",
      `いつもお世話になっております。${plan.secretariat.name}です。`,
      "",
      `${plan.name}に基づく${period}の実施状況のご報告を、${asked}${institution.name}のご担当者様（${institution.contacts.map((contact) => contact.email).join("、")}）にお願いしておりましたが、回答期限（${formatJapaneseDate(input.deadline, { withTime: true })}）を過ぎてもご回答をいただけておりません。`,
      "ご多用のところ誠に恐縮ですが、ご担当者様へのお声がけなど、ご確認いただけますと幸いです。",
      `回答は${formatJapaneseDate(input.closesAt, { withTime: true })}まで、ご担当者様にお送りしたリンクから受け付けております。`,
      "",
      "本メールは事務局にも写しをお送りしています。行き違いでご回答いただいている場合は、失礼をお詫びいたします。",
      "",
      `(English) ${institution.name} has not yet sent its quarterly report, now past its deadline; the secretariat is copied.`,
      ...footer,
    ].join("\n"),
  };
}

/** Tells the secretariat at once that mail to an address bounced or was complained about, and what follows. */
export function undeliverableMail(input: {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  address: string;
  reason: "bounce" | "complaint";
  detail?: string;
}): MailMessage {
  const { plan, institution, fiscalYear, quarter, address } = input;
  const period = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}`;
  const what =
    input.reason === "bounce" ? "配信できませんでした（バウンス）" : "受信者から迷惑メールとして報告されました";
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${institution.name}あてのメールが届いていません（${address}）`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${period}の照会で、${institution.name}の ${address} あてのメールが${what}。`,
      ...(input.detail ? [`（詳細：${input.detail}）`] : []),
      "",
      "この照会の期間中、このアドレスにはこれ以上メールを送りません。",
      "お手数ですが、ご担当者様に電話などで連絡先をご確認のうえ、計画ファイルの連絡先を更新してください。",
      "",
      `(English) Mail to ${address} (${institution.name}) ${input.reason === "bounce" ? "bounced" : "drew a complaint"}; no more mail goes to that address in this round.`,
      ...footer,
    ].join("\n"),
  };
}

/**
 * The secretariat extended an institution's deadline (from the console): the new date, and the same personal link,
 * so that it needs nothing else to answer.
 */
export function deadlineExtendedMail(input: ChaseMailInput): MailMessage {
  const period = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)}`;
  const due = formatJapaneseDate(input.deadline, { withTime: true });
  return sameLinkMail(input, {
    subject: `${period}の実施状況のご報告：回答期限を${due}まで延長しました`,
    lead: [
      `${period}の実施状況のご報告につきまして、貴機関の回答期限を${due}まで延長いたしました。`,
      "お手数ですが、下記のフォームからご回答くださいますようお願いいたします。",
    ],
    date: `■ 新しい回答期限：${due}`,
    english: `Your deadline for the quarterly report above is extended to ${input.deadline.toISOString()}; the link is the same one sent with the request.`,
  });
}

/**
 * The secretariat accepted an institution's answer after the round closed (from the console): until when, and the
 * same personal link, which works again until then.
 */
export function lateAnswerAcceptedMail(input: Omit<ChaseMailInput, "closesAt"> & { until: Date }): MailMessage {
  const period = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)}`;
  const until = formatJapaneseDate(input.until, { withTime: true });
  return sameLinkMail(input, {
    subject: `${period}の実施状況のご報告：${until}まで受け付けます`,
    lead: [
      `${period}の実施状況のご報告は締め切りましたが、貴機関からのご回答は${until}まで受け付けることといたしました。`,
      "お手数ですが、下記のフォームからご回答くださいますようお願いいたします。",
    ],
    date: `■ 受付期限：${until}`,
    english: `The round above has closed, but your answer is accepted until ${input.until.toISOString()} through the same link.`,
  });
}
