import { fiscalYearLabel, formatJapaneseDate, QUARTERS, quarterLabel } from "../domain/calendar.ts";
import { CHASE_LABELS } from "../domain/chase.ts";
import { formatPercent } from "../domain/format.ts";
import { escapeHtml, page } from "../domain/html/escape.ts";
import type { Plan } from "../domain/plan.ts";
import { describeRequest, type Round } from "../domain/round.ts";
import { roundMoments } from "../domain/round-schedule.ts";
import type { ReminderRecord } from "../functions/adapters/table/reminders.ts";
import type { StoredRequest } from "../functions/adapters/table/requests.ts";
import type { BrokenPlanFile } from "../infra/app.ts";
import type { EngineStatus } from "./engines/supervisor.ts";
import { tryOutRound } from "./rounds.ts";
import type { LocalExecution } from "./step-functions/runner.ts";

const ENGINE_STATES: Record<EngineStatus["state"], string> = {
  running: "稼働中 / running",
  restarting: "再起動中 / restarting",
  stopped: "停止 / stopped",
  failed: "停止（異常） / failed",
};

function formatTime(at: Date): string {
  return at.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
}

/** What the status page shows of one plan. */
export interface PlanStatus {
  plan: Plan;
  rounds: Array<{ round: Round; requests: StoredRequest[]; reminders: ReminderRecord[] }>;
}

const MOMENT_LABELS = {
  reminder: "督促",
  "overdue-notice": "期限超過のお知らせ",
  deadline: "回答期限",
  escalation: "上申",
  close: "締切",
} as const;

/** The round's moments in era form, on the plan's calendar (a compressed round's own calendar, said so). */
function scheduleLine(plan: Plan, round: Round): string {
  const moments = roundMoments(plan, {
    deadline: round.deadline,
    closesAt: round.closesAt ?? round.deadline,
    openedAt: round.openedAt,
    clock: round.clock,
  });
  const parts = moments.map(
    (moment) => `${MOMENT_LABELS[moment.kind]} ${formatJapaneseDate(moment.calendarAt, { withTime: true })}`,
  );
  return `${round.clock ? "（時間を短縮した試行：計画の暦の日付） " : ""}${parts.join("・")}`;
}

