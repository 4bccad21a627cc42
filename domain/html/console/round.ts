import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../../calendar.ts";
import { type AnswerVersion, compareAnswerVersions, versionHeading } from "../../console/answer-versions.ts";
import { AUDIT_CHANNELS } from "../../console/audit.ts";
import { ALL_UNANSWERED } from "../../console/round-actions.ts";
import { type ChaseRecord, describeStanding } from "../../console/round-status.ts";
import type { Plan } from "../../plan.ts";
import { isRoundClosed, type Round, type RoundRequest } from "../../round.ts";
import type { FieldError } from "../../validation.ts";
import { escapeHtml } from "../escape.ts";
import { errorSummary } from "../form-fields.ts";
import { type ConsoleViewer, consolePage, csrfField } from "./layout.ts";

/** What a round's page shows: the round (if started), each institution's request, and one institution's answers. */
export interface RoundView {
  plan: Plan;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  round?: Round;
  requests: readonly RoundRequest[];
  /** The round's reminders, notices and escalations, per institution. */
  reminders: readonly (ChaseRecord & { institutionId: string })[];
  /** The institution whose answer versions are compared, with its versions (oldest first). */
  compared?: { institutionId: string; versions: readonly AnswerVersion[] };
  message?: string;
  /** What was wrong with an action's fields (their paths name the action's own fields: "extend-deadline"). */
  errors?: readonly FieldError[];
  now: Date;
}

/** An institution list for an action: every waiting one, or one of them. */
function institutionChoice(id: string, view: RoundView, waiting: readonly RoundRequest[], withAll: boolean): string {
  const names = new Map(view.plan.institutions.map((institution) => [institution.id, institution.name]));
  const options = waiting
    .map(
      (request) =>
        `<option value="${escapeHtml(request.institutionId)}">${escapeHtml(names.get(request.institutionId) ?? request.institutionId)}</option>`,
    )
    .join("");
  return `<div><label for="f-${id}">機関</label><select id="f-${id}" name="institution">${withAll ? `<option value="${ALL_UNANSWERED}">未回答のすべての機関（${waiting.length}機関）</option>` : ""}${options}</select></div>`;
}

/** The actions on a started round: remind and extend while it is open, accept a late answer once it closed. */
function roundActions(viewer: ConsoleViewer, view: RoundView, round: Round, base: string): string {
  const waiting = view.requests.filter((request) => request.emailedAt && request.status !== "answered");
  if (waiting.length === 0) return "";
  if (isRoundClosed(round, view.now))
    return `<h2>締切後の回答を受け付ける<span class="en">Accept a late answer</span></h2>
<p class="hint">締切後に回答したいと連絡のあった機関について、期限を決めて回答フォームをもう一度開きます。その機関に受付期限とフォームのリンクをメールで送り、監査ログに記録します。照会の集計（締切時点）は変わりません。</p>
<form method="post" action="${base}/accept-late">${csrfField(viewer)}${institutionChoice("late-institution", view, waiting, false)}
<div><label for="f-late-until">受付期限（この日の回答期限の時刻まで）</label><input type="date" id="f-late-until" name="until" required></div>
<p><button type="submit">締切後の回答を受け付ける</button></p></form>`;
  return `<h2>督促する<span class="en">Send a reminder now</span></h2>
<p class="hint">回答フォームのリンクを添えて、今すぐ督促のメールを送ります。同じ機関には1時間に1回までです。</p>
<form method="post" action="${base}/remind">${csrfField(viewer)}${institutionChoice("remind-institution", view, waiting, true)}
<p><button type="submit">督促を送る</button></p></form>
<h2>回答期限を延長する<span class="en">Extend the deadline</span></h2>
<p class="hint">選んだ機関の回答期限だけを延長し、新しい期限とフォームのリンクをメールで送ります。延長できるのは照会の締切（${at(round.closesAt ?? round.deadline)}）までです。</p>
<form method="post" action="${base}/extend">${csrfField(viewer)}${institutionChoice("extend-institution", view, waiting, true)}
<div><label for="f-extend-deadline">新しい回答期限（この日の${escapeHtml(String(view.plan.collection.deadlineHour))}時まで）</label><input type="date" id="f-extend-deadline" name="deadline" required></div>
<p><button type="submit">回答期限を延長する</button></p></form>`;
}

function at(instant: string | undefined): string {
  return instant ? escapeHtml(formatJapaneseDate(new Date(instant), { withTime: true })) : "—";
}

