import { formatNumber, formatPercent, formatThreshold } from "../format.ts";
import { escapeHtml } from "../html/escape.ts";
import type { Plan } from "../plan.ts";
import { PACE_PHRASES } from "../review/supported-cases.ts";
import type { Review } from "../review/types.ts";
import type { Numbering } from "./numbering.ts";
import { NONE } from "./table-html.ts";

// The report's sections as HTML fragments, in reading order; each takes the numbering so that its tables and figures
// are numbered as they appear.

/** A list of plain texts, escaped. */
export function list(items: readonly string[], className: string, ordered = false): string {
  const tag = ordered ? "ol" : "ul";
  return `<${tag} class="${className}">\n${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("\n")}\n</${tag}>`;
}

function rateText(rate: number | null): string {
  return rate === null ? NONE : formatPercent(rate);
}

/** 1 概要: the summary table and the findings, in the review's order. */
export function overview(review: Review, numbering: Numbering): string {
  const findings =
    review.findings.length === 0
      ? `<p>特記すべき所見はありません。</p>`
      : list(
          [...review.findings].sort((a, b) => b.weight - a.weight).map((finding) => finding.text),
          "findings",
          true,
        );
  return `<p>本報告書は、${escapeHtml(review.fiscalYearLabel)}の連携支援事業の実施状況を、計画に定める目標と照らして点検・評価したものです。主要な数値は次の表のとおりです。</p>
${numbering.table("summary")}
<h3>主な所見</h3>
<p>数値から読み取れる所見を、年度の目標に対する全体の結果、対応が必要な事項（目標との差が大きいものから）、その他の事項の順に示します。</p>
${findings}`;
}

/** 2: the target rule in words, the target table against the actuals, and its chart. */
export function supportedCasesSection(plan: Plan, numbering: Numbering): string {
  const { newCasesPerYear, followUpYears, firstTargetYear, thresholds } = plan.targets;
  return `<p>計画では、${firstTargetYear}年度から毎年度${formatNumber(newCasesPerYear)}件の案件を新たに支援し、各案件を支援開始年度から${followUpYears}年度にわたって支援（フォローアップ）することを目標としています。新規は支援開始年度の案件、継続はフォローアップ期間中の2年度目以降の案件です。評価は計画の定めにより、達成率${formatThreshold(thresholds.achieved)}以上を「達成」、${formatThreshold(thresholds.nearly)}以上を「概ね達成」、それ未満を「未達成」としています。</p>
${numbering.table("supported-cases")}
${numbering.figure("supported-cases", "支援件数の目標と実績", "supported-cases")}`;
}

/** 3: each cohort's follow-up, and the cases that missed a year they were owed. */
export function followUpSection(review: Review, numbering: Numbering): string {
  const missed = review.followUp.cohorts.reduce((sum, cohort) => sum + cohort.missed.length, 0);
  const missedText =
    missed === 0
      ? "フォローアップ期間中に支援の報告がない年度のある案件はありません。"
      : `フォローアップ期間中に支援の報告がない年度のある案件は${missed}件で、その一覧を表に示します。報告した機関に、支援の状況を確認する必要があります。`;
  return `<p>支援開始年度ごとの案件について、フォローアップ期間（${review.followUp.followUpYears}年度）の各年度に支援の報告があった件数を示します。</p>
${numbering.table("follow-up")}
${numbering.figure("follow-up", "支援開始年度別のフォローアップの状況", "follow-up")}
<h3>支援の報告がない年度のある案件</h3>
<p>${escapeHtml(missedText)}</p>
${missed === 0 ? "" : numbering.table("follow-up-missed")}`;
}

/**
 * The projection worked out with this year's figures, "12件 ÷ 60件 × 120件 ≒ 24件". The review states its formula
 * in words; the figures are shown only for the reading that reproduces the review's own projection, so the text can
 * never show a calculation that disagrees with the table.
 */
