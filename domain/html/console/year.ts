import type { ApprovalDecision, ApprovalStep, Approver } from "../../approvals.ts";
import { type FiscalYear, fiscalYearLabel, formatJapaneseDate } from "../../calendar.ts";
import type { Plan } from "../../plan.ts";
import type { FieldError } from "../../validation.ts";
import { escapeHtml } from "../escape.ts";
import { errorSummary } from "../form-fields.ts";
import { type ConsoleViewer, consolePage, csrfField } from "./layout.ts";

/** A draft version as the console lists it. */
export interface DraftVersion {
  version: number;
  createdAt: string;
  status: "draft" | "approved";
  approvedAt?: string;
  changesRequestedAt?: string;
  publishedAt?: string;
}

/** One approval step of the newest version: its deadline (once begun) and every decision made in it. */
export interface StepView {
  step: ApprovalStep;
  deadline?: string;
  proceededWithout: string[];
  decisions: ApprovalDecision[];
}

/** What the year's page shows and offers. */
export interface YearView {
  plan: Plan;
  fiscalYear: FiscalYear;
  versions: DraftVersion[];
  steps: StepView[];
  /** Approvers the workflow waits on the secretariat about (their step's deadline passed). */
  lateApprovers?: { stepId: string; stepName: string; late: Approver[]; mayProceed: boolean };
  /** The viewer's own approval, when the viewer is an approver the circulation waits for. */
  myApproval?: { stepName: string; version: number };
  notes: { findings: string[]; decisions: string[] };
  message?: string;
  /** What was wrong in the form just posted; nothing was done. */
  errors?: readonly FieldError[];
}

const DECISION_WORDS = { approve: "承認", "request-changes": "修正依頼" } as const;

function versionState(version: DraftVersion): string {
  if (version.publishedAt) return `公表済み（${formatJapaneseDate(new Date(version.publishedAt))}）`;
  if (version.approvedAt) return `承認済み（${formatJapaneseDate(new Date(version.approvedAt))}）`;
  if (version.changesRequestedAt) return "修正依頼により回覧終了";
  return "案";
}

