import { formatJapaneseDate } from "../calendar.ts";
import { toCsv } from "../report/csv.ts";
import { column } from "../report/table-types.ts";

/** An audit entry as the console reads it: who, what, when, through which channel, about what. */
export interface AuditRecord {
  at: string;
  actor: string;
  channel: string;
  action: string;
  target: string;
  version?: number;
  detail?: string;
  comment?: string;
}

/** What each recorded action is called on the console and in its CSV. */
export const AUDIT_ACTIONS: Record<string, string> = {
  submission: "回答",
  correction: "回答の修正",
  approval: "承認",
  "changes-requested": "修正依頼",
  "approval-deadline-extended": "承認期限の延長",
  "approval-proceeded-without": "承認者の判断なしで進行",
  "sign-in": "サインイン",
  "sign-out": "サインアウト",
  "draft-started": "報告書（案）の作成開始",
  "round-started": "照会の開始",
  reminder: "督促",
  "overdue-notice": "期限超過のお知らせ",
  escalation: "上申",
  "manual-reminder": "督促（事務局）",
  "deadline-extended": "回答期限の延長",
  "late-answer-accepted": "締切後の回答の受付",
};

/** What each channel is called. */
export const AUDIT_CHANNELS: Record<string, string> = {
  "web-form": "回答フォーム",
  email: "メール",
  spreadsheet: "表計算ファイル",
  "approval-link": "承認用リンク",
  "decision-link": "事務局用リンク",
  console: "事務局コンソール",
  cli: "コマンド",
  workflow: "ワークフロー",
};

/** Which entries to show: of one round (quarter) and/or one institution; empty filters show everything. */
export interface AuditFilter {
  quarter?: number;
  institutionId?: string;
}

/** The entries that pass the filter, newest first. Targets read `<plan>-<year>-Q<q>/<institution>` for answers. */
export function filterAudit(entries: readonly AuditRecord[], filter: AuditFilter): AuditRecord[] {
  return entries
    .filter((entry) => {
      if (filter.quarter && !new RegExp(`-Q${filter.quarter}(/|$)`).test(entry.target)) return false;
      if (filter.institutionId && !entry.target.endsWith(`/${filter.institutionId}`)) return false;
      return true;
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** The audit log as CSV (UTF-8 with BOM, the same rules as the report's data). */
export function auditCsv(entries: readonly AuditRecord[]): string {
  return toCsv({
    columns: [
      column("at", "日時", "text"),
      column("actor", "実施者", "text"),
      column("action", "操作", "text"),
      column("channel", "経路", "text"),
      column("target", "対象", "text"),
      column("version", "版", "integer"),
      column("detail", "内容", "text"),
    ],
    rows: entries.map((entry) => ({
      at: formatJapaneseDate(new Date(entry.at), { withTime: true }),
      actor: entry.actor,
      action: AUDIT_ACTIONS[entry.action] ?? entry.action,
      channel: AUDIT_CHANNELS[entry.channel] ?? entry.channel,
      target: entry.target,
      version: entry.version ?? null,
      detail: [entry.detail, entry.comment].filter(Boolean).join(" / ") || null,
    })),
  });
}
