import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../../calendar.ts";
import { formatPercent } from "../../format.ts";
import type { Plan } from "../../plan.ts";
import type { Round, RoundRequest } from "../../round.ts";
import type { Figure } from "../../targets.ts";
import { escapeHtml } from "../escape.ts";
import { type ConsoleViewer, consolePage } from "./layout.ts";

/** What the dashboard shows of one plan: its latest round and the year's cases against the target so far. */
export interface PlanAtAGlance {
  plan: Plan;
  latest?: { round: Round; requests: RoundRequest[] };
  year?: { fiscalYear: FiscalYear; total: Figure };
}

function roundSummary(plan: Plan, latest: NonNullable<PlanAtAGlance["latest"]>, now: Date): string {
  const { round, requests } = latest;
  const byInstitution = new Map(requests.map((request) => [request.institutionId, request]));
  const answered = requests.filter((request) => request.status === "answered").length;
  const expected = plan.institutions.length;
  const pastDeadline = now.getTime() > Date.parse(round.deadline);
  const late = plan.institutions.filter((institution) => byInstitution.get(institution.id)?.status !== "answered");
  const lateList =
    late.length === 0
      ? "<p>全機関が回答済みです。</p>"
      : `<p>${pastDeadline ? "期限を過ぎて未回答" : "未回答"}（${late.length}機関）：${late.map((institution) => escapeHtml(institution.shortName)).join("、")}</p>`;
  const title = `${fiscalYearLabel(round.fiscalYear)} ${quarterLabel(round.quarter as Quarter)}`;
  return `<h3><a href="/console/plans/${escapeHtml(plan.id)}/years/${round.fiscalYear}/rounds/${round.quarter}">${escapeHtml(title)}</a>（${round.status === "open" ? "受付中" : "締切"}）</h3>
<p class="big">回答率 <strong>${formatPercent(expected === 0 ? 0 : answered / expected)}</strong>（${answered}/${expected}機関）・回答期限 ${escapeHtml(formatJapaneseDate(new Date(round.deadline), { withTime: true }))}</p>
${lateList}`;
}

/** The dashboard: for each plan, this quarter's response rate, who is late, this year's target against actuals. */
export function renderDashboard(viewer: ConsoleViewer, plans: readonly PlanAtAGlance[], now: Date): string {
  const sections = plans
    .map(({ plan, latest, year }) => {
      const round = latest ? roundSummary(plan, latest, now) : "<p>まだ照会はありません。</p>";
      const target = year
        ? `<p>${escapeHtml(fiscalYearLabel(year.fiscalYear))}の支援件数：<strong>${year.total.actual}件</strong>${year.total.target === null ? "" : `／目標${year.total.target}件（${year.total.rate === null ? "—" : formatPercent(year.total.rate)}）`}</p>`
        : "";
      return `<section aria-labelledby="plan-${escapeHtml(plan.id)}"><h2 id="plan-${escapeHtml(plan.id)}"><a href="/console/plans/${escapeHtml(plan.id)}">${escapeHtml(plan.name)}</a></h2>
${round}${target}</section>`;
    })
    .join("\n");
  return consolePage("ダッシュボード", viewer, sections || "<p>計画がありません。</p>");
}