function stepTable(view: StepView): string {
  const rows = view.step.approvers
    .map((approver) => {
      const decision = view.decisions.find((candidate) => candidate.approverId === approver.id);
      const state = decision
        ? `${DECISION_WORDS[decision.decision]}（${escapeHtml(formatJapaneseDate(new Date(decision.decidedAt), { withTime: true }))}）`
        : view.proceededWithout.includes(approver.id)
          ? "判断なしで進行"
          : "未回答";
      return `<tr><th scope="row">${escapeHtml(approver.name)}</th><td>${state}</td><td>${escapeHtml(decision?.comment ?? "")}</td></tr>`;
    })
    .join("");
  const deadline = view.deadline
    ? `期限 ${escapeHtml(formatJapaneseDate(new Date(view.deadline), { withTime: true }))}`
    : "未開始";
  return `<table><caption>${escapeHtml(view.step.name)}（${deadline}）</caption><thead><tr><th scope="col">承認者</th><th scope="col">判断</th><th scope="col">コメント</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * A fiscal year's review: the draft versions, the newest one's approval steps with each decision and comment, the
 * decisions the workflow waits for (each decided here by a POST, as its emailed link offers), and the findings and
 * decisions of the review meeting, edited here into a new draft version.
 */
export function renderYearPage(viewer: ConsoleViewer, view: YearView): string {
  const { plan, fiscalYear } = view;
  const base = `/console/plans/${escapeHtml(plan.id)}/years/${fiscalYear}`;
  const message = view.message ? `<p role="status" class="receipt">${escapeHtml(view.message)}</p>` : "";
  // Each error links to the box it is about (a line of the findings, to the findings' box).
  const errors = errorSummary((view.errors ?? []).map((error) => ({ ...error, path: error.path.split(".")[0] ?? "" })));
  const versions = view.versions.length
    ? `<table><caption>報告書（案）の版</caption><thead><tr><th scope="col">版</th><th scope="col">作成</th><th scope="col">状況</th><th scope="col">報告書</th></tr></thead><tbody>${view.versions
        .map(
          (version) =>
            `<tr><th scope="row">第${version.version}版</th><td>${escapeHtml(formatJapaneseDate(new Date(version.createdAt), { withTime: true }))}</td><td>${escapeHtml(versionState(version))}</td><td><a href="${base}/versions/${version.version}/index.html">開く</a></td></tr>`,
        )
        .join("")}</tbody></table>`
    : "<p>まだ報告書（案）はありません。</p>";
  const late = view.lateApprovers
    ? `<section class="waiting" aria-labelledby="late-heading"><h2 id="late-heading">判断を待っています：期限までに判断のない承認者<span class="en">Waiting for you: late approvers</span></h2>
<p>${escapeHtml(view.lateApprovers.stepName)}：${view.lateApprovers.late.map((approver) => escapeHtml(approver.name)).join("、")}</p>
<form method="post" action="${base}/late-approvers">${csrfField(viewer)}<input type="hidden" name="stepId" value="${escapeHtml(view.lateApprovers.stepId)}"><input type="hidden" name="decision" value="extend">
<div><label for="f-days">延長する日数</label><select id="f-days" name="days"><option value="3">3日</option><option value="7" selected>7日</option><option value="14">14日</option></select></div>
<p><button type="submit">期限を延長する</button></p></form>
${
  view.lateApprovers.mayProceed
    ? `<form method="post" action="${base}/late-approvers">${csrfField(viewer)}<input type="hidden" name="stepId" value="${escapeHtml(view.lateApprovers.stepId)}"><input type="hidden" name="decision" value="proceed"><p><button type="submit" class="secondary">判断なしで次に進む</button></p></form>`
    : '<p class="hint">このステップは承認者の判断なしでは次に進めません（最後の承認か、まだ誰も承認していないステップです）。</p>'
}</section>`
    : "";
  const mine = view.myApproval
    ? `<section class="waiting" aria-labelledby="mine-heading"><h2 id="mine-heading">あなたの判断を待っています：${escapeHtml(view.myApproval.stepName)}<span class="en">Your decision</span></h2>
<form method="post" action="${base}/approval" accept-charset="utf-8">${csrfField(viewer)}<input type="hidden" name="version" value="${view.myApproval.version}">
<fieldset class="checks"><legend>判断（必須）</legend><label for="f-decision"><input type="radio" id="f-decision" name="decision" value="approve"> 承認する</label><label for="d-changes"><input type="radio" id="d-changes" name="decision" value="request-changes"> 修正を求める</label></fieldset>
<div><label for="f-comment">コメント（修正を求める場合は必須）</label><textarea id="f-comment" name="comment" maxlength="2000"></textarea></div>
<p><button type="submit">判断を送信する</button></p></form></section>`
    : "";
  const steps = view.steps.length
    ? view.steps.map(stepTable).join("")
    : plan.approvals?.steps.length
      ? "<p>まだ回覧はありません。報告書（案）ができると、承認者に順に回覧されます。</p>"
      : "<p>この計画には承認者が定められていません。</p>";
  return consolePage(
    `${fiscalYearLabel(fiscalYear)}の点検評価・報告書`,
    viewer,
    `<p class="meta"><a href="/console/plans/${escapeHtml(plan.id)}">${escapeHtml(plan.name)}</a>・<a href="/console/audit?plan=${escapeHtml(plan.id)}&amp;year=${fiscalYear}">監査ログ</a></p>
${errors}${message}${late}${mine}
<h2>報告書（案）<span class="en">Draft versions</span></h2>${versions}
<h2>承認の状況（最新の版）<span class="en">Approval of the newest version</span></h2>${steps}
<h2>所見と見直しの方針<span class="en">Findings and decisions</span></h2>
<p class="hint">ここで保存すると、入力した所見と見直しの方針を加えた新しい版の報告書（案）が作られ、承認者がいれば変更点を添えて改めて回覧されます。</p>
<form method="post" action="${base}/drafts" accept-charset="utf-8">${csrfField(viewer)}
<div><label for="f-findings">事務局の所見（1行に1つ）<span class="en">Findings, one per line</span></label><textarea id="f-findings" name="findings" rows="6">${escapeHtml(view.notes.findings.join("\n"))}</textarea></div>
<div><label for="f-decisions">見直しの方針（1行に1つ）<span class="en">Decisions, one per line</span></label><textarea id="f-decisions" name="decisions" rows="6">${escapeHtml(view.notes.decisions.join("\n"))}</textarea></div>
<div class="checks"><label for="f-proceed"><input type="checkbox" id="f-proceed" name="proceedAnyway" value="1"> 締め切られていない照会があっても点検評価を行う</label></div>
<p><button type="submit">新しい版を作る</button></p></form>`,
  );
}
