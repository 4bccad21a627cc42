import type { FiscalYear } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import { targetYearFor } from "../targets.ts";
import { type CaseHistories, supportedIn } from "./case-history.ts";
import type { InstitutionOrder } from "./institution-order.ts";
import type { FollowUpCohort } from "./types.ts";

/**
 * フォローアップ: each cohort (the cases new in one target year) and how many of its cases were supported in each
 * year they were owed support, up to the year under review, with every case that missed such a year.
 * `currentName` gives a case's name as reported in the year under review, which wins over earlier years' names.
 */
export function followUpCohorts(
  plan: Plan,
  fiscalYear: FiscalYear,
  histories: CaseHistories,
  order: InstitutionOrder,
  currentName: (caseId: string) => string | undefined,
): FollowUpCohort[] {
  const { firstTargetYear, followUpYears } = plan.targets;
  const lastOwed = Math.min(fiscalYear, plan.period.lastFiscalYear);
  const cohorts: FollowUpCohort[] = [];
  for (let cohortYear = firstTargetYear; cohortYear <= fiscalYear; cohortYear++) {
    const years = [];
    for (let year = cohortYear; year < cohortYear + followUpYears && year <= lastOwed; year++)
      years.push({ fiscalYear: year, supported: 0 });
    cohorts.push({ fiscalYear: cohortYear, cases: 0, years, missed: [] });
  }
  for (const caseId of histories.sortedIds()) {
    const history = histories.get(caseId);
    if (!history) continue;
    const cohort = cohorts[targetYearFor(plan, history.firstFiscalYear) - firstTargetYear];
    if (!cohort) continue;
    cohort.cases++;
    const missedYears: FiscalYear[] = [];
    for (const year of cohort.years) {
      if (supportedIn(history, year.fiscalYear - firstTargetYear)) year.supported++;
      else missedYears.push(year.fiscalYear);
    }
    if (missedYears.length === 0) continue;
    cohort.missed.push({
      caseId,
      businessName: currentName(caseId) ?? history.businessName,
      institutions: history.institutions
        .slice()
        .sort((a, b) => order.compare(a, b))
        .map((id) => ({ id, name: order.name(id) })),
      missedYears,
    });
  }
  return cohorts;
}