function comparison(view: RoundView, compared: NonNullable<RoundView["compared"]>): string {
  const institution = view.plan.institutions.find((candidate) => candidate.id === compared.institutionId);
  const name = escapeHtml(institution?.name ?? compared.institutionId);
  if (compared.versions.length === 0) return `<h2 id="versions">${name}の回答</h2><p>まだ回答はありません。</p>`;
  const headings = compared.versions
    .map(
      (version) =>
        `<th scope="col">${escapeHtml(versionHeading(version, AUDIT_CHANNELS[version.channel] ?? version.channel))}</th>`,
    )
    .join("");
  const rows = compareAnswerVersions(view.plan, compared.versions)
    .map(
      (field) =>
        `<tr><th scope="row">${escapeHtml(field.label)}</th>${field.values
          .map((value, index) =>
            field.changed[index]
              ? `<td class="changed"><span class="mark" aria-label="変更">＊</span>${escapeHtml(value)}</td>`
              : `<td>${escapeHtml(value)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<h2 id="versions">${name}の回答（版の比較）<span class="en">Answer versions</span></h2>
<p class="hint">＊の付いた欄は、一つ前の版から変わった内容です。</p>
<table><caption>${name}の回答の各版</caption><thead><tr><th scope="col">項目</th>${headings}</tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * A round: each institution's request (sent, answered on time or late, nothing to report, missing) with its answer
 * versions compared side by side, and starting the round when it has not begun.
 */
export function renderRoundPage(viewer: ConsoleViewer, view: RoundView): string {
  const { plan, fiscalYear, quarter, round } = view;
  const base = `/console/plans/${escapeHtml(plan.id)}/years/${fiscalYear}/rounds/${quarter}`;
  const message = view.message ? `<p role="status" class="receipt">${escapeHtml(view.message)}</p>` : "";
  const title = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}の照会`;
  if (!round)
    return consolePage(
      title,
      viewer,
      `<p class="meta"><a href="/console/plans/${escapeHtml(plan.id)}">${escapeHtml(plan.name)}</a></p>${message}
<p>この照会はまだ開始されていません。予定どおりなら、計画の日程で自動的に開始されます。</p>
<form method="post" action="${base}/start">${csrfField(viewer)}<p><button type="submit">今すぐ照会を開始する</button></p>
<p class="hint">全機関に照会のメールが送られます。回答期限は計画の日程どおりです。</p></form>`,
    );
  const byInstitution = new Map(view.requests.map((request) => [request.institutionId, request]));
  const rows = plan.institutions
    .map((institution) => {
      const request = byInstitution.get(institution.id);
      const chased = view.reminders.filter((record) => record.institutionId === institution.id);
      const standing = describeStanding({ request, round, chased, now: view.now });
      const notes = standing.notes.map((note) => `<br><span class="hint">${escapeHtml(note)}</span>`).join("");
      return `<tr><th scope="row">${escapeHtml(institution.name)}</th><td>${escapeHtml(standing.status)}${notes}</td><td>${at(request?.emailedAt)}</td><td>${at(request?.answeredAt)}</td><td class="num">${request?.latestVersion ?? "—"}</td><td class="nowrap"><a href="${base}?institution=${escapeHtml(institution.id)}#versions">回答の版を見る</a></td></tr>`;
    })
    .join("");
  const answered = view.requests.filter((request) => request.status === "answered").length;
  return consolePage(
    title,
    viewer,
    `<p class="meta"><a href="/console/plans/${escapeHtml(plan.id)}">${escapeHtml(plan.name)}</a>・<a href="/console/audit?plan=${escapeHtml(plan.id)}&amp;year=${fiscalYear}&amp;quarter=${quarter}">この照会の監査ログ</a></p>${message}
<p class="big">${round.status === "open" ? "受付中" : "締切"}・回答 ${answered}/${plan.institutions.length}機関・回答期限 ${at(round.deadline)}${round.closesAt ? `・締切 ${at(round.closedAt ?? round.closesAt)}` : ""}</p>
${errorSummary(view.errors ?? [])}
<table><caption>機関ごとの状況</caption><thead><tr><th scope="col">機関</th><th scope="col">状況</th><th scope="col">依頼メール</th><th scope="col">最新の回答</th><th scope="col" class="num">版</th><th scope="col">回答</th></tr></thead><tbody>${rows}</tbody></table>
${roundActions(viewer, view, round, base)}
${view.compared ? comparison(view, view.compared) : ""}`,
  );
}
