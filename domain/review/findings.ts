import type { FiscalYear } from "../calendar.ts";
import { formatFiscalYears, formatNumber, formatOneDecimal, formatPercent, targetYearLabel } from "../format.ts";
import type { Plan } from "../plan.ts";
import type { Figure } from "../targets.ts";
import type { IndicatorResult } from "./indicators.ts";
import { PACE_PHRASES } from "./supported-cases.ts";
import type { Finding, FindingKind, Review } from "./types.ts";

/** The computed sections findings are drawn from. */
export type ReviewSections = Pick<
  Review,
  "supportedCases" | "followUp" | "planToDate" | "breakdowns" | "indicators" | "completeness"
>;

// Findings are read in three tiers, the way a secretariat presents a year: first the year's overall result against
// its target, whatever it is; then what needs attention: shortfalls against a target, the largest gap first (15% of
// a target before 20%), then what the secretariat has to chase or look into; last, what went as planned. A weight
// encodes the tier and the place within it; equal weights keep the order of generation.
const OVERALL = 3000;
const SHORTFALL = 2000;
const ATTENTION = 1000;
const TO_CHASE = {
  reportMissing: 80,
  followUpGap: 70,
  fieldWithoutCases: 40,
  institutionWithoutCases: 35,
  reportLate: 30,
  regionWithoutCases: 25,
} as const;
// What went as planned: the outlook first, then the plan to date, the year's parts and the indicators.
const AS_PLANNED = { projection: 20, planToDate: 12, cases: 10, indicator: 7 } as const;

/** A shortfall's weight: within its tier, the further below its target (1 − rate), the earlier. */
function shortfallWeight(rate: number): number {
  return SHORTFALL + Math.round(Math.min(1, Math.max(0, 1 - rate)) * 900);
}

/** A comparison's weight: a met target among what went as planned, a missed one by its gap. */
function targetWeight(figure: Pick<Figure, "rate" | "status">, asPlanned: number): number {
  return figure.status === "achieved" || figure.rate === null ? asPlanned : shortfallWeight(figure.rate);
}

// Within one target year the total is the overall result; new and continuing cases are its parts.
const CASE_FIGURES = [
  { key: "total", label: "支援件数（新規・継続の計）", offset: 0 },
  { key: "newCases", label: "新規支援件数", offset: -1 },
  { key: "continuingCases", label: "継続支援件数", offset: -2 },
] as const;

const EXAMPLES_SHOWN = 3;

function againstTarget(subject: string, actual: string, figure: Figure, target: string): string | null {
  if (figure.rate === null || figure.status === "no-target") return null;
  const rate = formatPercent(figure.rate);
  if (figure.status === "achieved")
    return `${subject}は${actual}で、目標${target}に対し達成率${rate}となり、目標を達成しました。`;
  return `${subject}は${actual}で、目標${target}に対し達成率${rate}でした。`;
}

function quartersText(quarters: readonly number[]): string {
  return quarters.map((quarter) => `第${quarter}四半期`).join("・");
}

function indicatorFinding(fiscalYear: FiscalYear, indicator: IndicatorResult): Finding | null {
  if (indicator.status === "no-target" || indicator.targetDisplay === null) return null;
  const text = againstTarget(
    `${fiscalYear}年度の${indicator.name}`,
    indicator.display,
    { actual: indicator.value ?? 0, target: indicator.target, rate: indicator.rate, status: indicator.status },
    indicator.targetDisplay,
  );
  return text ? { weight: targetWeight(indicator, AS_PLANNED.indicator), kind: "indicator-target", text } : null;
}

