import type { FiscalYear } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import { targetYearFor } from "../targets.ts";
import type { InstitutionOrder } from "./institution-order.ts";

// Target years supported are kept as bits of one number (bit i = firstTargetYear + i): a case costs the same memory
// however many years are fed. Plain arithmetic keeps 52 bits exact, far beyond any plan period.
/** The most target years a plan may have for its cases' years to be kept as bits of one number. */
export const MAX_TARGET_YEARS = 52;

function bitOf(index: number): number {
  return 2 ** index;
}

/** What the review keeps of one case over all the years fed: one small record per distinct case id. */
export interface CaseHistory {
  /** The earliest first year any report gave (or the earliest year supported, if earlier still). */
  firstFiscalYear: FiscalYear;
  reportedFirstYear: FiscalYear;
  /** The target years the case was supported in, as bits (see `supportedIn`). */
  targetYears: number;
  institutions: string[];
  businessName: string | null;
  businessNameYear: FiscalYear;
  firstYearConflict: boolean;
}

/** Whether the case was supported in the target year `index` years after the plan's first target year. */
export function supportedIn(history: CaseHistory, index: number): boolean {
  return Math.floor(history.targetYears / bitOf(index)) % 2 === 1;
}

/** The history of every case seen, in any year up to the one under review, whatever the order of feeding. */
export class CaseHistories {
  private readonly byId = new Map<string, CaseHistory>();

  /** Starts empty; `order` gives each institution id the plan's own string. */
  constructor(
    private readonly plan: Plan,
    private readonly order: InstitutionOrder,
  ) {}

  /** Records one report of a case: who supported it in `fiscalYear`, and the first year that report gave. */
  record(
    caseId: string,
    reportedFirstYear: FiscalYear,
    institutionId: string,
    fiscalYear: FiscalYear,
    businessName: string | null,
  ): void {
    // A case cannot have started after a year it was supported in, whatever a report says.
    const firstFiscalYear = Math.min(reportedFirstYear, fiscalYear);
    const institution = this.order.canonicalId(institutionId);
    const yearIndex = targetYearFor(this.plan, fiscalYear) - this.plan.targets.firstTargetYear;
    const history = this.byId.get(caseId);
    if (!history) {
      this.byId.set(caseId, {
        firstFiscalYear,
        reportedFirstYear,
        targetYears: bitOf(yearIndex),
        institutions: [institution],
        businessName,
        businessNameYear: fiscalYear,
        firstYearConflict: reportedFirstYear > fiscalYear,
      });
      return;
    }
    // "Some report differs from the first one kept" is the same as "not all agree", whatever the order of feeding.
    if (reportedFirstYear !== history.reportedFirstYear || reportedFirstYear > fiscalYear)
      history.firstYearConflict = true;
    history.firstFiscalYear = Math.min(history.firstFiscalYear, firstFiscalYear);
    if (!supportedIn(history, yearIndex)) history.targetYears += bitOf(yearIndex);
    if (!history.institutions.includes(institution)) history.institutions.push(institution);
    // The latest year's name wins; within one year the first in code-point order, so feeding order never matters.
    if (
      businessName !== null &&
      (history.businessName === null ||
        fiscalYear > history.businessNameYear ||
        (fiscalYear === history.businessNameYear && businessName < history.businessName))
    ) {
      history.businessName = businessName;
      history.businessNameYear = fiscalYear;
    }
  }

  /** Every history, in no particular order. */
  values(): IterableIterator<CaseHistory> {
    return this.byId.values();
  }

  /** Every case id, sorted, so that lists built from the histories read the same on every run. */
  sortedIds(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** One case's history, if it was seen. */
  get(caseId: string): CaseHistory | undefined {
    return this.byId.get(caseId);
  }

  /** How many cases were given different first years by different reports. */
  firstYearConflicts(): number {
    let conflicts = 0;
    for (const history of this.byId.values()) if (history.firstYearConflict) conflicts++;
    return conflicts;
  }
}
