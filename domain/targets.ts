import type { FiscalYear } from "./calendar.ts";
import type { Plan } from "./plan.ts";

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