/** Plain Japanese findings drawn from a review's figures: the year's overall result, what needs attention, the rest. */
export function reviewFindings(plan: Plan, fiscalYear: FiscalYear, sections: ReviewSections): Finding[] {
  const findings: Finding[] = [];
  const add = (kind: FindingKind, weight: number, text: string | null) => {
    if (text !== null) findings.push({ weight, kind, text });
  };

  const year = sections.supportedCases.find((row) => row.fiscalYear === fiscalYear);
  if (year) {
    const subjectYear = targetYearLabel(year.fiscalYear, year.includesFiscalYears);
    for (const { key, label, offset } of CASE_FIGURES) {
      const figure = year[key];
      if (figure.status === "no-target") continue;
      add(
        "cases-target",
        key === "total" ? OVERALL : targetWeight(figure, AS_PLANNED.cases + offset),
        againstTarget(`${subjectYear}の${label}`, `${figure.actual}件`, figure, `${figure.target}件`),
      );
    }
  }

  const toDate = sections.planToDate;
  const figure = toDate.againstTargetsToDate;
  if (toDate.yearsElapsed > 0 && figure.status !== "no-target") {
    const planRate = toDate.againstPlanTotal.rate;
    const ofPlan =
      planRate === null
        ? ""
        : `（計画全体の目標${toDate.againstPlanTotal.target}件に対しては${formatPercent(planRate)}）`;
    add(
      "plan-to-date",
      targetWeight(figure, AS_PLANNED.planToDate),
      `${toDate.firstTargetYear}年度から${fiscalYear}年度までの支援件数の累計は${toDate.actual}件で、同期間の目標${figure.target}件に対し達成率${formatPercent(figure.rate ?? 0)}でした${ofPlan}。`,
    );
  }
  const projection = toDate.projection;
  // Worded after the projection's own formula: the pace against the targets so far, or, with no targets yet,
  // the yearly average.
  const targetsToDate = toDate.againstTargetsToDate;
  const pace =
    targetsToDate.target && targetsToDate.rate !== null
      ? `これまでの目標に対する達成の割合（${formatPercent(targetsToDate.rate)}）が続くと`
      : `これまでの年平均${formatOneDecimal(projection.averagePerYear ?? 0)}件のペースで推移すると`;
  if (
    fiscalYear < toDate.lastFiscalYear &&
    projection.averagePerYear !== null &&
    projection.projectedTotal !== null &&
    projection.againstPlanTotal.rate !== null &&
    projection.pace !== null
  )
    add(
      "projection",
      projection.pace === "behind" ? shortfallWeight(projection.againstPlanTotal.rate) : AS_PLANNED.projection,
      `${pace}、${toDate.lastFiscalYear}年度までの累計は${formatNumber(Math.round(projection.projectedTotal))}件となる見込みで、計画全体の目標（${projection.againstPlanTotal.target}件）${PACE_PHRASES[projection.pace]}です（目標に対し${formatPercent(projection.againstPlanTotal.rate)}）。`,
    );

  const firstTarget = sections.supportedCases[0];
  for (const cohort of sections.followUp.cohorts) {
    if (cohort.missed.length === 0) continue;
    const folded = cohort.fiscalYear === firstTarget?.fiscalYear ? firstTarget.includesFiscalYears : [];
    const examples = cohort.missed
      .slice(0, EXAMPLES_SHOWN)
      .map(
        (missed) =>
          `${missed.businessName ?? missed.caseId}（${missed.institutions.map((institution) => institution.name).join("・")}：${formatFiscalYears(missed.missedYears)}）`,
      )
      .join("、");
    const more = cohort.missed.length > EXAMPLES_SHOWN ? `ほか${cohort.missed.length - EXAMPLES_SHOWN}件` : "";
    add(
      "follow-up-gap",
      ATTENTION + TO_CHASE.followUpGap + Math.round((10 * cohort.missed.length) / Math.max(1, cohort.cases)),
      `${targetYearLabel(cohort.fiscalYear, folded)}に新規支援を始めた案件${cohort.cases}件のうち${cohort.missed.length}件は、フォローアップ期間中に支援の報告がない年度があります（${examples}${more}）。`,
    );
  }

  for (const institution of sections.completeness.byInstitution) {
    const missing = institution.quarters.filter((quarter) => quarter.status === "missing").map((q) => q.quarter);
    const late = institution.quarters.filter((quarter) => quarter.status === "late").map((q) => q.quarter);
    if (missing.length > 0)
      add(
        "report-missing",
        ATTENTION + TO_CHASE.reportMissing,
        `${institution.name}から${fiscalYear}年度${quartersText(missing)}の実施状況の報告がありませんでした。`,
      );
    if (late.length > 0)
      add(
        "report-late",
        ATTENTION + TO_CHASE.reportLate,
        `${institution.name}の${fiscalYear}年度${quartersText(late)}の報告は、期限後の提出でした。`,
      );
  }

  const planInstitutions = new Set(plan.institutions.map((institution) => institution.id));
  for (const row of sections.breakdowns.byInstitution)
    if (planInstitutions.has(row.key) && row.cases === 0 && row.quartersReported > 0)
      add(
        "institution-without-cases",
        ATTENTION + TO_CHASE.institutionWithoutCases,
        `${row.label}の${fiscalYear}年度の報告には、支援案件がありませんでした。`,
      );

  const planFields = new Set(plan.fields.map((field) => field.id));
  for (const row of sections.breakdowns.byField)
    if (planFields.has(row.key) && row.cases === 0)
      add(
        "field-without-cases",
        ATTENTION + TO_CHASE.fieldWithoutCases,
        `${fiscalYear}年度は「${row.label}」分野の支援案件がありませんでした。`,
      );

  const planRegions = new Set(plan.municipalities.map((municipality) => municipality.region));
  const emptyRegions = sections.breakdowns.byRegion.filter((row) => planRegions.has(row.key) && row.cases === 0);
  if (emptyRegions.length > 0)
    add(
      "region-without-cases",
      ATTENTION + TO_CHASE.regionWithoutCases,
      emptyRegions.length === 1
        ? `${fiscalYear}年度は、${emptyRegions[0]?.label}地域で支援案件がありませんでした。`
        : `${fiscalYear}年度は、${emptyRegions.map((row) => row.label).join("・")}の各地域で支援案件がありませんでした。`,
    );

  for (const indicator of sections.indicators) {
    const finding = indicatorFinding(fiscalYear, indicator);
    if (finding) findings.push(finding);
  }

  // Array.prototype.sort is stable, so equal weights keep the order above.
  return findings.sort((a, b) => b.weight - a.weight);
}
