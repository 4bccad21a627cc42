import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../../calendar.ts";
import { type AnswerVersion, compareAnswerVersions, versionHeading } from "../../console/answer-versions.ts";
import { AUDIT_CHANNELS } from "../../console/audit.ts";
import type { Plan } from "../../plan.ts";
import { describeRequest, type Round, type RoundRequest } from "../../round.ts";
import { escapeHtml } from "../escape.ts";
import { type ConsoleViewer, consolePage, csrfField } from "./layout.ts";

/** What a round's page shows: the round (if started), each institution's request, and one institution's answers. */
export interface RoundView {
  plan: Plan;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  round?: Round;
  requests: readonly RoundRequest[];
  /** The institution whose answer versions are compared, with its versions (oldest first). */
  compared?: { institutionId: string; versions: readonly AnswerVersion[] };
  message?: string;
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
      const missing = round.status === "closed" && request?.status !== "answered";
      return `<tr><th scope="row">${escapeHtml(institution.name)}</th><td class="nowrap">${missing ? "未回答（締切）" : escapeHtml(describeRequest(request))}</td><td>${at(request?.emailedAt)}</td><td>${at(request?.answeredAt)}</td><td class="num">${request?.latestVersion ?? "—"}</td><td class="nowrap"><a href="${base}?institution=${escapeHtml(institution.id)}#versions">回答の版を見る</a></td></tr>`;
    })
    .join("");
  const answered = view.requests.filter((request) => request.status === "answered").length;
  return consolePage(
    title,
    viewer,
    `<p class="meta"><a href="/console/plans/${escapeHtml(plan.id)}">${escapeHtml(plan.name)}</a>・<a href="/console/audit?plan=${escapeHtml(plan.id)}&amp;year=${fiscalYear}&amp;quarter=${quarter}">この照会の監査ログ</a></p>${message}
<p class="big">${round.status === "open" ? "受付中" : "締切"}・回答 ${answered}/${plan.institutions.length}機関・回答期限 ${at(round.deadline)}${round.closesAt ? `・締切 ${at(round.closedAt ?? round.closesAt)}` : ""}</p>
<table><caption>機関ごとの状況</caption><thead><tr><th scope="col">機関</th><th scope="col">状況</th><th scope="col">依頼メール</th><th scope="col">最新の回答</th><th scope="col" class="num">版</th><th scope="col">回答</th></tr></thead><tbody>${rows}</tbody></table>
${view.compared ? comparison(view, view.compared) : ""}`,
  );
}