function workedProjection(toDate: Review["planToDate"]): string | null {
  const projected = toDate.projection.projectedTotal;
  if (projected === null) return null;
  const actual = `${formatNumber(toDate.actual)}件`;
  const result = `${formatNumber(Math.round(projected))}件`;
  const targetsToDate = toDate.againstTargetsToDate.target ?? 0;
  const planTotal = toDate.againstPlanTotal.target ?? 0;
  const readings = [
    {
      value: targetsToDate > 0 ? (toDate.actual / targetsToDate) * planTotal : null,
      text: `${actual} ÷ ${formatNumber(targetsToDate)}件 × ${formatNumber(planTotal)}件 ≒ ${result}`,
    },
    {
      value: toDate.yearsElapsed > 0 ? (toDate.actual / toDate.yearsElapsed) * toDate.planYears : null,
      text: `${actual} ÷ ${toDate.yearsElapsed}年度 × ${toDate.planYears}年度 ≒ ${result}`,
    },
  ];
  const match = readings.find((reading) => reading.value !== null && Math.abs(reading.value - projected) < 1e-9);
  return match ? `今回の数値では、${match.text}です。` : null;
}

/** 4: the plan to date against the targets so far, the plan total for reference, and the outlook. */
export function planToDateSection(review: Review, numbering: Numbering): string {
  const toDate = review.planToDate;
  if (toDate.yearsElapsed === 0)
    return `<p>${escapeHtml(`${review.fiscalYear}年度は最初の目標年度（${toDate.firstTargetYear}年度）より前のため、累計と見通しはまだ求めていません。`)}</p>`;
  const { projection } = toDate;
  const sentences = [
    `${toDate.firstTargetYear}年度から${review.fiscalYear}年度までの${toDate.yearsElapsed}年度間の支援件数（新規・継続の計）の累計は${formatNumber(toDate.actual)}件で、同期間の目標${formatNumber(toDate.againstTargetsToDate.target ?? 0)}件に対する達成率は${rateText(toDate.againstTargetsToDate.rate)}です。`,
  ];
  // While the plan runs, its whole target is beside the figures for reference only; the verdict is the sentence above.
  if (toDate.againstPlanTotal.target !== toDate.againstTargetsToDate.target)
    sentences.push(
      `計画全体（${toDate.firstTargetYear}〜${toDate.lastFiscalYear}年度の${toDate.planYears}年度間）の目標${formatNumber(toDate.againstPlanTotal.target ?? 0)}件に対しては${rateText(toDate.againstPlanTotal.rate)}です。計画期間の途中であるため、この割合は参考として示すもので、評価は同期間の目標に対して行っています。`,
    );
  let outlook = "";
  if (projection.projectedTotal !== null) {
    const projected = formatNumber(Math.round(projection.projectedTotal));
    const outlookEnd =
      projection.pace === null ? "見込みです。" : `見込みで、目標${PACE_PHRASES[projection.pace]}です。`;
    const lead =
      review.fiscalYear >= toDate.lastFiscalYear
        ? `${review.fiscalYear}年度は計画の最終年度のため、見込みは累計の実績と一致します。`
        : `これまでの実績のペースが続いた場合、${toDate.lastFiscalYear}年度までの累計は${projected}件となり、計画全体の目標${formatNumber(projection.againstPlanTotal.target ?? 0)}件に対して${rateText(projection.againstPlanTotal.rate)}となる${outlookEnd}`;
    const worked = workedProjection(toDate);
    outlook = `<h3>見通し</h3>
<p>${escapeHtml(lead)}</p>
<p class="formula">${escapeHtml(`算出方法：${projection.formula}`)}${worked === null ? "" : `<br>\n${escapeHtml(worked)}`}</p>`;
  }
  return `<p>${escapeHtml(sentences.join(""))}</p>
${numbering.table("plan-to-date")}
${outlook}`;
}