/** Who was reminded, told of being overdue or escalated, and when: one line per mail. */
function chaseNotes(reminders: readonly ReminderRecord[]): string {
  return reminders
    .filter((reminder) => reminder.sentAt)
    .map(
      (reminder) =>
        `<br><small>${escapeHtml(`${CHASE_LABELS[reminder.kind].ja} ${new Date(reminder.sentAt ?? "").toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" })}`)}</small>`,
    )
    .join("");
}

/** The local stack's status page: rounds and their answers, executions, and a button to start a round. */
export function renderStatusPage(input: {
  plans: PlanStatus[];
  executions: LocalExecution[];
  engines: EngineStatus[];
  brokenPlans: readonly BrokenPlanFile[];
  mailboxUrl: string;
  /** The SMTP listener that plays the SES receipt rule, and the domain of the reply addresses. */
  replies?: { smtpUrl: string; inboundDomain: string };
  siteUrl: string;
  message?: string;
}): string {
  const planSections = input.plans
    .map(({ plan, rounds }) => {
      const roundRows = rounds
        .map(({ round, requests, reminders }) => {
          const byInstitution = new Map(requests.map((request) => [request.institutionId, request]));
          const cells = plan.institutions
            .map((institution) => {
              const request = byInstitution.get(institution.id);
              const version = request?.latestVersion && request.latestVersion > 1 ? ` v${request.latestVersion}` : "";
              const undeliverable = request?.undeliverable?.length
                ? `<br><small>${escapeHtml(`届かないアドレス：${request.undeliverable.join("、")}`)}</small>`
                : "";
              const chased = chaseNotes(reminders.filter((reminder) => reminder.institutionId === institution.id));
              return `<td data-institution="${escapeHtml(institution.id)}">${escapeHtml(describeRequest(request) + version)}${chased}${undeliverable}</td>`;
            })
            .join("");
          const completeness = round.completeness
            ? `${round.completeness.answered}/${round.completeness.expected}（${formatPercent(round.completeness.answeredRate)}）`
            : "";
          return `<tr><th scope="row">${escapeHtml(`${fiscalYearLabel(round.fiscalYear)} Q${round.quarter}`)}</th><td>${round.status === "open" ? "受付中" : "締切"}</td><td>${escapeHtml(new Date(round.deadline).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" }))}</td>${cells}<td>${escapeHtml(completeness)}</td></tr><tr class="schedule"><td></td><td colspan="${plan.institutions.length + 3}"><small>${escapeHtml(scheduleLine(plan, round))}</small></td></tr>`;
        })
        .join("");
      const headers = plan.institutions
        .map((institution) => `<th scope="col">${escapeHtml(institution.shortName)}</th>`)
        .join("");
      const years = [];
      // The same round the README starts by hand, so the simulated years before it stay free.
      const tryOut = tryOutRound(plan);
      for (let year = plan.targets.firstTargetYear; year <= plan.period.lastFiscalYear; year++)
        years.push(
          `<option value="${year}"${year === tryOut.fiscalYear ? " selected" : ""}>${escapeHtml(fiscalYearLabel(year))}</option>`,
        );
      const quarters = QUARTERS.map(
        (quarter) => `<option value="${quarter}">${escapeHtml(quarterLabel(quarter))}</option>`,
      ).join("");
      return `<h2>${escapeHtml(plan.name)}</h2>
<form method="post" action="/_local/rounds" class="grid">
<input type="hidden" name="planId" value="${escapeHtml(plan.id)}">
<div><label for="fy-${escapeHtml(plan.id)}">年度</label><select id="fy-${escapeHtml(plan.id)}" name="fiscalYear">${years.join("")}</select></div>
<div><label for="q-${escapeHtml(plan.id)}">四半期</label><select id="q-${escapeHtml(plan.id)}" name="quarter">${quarters}</select></div>
<div><label for="d-${escapeHtml(plan.id)}">回答期限（分後に短縮して試す。空欄なら計画どおり）</label><input type="text" inputmode="numeric" id="d-${escapeHtml(plan.id)}" name="deadlineMinutes" value="10"></div>
<div><label>&nbsp;</label><button type="submit">照会を開始する</button></div>
</form>
<table><thead><tr><th scope="col">照会</th><th scope="col">状態</th><th scope="col">回答期限</th>${headers}<th scope="col">回答率</th></tr></thead><tbody>${roundRows || `<tr><td colspan="${plan.institutions.length + 4}">まだ照会はありません</td></tr>`}</tbody></table>`;
    })
    .join("\n");
  const executions = input.executions
    .slice(0, 20)
    .map(
      (execution) =>
        `<tr><td>${escapeHtml(execution.name)}</td><td>${escapeHtml(execution.status)}</td><td>${escapeHtml(execution.startDate.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" }))}</td><td>${escapeHtml(execution.states.at(-1) ?? "")}</td><td>${escapeHtml(execution.error ?? "")}</td></tr>`,
    )
    .join("");
  const engines = input.engines
    .map((engine) => {
      const events = engine.events
        .slice(-5)
        .map(
          (event) =>
            `<li>${escapeHtml(formatTime(event.at))} ${escapeHtml(event.ja)}<br><span lang="en">${escapeHtml(event.en)}</span></li>`,
        )
        .join("");
      return `<tr data-engine="${escapeHtml(engine.name)}"><th scope="row">${escapeHtml(engine.name)}</th><td>${escapeHtml(ENGINE_STATES[engine.state])}</td><td>${engine.pid ?? ""}</td><td>${engine.restarts}</td><td>${events ? `<ul>${events}</ul>` : ""}</td></tr>`;
    })
    .join("");
  const broken = input.brokenPlans.length
    ? `<section role="alert"><h2>読み込めなかった計画ファイル <span lang="en">/ Plan files left out</span></h2>
<p>次のファイルには誤りがあるため読み込んでいません。ほかの計画は使えます。直したら <code>npm run pdca -- plan validate</code> で確かめ、ローカル環境を起動し直してください（デプロイでは、誤りのある計画があると合成が止まります）。</p>
<p lang="en">These files have errors and were left out; the other plans work. Check a fixed file with plan validate and restart the local stack (a deploy refuses to synthesize with a broken plan).</p>
${input.brokenPlans
  .map(
    ({ file, errors }) =>
      `<h3><code>${escapeHtml(file)}</code></h3><ul>${errors
        .map(
          (error) =>
            `<li>${escapeHtml(error.ja)}<br><span lang="en">${error.path ? `<code>${escapeHtml(error.path)}</code>: ` : ""}${escapeHtml(error.en)}</span></li>`,
        )
        .join("")}</ul>`,
  )
  .join("\n")}</section>`
    : "";
  return page(
    "ローカル環境の状況",
    `<h1>PDCA 照会・点検評価（ローカル環境）</h1>
<p class="meta"><a href="${escapeHtml(input.mailboxUrl)}">メールボックスを開く</a>（送信されたメールと回答フォームへのリンク。ローカル専用で、実際には誰にも届きません。再起動しても残ります）・このページは再読み込みで更新されます</p>${input.replies ? `\n<p class="meta">メールでの回答：依頼メールに返信すると（宛先 answer+&lt;token&gt;@${escapeHtml(input.replies.inboundDomain)}）、ローカルの SMTP ${escapeHtml(input.replies.smtpUrl)} が SES の受信ルールの代わりに受け取ります（SPF・DKIM は検証しません / no SPF or DKIM check locally）</p>` : ""}
<p class="meta" lang="en">This page and the mailbox exist only on the local stack: mail is kept there (across restarts) and never really sent.</p>
<p class="receipt"><a href="/console">事務局コンソールを開く</a>（デプロイ先にもある画面です。照会・点検評価・承認の状況と操作はこちら。事務局のメールアドレスでサインインし、リンクはメールボックスに届きます） <span lang="en">/ The secretariat's console, as deployed</span></p>
<p class="meta"><a href="${escapeHtml(input.siteUrl)}/">公表サイトを開く</a>（承認された報告書が公表される場所。デプロイ先では CloudFront が配信します） <span lang="en">/ The published reports, as the CDN serves them</span></p>
${input.message ? `<p role="status" class="receipt">${escapeHtml(input.message)}</p>` : ""}
${broken}
${planSections}
<h2>エンジン <span lang="en">/ Engines</span></h2>
<table><thead><tr><th scope="col">エンジン</th><th scope="col">状態</th><th scope="col">pid</th><th scope="col">再起動</th><th scope="col">できごと</th></tr></thead><tbody>${engines}</tbody></table>
<h2>ワークフローの実行</h2>
<table><thead><tr><th scope="col">実行名</th><th scope="col">状態</th><th scope="col">開始</th><th scope="col">最後の状態</th><th scope="col">エラー</th></tr></thead><tbody>${executions || '<tr><td colspan="5">まだありません</td></tr>'}</tbody></table>`,
  );
}
