import type { FiscalYear } from "./calendar.ts";
import type { Plan, TargetRule } from "./plan.ts";

/** 目標: one fiscal year of the target table (supported cases, new and continuing). */
export interface TargetYear {
  fiscalYear: FiscalYear;
  /** Earlier fiscal years of the plan period whose cases count with this one (2017 for the reference plan's 2018). */
  includesFiscalYears: FiscalYear[];
  newCases: number;
  continuingCases: number;
  total: number;
}

/** The whole target table and the plan total (case-years over the plan). */
export interface TargetTable {
  years: TargetYear[];
  total: number;
}

/**
 * Expands the target rule into the per-year table. A case is new in its first fiscal year and continuing in each
 * of the next `followUpYears - 1` fiscal years, so continuing(y) is the sum of the new cases of the cohorts that
 * are still owed follow-up in y. Cohorts end with the plan: nothing is counted past its last fiscal year.
 */
export function expandTargets(plan: Plan): TargetTable {
  const { newCasesPerYear, followUpYears, firstTargetYear } = plan.targets;
  const years: TargetYear[] = [];
  for (let fiscalYear = firstTargetYear; fiscalYear <= plan.period.lastFiscalYear; fiscalYear++) {
    const cohortsStillFollowed = Math.min(followUpYears - 1, fiscalYear - firstTargetYear);
    const continuingCases = cohortsStillFollowed * newCasesPerYear;
    const includesFiscalYears = [];
    if (fiscalYear === firstTargetYear)
      for (let earlier = plan.period.firstFiscalYear; earlier < firstTargetYear; earlier++)
        includesFiscalYears.push(earlier);
    years.push({
      fiscalYear,
      includesFiscalYears,
      newCases: newCasesPerYear,
      continuingCases,
      total: newCasesPerYear + continuingCases,
    });
  }
  return { years, total: years.reduce((sum, year) => sum + year.total, 0) };
}

/** The target year a fiscal year's cases count towards (earlier years of the period count with the first target). */
export function targetYearFor(plan: Plan, fiscalYear: FiscalYear): FiscalYear {
  return Math.max(fiscalYear, plan.targets.firstTargetYear);
}

/** The plan's thresholds: a rate at or above `achieved` is 達成, at or above `nearly` 概ね達成. */
export type Thresholds = TargetRule["thresholds"];

/** How an actual figure stands against its target; `no-target` when there is none or it is 0. */
export type TargetStatus = "achieved" | "nearly" | "not-achieved" | "no-target";

/** 実績 against 目標 for one indicator and fiscal year. `rate` is null when the target is missing or 0. */
export interface Figure {
  actual: number;
  target: number | null;
  rate: number | null;
  status: TargetStatus;
}

/** Compares an actual figure with its target using the plan's thresholds. */
export function compareWithTarget(actual: number, target: number | null, thresholds: Thresholds): Figure {
  // A zero target has no meaningful rate (x/0); it is shown as having no target rather than as NaN or Infinity.
  if (target === null || target === 0) return { actual, target, rate: null, status: "no-target" };
  const rate = actual / target;
  return { actual, target, rate, status: statusOf(rate, thresholds) };
}

/** The status a rate earns under the plan's thresholds. */
export function statusOf(rate: number, thresholds: Thresholds): Exclude<TargetStatus, "no-target"> {
  if (rate >= thresholds.achieved) return "achieved";
  if (rate >= thresholds.nearly) return "nearly";
  return "not-achieved";
}

/** a / b, or null when b is 0, so that no rate is ever NaN or Infinity. */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
