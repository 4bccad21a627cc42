import { fiscalYearLabel, formatJapaneseDate, QUARTERS, quarterLabel } from "../../calendar.ts";
import { AUDIT_ACTIONS, AUDIT_CHANNELS, type AuditFilter, type AuditRecord } from "../../console/audit.ts";
import type { Plan } from "../../plan.ts";
import { escapeHtml } from "../escape.ts";
import { type ConsoleViewer, consolePage } from "./layout.ts";

/** What the audit page shows: one plan's year (or the console's own entries), filtered. */
export interface AuditView {
  plans: readonly Plan[];
  plan?: Plan;
  fiscalYear?: number;
  filter: AuditFilter;
  entries: readonly AuditRecord[];
}

function options(values: ReadonlyArray<{ value: string; label: string }>, current: string | undefined): string {
  return values
    .map(
      (option) =>
        `<option value="${escapeHtml(option.value)}"${option.value === current ? " selected" : ""}>${escapeHtml(option.label)}</option>`,
    )
    .join("");
}

/** The audit log: who did what, when, through which channel; filtered by round and institution; as CSV too. */
export function renderAuditPage(viewer: ConsoleViewer, view: AuditView): string {
  const { plan, fiscalYear, filter } = view;
  const years: Array<{ value: string; label: string }> = [];
  if (plan)
    for (let year = plan.period.firstFiscalYear; year <= plan.period.lastFiscalYear; year++)
      years.push({ value: String(year), label: fiscalYearLabel(year) });
  const form = `<form method="get" action="/console/audit" class="grid">
<div><label for="a-plan">計画</label><select id="a-plan" name="plan"><option value="">（コンソールの操作）</option>${options(
    view.plans.map((candidate) => ({ value: candidate.id, label: candidate.name })),
    plan?.id,
  )}</select></div>
<div><label for="a-year">年度</label><select id="a-year" name="year">${options(years, fiscalYear === undefined ? undefined : String(fiscalYear))}</select></div>
<div><label for="a-quarter">照会</label><select id="a-quarter" name="quarter"><option value="">すべて</option>${options(
    QUARTERS.map((quarter) => ({ value: String(quarter), label: quarterLabel(quarter) })),
    filter.quarter === undefined ? undefined : String(filter.quarter),
  )}</select></div>
<div><label for="a-institution">支援機関</label><select id="a-institution" name="institution"><option value="">すべて</option>${options(
    (plan?.institutions ?? []).map((institution) => ({ value: institution.id, label: institution.shortName })),
    filter.institutionId,
  )}</select></div>
<div><label>&nbsp;</label><button type="submit">表示する</button></div></form>`;
  const query = new URLSearchParams({
    ...(plan ? { plan: plan.id } : {}),
    ...(fiscalYear !== undefined ? { year: String(fiscalYear) } : {}),
    ...(filter.quarter ? { quarter: String(filter.quarter) } : {}),
    ...(filter.institutionId ? { institution: filter.institutionId } : {}),
  }).toString();
  const rows = view.entries
    .map(
      (entry) =>
        `<tr><td>${escapeHtml(formatJapaneseDate(new Date(entry.at), { withTime: true }))}</td><td>${escapeHtml(entry.actor)}</td><td>${escapeHtml(AUDIT_ACTIONS[entry.action] ?? entry.action)}</td><td>${escapeHtml(AUDIT_CHANNELS[entry.channel] ?? entry.channel)}</td><td>${escapeHtml(entry.target)}${entry.version ? `（第${entry.version}版）` : ""}</td><td>${escapeHtml([entry.detail, entry.comment].filter(Boolean).join(" / "))}</td></tr>`,
    )
    .join("");
  return consolePage(
    "監査ログ",
    viewer,
    `${form}
<p><a href="/console/audit.csv?${escapeHtml(query)}">CSVでダウンロード</a>（${view.entries.length}件）</p>
<table><caption>操作の記録（新しい順）</caption><thead><tr><th scope="col">日時</th><th scope="col">実施者</th><th scope="col">操作</th><th scope="col">経路</th><th scope="col">対象</th><th scope="col">内容</th></tr></thead><tbody>${rows || '<tr><td colspan="6">記録はありません。</td></tr>'}</tbody></table>`,
  );
}
