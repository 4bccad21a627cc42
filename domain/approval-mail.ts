import type { ApprovalStep, Approver } from "./approvals.ts";
import { type FiscalYear, fiscalYearLabel, formatJapaneseDate } from "./calendar.ts";
import type { MailMessage } from "./mail.ts";
import type { Plan } from "./plan.ts";

function reportTitle(plan: Plan, fiscalYear: FiscalYear): string {
  return `${fiscalYearLabel(fiscalYear)} ${plan.name} 点検評価報告書`;
}

function salutation(approver: Approver): string {
  return `${approver.name} 様`;
}

/** Asks one approver to approve a draft version, or reminds them after the deadline was extended. */
export function approvalRequestMail(input: {
  plan: Plan;
  approver: Approver;
  step: ApprovalStep;
  fiscalYear: FiscalYear;
  version: number;
  deadline: Date;
  url: string;
  /** The deadline was extended and they have not decided yet. */
  reminder: boolean;
  /** An earlier version they were asked about: the page shows what changed since. */
  previousVersion?: number;
}): MailMessage {
  const { plan, approver, step, fiscalYear, version } = input;
  const title = reportTitle(plan, fiscalYear);
  const due = formatJapaneseDate(input.deadline, { withTime: true });
  const opening = input.reminder
    ? [
        `${title}（案）第${version}版のご承認について、期限を${due}まで延長しました。`,
        "お手数ですが、期限までにご判断をお願いいたします。",
      ]
    : [
        `${title}（案）第${version}版を作成しましたので、${step.name}をお願いいたします。`,
        ...(input.previousVersion
          ? [`前回ご確認いただいた第${input.previousVersion}版からの変更点は、リンク先のページに表示しています。`]
          : []),
      ];
  return {
    to: [approver.email],
    replyTo: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)} 点検評価報告書（案）第${version}版の${input.reminder ? "ご承認期限の延長" : "ご承認のお願い"}（${due}まで）`,
    text: [
      salutation(approver),
      "",
      `いつもお世話になっております。${plan.secretariat.name}です。`,
      "",
      ...opening,
      "",
      `■ 期限：${due}`,
      "■ 報告書（案）の確認と承認（ご本人様専用のリンクです。転送しないでください）：",
      input.url,
      "",
      "リンク先のページで報告書（案）をご確認のうえ、「承認する」または「修正を求める」（コメントを添えて）を選んで送信してください。",
      "リンクを開いただけでは何も記録されません。判断は一度だけ送信できます。",
      "",
      `ご不明な点は${plan.secretariat.name}（${plan.secretariat.contacts[0]?.email ?? ""}）までお問い合わせください。`,
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}

/** Tells the secretariat who has not decided by the step's deadline, with its link to extend or go on without them. */
export function lateApproversMail(input: {
  plan: Plan;
  step: ApprovalStep;
  fiscalYear: FiscalYear;
  version: number;
  late: readonly Approver[];
  url: string;
  /** Whether going on without them is allowed (mayProceedWithout); else the page offers only more time. */
  mayProceed: boolean;
}): MailMessage {
  const { plan, step, fiscalYear, version } = input;
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)} 報告書（案）第${version}版：期限までに判断のない承認者がいます`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${fiscalYearLabel(fiscalYear)}の点検評価報告書（案）第${version}版の「${step.name}」で、期限までに判断のなかった方がいます。`,
      ...input.late.map((approver) => `  ・${approver.name}（${approver.email}）`),
      "",
      input.mayProceed
        ? "期限を延長するか、この方々の判断なしで次に進むかを、次のページで選んでください（事務局専用のリンクです）："
        : "このステップは承認者の判断なしでは進められません。次のページで期限を延長してください（事務局専用のリンクです）：",
      input.url,
      "",
      "選ぶまで回覧は止まったままです。選んだ内容は記録されます。",
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}

/** Tells the secretariat that changes were requested, with every comment, and how to circulate a revised version. */
export function changesRequestedMail(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  version: number;
  requests: ReadonlyArray<{ approver: Approver; comment: string }>;
  /** The year's page in the secretariat's console, where a revised version is made. */
  consoleUrl: string;
}): MailMessage {
  const { plan, fiscalYear, version } = input;
  return {
    to: plan.secretariat.contacts.map((contact) => contact.email),
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)} 報告書（案）第${version}版に修正依頼がありました`,
    text: [
      `${plan.secretariat.name} 御中`,
      "",
      `${fiscalYearLabel(fiscalYear)}の点検評価報告書（案）第${version}版について、次の修正依頼がありました。`,
      "",
      ...input.requests.flatMap((request) => [`■ ${request.approver.name}`, request.comment, ""]),
      `第${version}版の回覧はここで終わります。事務局コンソールの年度のページで所見・見直しの方針を直して新しい版を作成すると、変更点を添えて改めて回覧されます。回答の修正が必要な場合は、支援機関から修正の回答が届いた後に作成してください。`,
      "",
      "■ 事務局コンソール（年度のページ）：",
      input.consoleUrl,
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}

/** Tells everyone on the plan that the year's report is published, with its address. */
export function publishedMail(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  version: number;
  approvedAt: Date;
  url: string;
}): MailMessage {
  const { plan, fiscalYear, version } = input;
  const everyone = new Set([
    ...plan.secretariat.contacts.map((contact) => contact.email),
    ...plan.institutions.flatMap((institution) => institution.contacts.map((contact) => contact.email)),
    ...(plan.approvals?.steps.flatMap((step) => step.approvers.map((approver) => approver.email)) ?? []),
  ]);
  return {
    to: [...everyone],
    subject: `【${plan.name}】${fiscalYearLabel(fiscalYear)} 点検評価報告書を公表しました`,
    text: [
      `${plan.name}の関係者の皆様`,
      "",
      `${fiscalYearLabel(fiscalYear)}の点検評価報告書（第${version}版、${formatJapaneseDate(input.approvedAt)}承認）を公表しました。`,
      "",
      "■ 公表ページ（報告書、PDF、データ（CSV・JSON））：",
      input.url,
      "",
      "ご協力ありがとうございました。",
      "",
      `${plan.secretariat.name}`,
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}
