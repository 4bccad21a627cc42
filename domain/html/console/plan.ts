import { fiscalYearLabel, formatJapaneseDate, QUARTERS, quarterLabel } from "../../calendar.ts";
import type { Plan } from "../../plan.ts";
import type { Round } from "../../round.ts";
import { calendarDeadlineOf, requestTimeOf } from "../../round-schedule.ts";
import { expandTargets } from "../../targets.ts";
import { escapeHtml } from "../escape.ts";
import { type ConsoleViewer, consolePage } from "./layout.ts";

/**
 * A plan: its institutions and contacts, its targets, and the calendar of its rounds with their dates in era form
 * and where each stands.
 */
export function renderPlanPage(viewer: ConsoleViewer, plan: Plan, rounds: readonly Round[]): string {
  const institutions = plan.institutions
    .map(
      (institution) =>
        `<tr><th scope="row">${escapeHtml(institution.name)}${institution.lead ? "（代表機関）" : ""}</th><td>${institution.contacts.map((contact) => `${escapeHtml(contact.name)} &lt;${escapeHtml(contact.email)}&gt;`).join("<br>")}</td></tr>`,
    )
    .join("");
  const targets = expandTargets(plan);
  const targetRows = targets.years
    .map(
      (year) =>
        `<tr><th scope="row">${escapeHtml(fiscalYearLabel(year.fiscalYear))}</th><td class="num">${year.newCases}</td><td class="num">${year.continuingCases}</td><td class="num">${year.total}</td></tr>`,
    )
    .join("");
  const byKey = new Map(rounds.map((round) => [`${round.fiscalYear}-${round.quarter}`, round]));
  const calendar: string[] = [];
  for (let year = plan.targets.firstTargetYear; year <= plan.period.lastFiscalYear; year++)
    for (const quarter of QUARTERS) {
      const round = byKey.get(`${year}-${quarter}`);
      const state = round ? (round.status === "open" ? "受付中" : "締切") : "未実施";
      const deadline = round ? new Date(round.deadline) : calendarDeadlineOf(plan, year, quarter);
      calendar.push(
        `<tr><th scope="row"><a href="/console/plans/${escapeHtml(plan.id)}/years/${year}/rounds/${quarter}">${escapeHtml(`${fiscalYearLabel(year)} ${quarterLabel(quarter)}`)}</a></th><td>${escapeHtml(formatJapaneseDate(requestTimeOf(plan, year, quarter)))}</td><td>${escapeHtml(formatJapaneseDate(deadline, { withTime: true }))}</td><td>${state}</td></tr>`,
      );
    }
  const years: string[] = [];
  for (let year = plan.targets.firstTargetYear; year <= plan.period.lastFiscalYear; year++)
    years.push(
      `<li><a href="/console/plans/${escapeHtml(plan.id)}/years/${year}">${escapeHtml(fiscalYearLabel(year))}の点検評価・報告書</a></li>`,
    );
  return consolePage(
    plan.name,
    viewer,
    `<p class="meta">計画期間 ${escapeHtml(fiscalYearLabel(plan.period.firstFiscalYear))}〜${escapeHtml(fiscalYearLabel(plan.period.lastFiscalYear))}・事務局 ${escapeHtml(plan.secretariat.name)}</p>
<h2>点検評価と報告書<span class="en">Reviews and reports</span></h2><ul>${years.join("")}</ul>
<h2>支援機関と担当者<span class="en">Institutions and contacts</span></h2>
<table><caption>支援機関</caption><thead><tr><th scope="col">機関</th><th scope="col">担当者</th></tr></thead><tbody>${institutions}</tbody></table>
<h2>目標<span class="en">Targets</span></h2>
<table><caption>年度別の目標件数（単位：件）</caption><thead><tr><th scope="col">年度</th><th scope="col">新規</th><th scope="col">継続</th><th scope="col">合計</th></tr></thead><tbody>${targetRows}<tr><th scope="row">合計</th><td></td><td></td><td class="num">${targets.total}</td></tr></tbody></table>
<h2>照会の予定<span class="en">Calendar of rounds</span></h2>
<table><caption>照会の依頼日・回答期限と状況</caption><thead><tr><th scope="col">照会</th><th scope="col">依頼日</th><th scope="col">回答期限</th><th scope="col">状況</th></tr></thead><tbody>${calendar.join("")}</tbody></table>`,
  );
}