/** 5: the year's cases by institution, field, region and kind of support. */
export function breakdownSection(review: Review, numbering: Numbering): string {
  const { breakdowns } = review;
  const institutionSum = breakdowns.byInstitution.reduce((sum, row) => sum + row.cases, 0);
  const shared = `複数の機関が支援した案件は、計画全体の件数では1件、機関別の内訳では支援した機関ごとに1件と数えています。このため、機関別の件数の合計（${formatNumber(institutionSum)}件）は、支援案件の実数（${formatNumber(breakdowns.cases)}件）を上回ることがあります。${breakdowns.fiscalYear}年度に複数の機関が報告した案件は${formatNumber(breakdowns.sharedCases)}件です。`;
  return `<p>${escapeHtml(`${breakdowns.fiscalYear}年度に支援した案件（実数${formatNumber(breakdowns.cases)}件）の内訳を、支援機関別、事業分野別、地域別、支援の種類別に示します。`)}</p>
<h3>支援機関別</h3>
<p>${escapeHtml(shared)}</p>
${numbering.table("by-institution")}
${numbering.figure("by-institution", "支援機関別の支援案件数", "by-institution")}
<h3>事業分野別</h3>
${numbering.table("by-field")}
${numbering.figure("by-field", "事業分野別の支援案件数", "by-field")}
<h3>地域別</h3>
<p>地域は、案件の所在市町村が属する振興局の区域です。計画に記載のない市町村の案件は「その他」に数えています。</p>
${numbering.table("by-region")}
<h3>支援の種類別</h3>
<p>1件の案件を報告されたすべての支援の種類に数えるため、種類別の合計は支援案件の実数を上回ることがあります。</p>
${numbering.table("by-support-kind")}`;
}

/** 6: the plan's outcome indicators. */
export function indicatorsSection(numbering: Numbering): string {
  return `<p>計画に定める成果指標の実績を示します。割合の指標は小数第1位までの百分率で、括弧内に分子と分母を示します。目標の定めがない指標は「目標なし」としています。</p>
${numbering.table("indicators")}`;
}

/** 7: how completely and how punctually the institutions reported. */
export function completenessSection(review: Review, numbering: Numbering): string {
  const c = review.completeness;
  const text = `${review.fiscalYear}年度は、各支援機関に四半期ごとに実施状況を照会し、計${formatNumber(c.expected)}件の照会に対して${formatNumber(c.answered)}件の報告がありました（提出率${rateText(c.answeredRate)}）。このうち期限内の提出は${formatNumber(c.onTime)}件（期限内提出率${rateText(c.onTimeRate)}）、期限後の提出は${formatNumber(c.late)}件、未報告は${formatNumber(c.missing)}件です。`;
  return `<p>${escapeHtml(text)}</p>
${numbering.table("completeness")}
${numbering.table("completeness-by-quarter")}`;
}

/** 8: the secretariat's findings and the review meeting's decisions, or a placeholder until the meeting. */
export function secretariatSection(review: Review): string {
  if (review.secretariatFindings.length === 0 && review.decisions.length === 0)
    return `<p class="placeholder">事務局の所見と見直しの内容は、点検評価会議の後に記載します。</p>`;
  const findings =
    review.secretariatFindings.length === 0
      ? `<p class="placeholder">事務局の所見は、点検評価会議の後に記載します。</p>`
      : list(review.secretariatFindings, "plain");
  const decisions =
    review.decisions.length === 0
      ? `<p class="placeholder">見直しの内容は、点検評価会議の後に記載します。</p>`
      : list(review.decisions, "plain");
  return `<h3>事務局の所見</h3>
${findings}
<h3>見直し（点検評価会議の決定事項）</h3>
${decisions}`;
}

/** The notes (付記). */
export function notesSection(review: Review): string {
  return review.notes.length === 0 ? "<p>付記事項はありません。</p>" : list(review.notes, "plain");
}
