import type { FiscalYear } from "../calendar.ts";
import { percentOf } from "../format.ts";
import type { Plan } from "../plan.ts";
import { compareWithTarget, expandTargets, ratioOrNull, targetYearFor } from "../targets.ts";
import { type CaseHistories, supportedIn } from "./case-history.ts";
import type { Pace, PlanToDate, SupportedCasesYear } from "./types.ts";

// The targets rise as cohorts accumulate (10, 20, 30 … in the reference plan), so a plain yearly average would
// under-project a plan that meets every target; the pace against the targets so far does not.
/** How the projection to the plan's last year is computed, in the words the report and its notes use. */
export const PROJECTION_FORMULA =
  "見込み = 累計実績 ÷ これまでの目標の累計 × 計画全体の目標（これまでの目標に対する達成の割合が最終年度まで続くと仮定。目標の累計が0のときは 累計実績 ÷ 経過年度数 × 計画の年度数）";

/** Each target year up to `fiscalYear`: its distinct cases, new or continuing, against the target table. */
export function supportedCases(plan: Plan, fiscalYear: FiscalYear, histories: CaseHistories): SupportedCasesYear[] {
  const { firstTargetYear, thresholds } = plan.targets;
  const span = Math.max(0, fiscalYear - firstTargetYear + 1);
  const newCases = new Array<number>(span).fill(0);
  const continuing = new Array<number>(span).fill(0);
  for (const history of histories.values()) {
    const cohortIndex = targetYearFor(plan, history.firstFiscalYear) - firstTargetYear;
    for (let index = 0; index < span; index++) {
      if (!supportedIn(history, index)) continue;
      // One first year per case, so a case is new in exactly one target year and continuing in the others.
      if (index === cohortIndex) newCases[index] = (newCases[index] ?? 0) + 1;
      else continuing[index] = (continuing[index] ?? 0) + 1;
    }
  }
  return expandTargets(plan)
    .years.filter((year) => year.fiscalYear <= fiscalYear)
    .map((year, index) => {
      const actualNew = newCases[index] ?? 0;
      const actualContinuing = continuing[index] ?? 0;
      return {
        fiscalYear: year.fiscalYear,
        includesFiscalYears: year.includesFiscalYears,
        newCases: compareWithTarget(actualNew, year.newCases, thresholds),
        continuingCases: compareWithTarget(actualContinuing, year.continuingCases, thresholds),
        total: compareWithTarget(actualNew + actualContinuing, year.total, thresholds),
      };
    });
}

/** How a sentence says a pace after 「目標」: 「目標を上回るペース」, 「目標どおりのペース」, 「目標を下回るペース」. */
export const PACE_PHRASES: Record<Pace, string> = {
  ahead: "を上回るペース",
  "on-target": "どおりのペース",
  behind: "を下回るペース",
};

/** Whether a projection's rate against the plan total is above, at or below 100%, as the report shows it. */
export function paceOf(rate: number): Pace {
  const shown = percentOf(rate);
  return shown > 100 ? "ahead" : shown === 100 ? "on-target" : "behind";
}

/** The case-years from the first target year to the year under review, and where the pace so far leads. */
export function planToDate(plan: Plan, years: readonly SupportedCasesYear[]): PlanToDate {
  const table = expandTargets(plan);
  const thresholds = plan.targets.thresholds;
  const actual = years.reduce((sum, year) => sum + year.total.actual, 0);
  const targetsToDate = years.reduce((sum, year) => sum + (year.total.target ?? 0), 0);
  const yearsElapsed = years.length;
  const planYears = table.years.length;
  const averagePerYear = yearsElapsed === 0 ? null : actual / yearsElapsed;
  const projectedTotal =
    targetsToDate > 0
      ? (actual / targetsToDate) * table.total
      : averagePerYear === null
        ? null
        : averagePerYear * planYears;
  const projectedRate = projectedTotal === null ? null : ratioOrNull(projectedTotal, table.total);
  return {
    firstTargetYear: plan.targets.firstTargetYear,
    lastFiscalYear: plan.period.lastFiscalYear,
    yearsElapsed,
    planYears,
    actual,
    againstTargetsToDate: compareWithTarget(actual, targetsToDate, thresholds),
    againstPlanTotal: { actual, target: table.total, rate: ratioOrNull(actual, table.total) },
    projection: {
      formula: PROJECTION_FORMULA,
      averagePerYear,
      projectedTotal,
      againstPlanTotal: { actual: projectedTotal ?? 0, target: table.total, rate: projectedRate },
      pace: projectedRate === null ? null : paceOf(projectedRate),
    },
  };
}
