import type { Quarter } from "../calendar.ts";
import type { QuarterlyReport, ReportedCase } from "../form.ts";
import type { IndicatorTotals } from "../indicators.ts";
import type { InstitutionOrder } from "./institution-order.ts";

/** One distinct case of the year under review, merged from every report of it. */
export interface YearCase {
  field: string;
  municipality: string;
  businessName: string;
  /** Which report the attributes above came from: the latest quarter, then the institution first in the plan. */
  fromQuarter: Quarter;
  fromInstitution: string;
  kinds: Set<string>;
  commercialised: boolean;
  jointResearch: boolean;
  /** Per quarter, the largest figure any institution reported for the case (see the review's note on sums). */
  salesYen: [number, number, number, number];
  patentApplications: [number, number, number, number];
  institutions: string[];
}

/** What one institution reported over the year under review. */
export interface InstitutionYear {
  cases: Set<string>;
  consultations: number;
  seminarsAndEvents: number;
  agreementsConcluded: number;
  quarters: Set<Quarter>;
}

/** The year under review's answers, merged: distinct cases, each institution's figures and the activity counts. */
export class YearActivity {
  /** The year's distinct cases by case id. */
  readonly cases = new Map<string, YearCase>();
  /** Each institution that answered, by id. */
  readonly institutions = new Map<string, InstitutionYear>();
  private readonly counts = { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 };

  /** Starts empty; `order` decides which report's attributes a case shows when reports disagree. */
  constructor(private readonly order: InstitutionOrder) {}

  /** Adds one institution's answer to one quarter (the latest version only: the caller checks). */
  add(institutionId: string, quarter: Quarter, report: Pick<QuarterlyReport, "cases" | "counts">): void {
    const institution = this.institutionYear(institutionId);
    institution.quarters.add(quarter);
    institution.consultations += report.counts.consultations;
    institution.seminarsAndEvents += report.counts.seminarsAndEvents;
    institution.agreementsConcluded += report.counts.agreementsConcluded;
    this.counts.consultations += report.counts.consultations;
    this.counts.seminarsAndEvents += report.counts.seminarsAndEvents;
    this.counts.agreementsConcluded += report.counts.agreementsConcluded;
    for (const reported of report.cases) {
      institution.cases.add(reported.caseId);
      this.recordCase(reported, institutionId, quarter);
    }
  }

  /** The year's value of every figure an indicator may read. */
  indicatorTotals(): IndicatorTotals {
    let commercialised = 0;
    let jointResearch = 0;
    let salesYen = 0;
    let patentApplications = 0;
    for (const entry of this.cases.values()) {
      if (entry.commercialised) commercialised++;
      if (entry.jointResearch) jointResearch++;
      for (const amount of entry.salesYen) salesYen += amount;
      for (const count of entry.patentApplications) patentApplications += count;
    }
    return {
      "cases.supported": this.cases.size,
      "cases.commercialised": commercialised,
      "cases.jointResearch": jointResearch,
      "cases.salesYen": salesYen,
      "cases.patentApplications": patentApplications,
      "counts.consultations": this.counts.consultations,
      "counts.seminarsAndEvents": this.counts.seminarsAndEvents,
      "counts.agreementsConcluded": this.counts.agreementsConcluded,
    };
  }

  private institutionYear(institutionId: string): InstitutionYear {
    let entry = this.institutions.get(institutionId);
    if (!entry) {
      entry = { cases: new Set(), consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0, quarters: new Set() };
      this.institutions.set(institutionId, entry);
    }
    return entry;
  }

  private reportsBefore(quarter: Quarter, institutionId: string, current: YearCase): boolean {
    if (quarter !== current.fromQuarter) return quarter > current.fromQuarter;
    return this.order.compare(institutionId, current.fromInstitution) < 0;
  }

  private recordCase(reported: ReportedCase, institutionId: string, quarter: Quarter): void {
    const index = quarter - 1;
    let entry = this.cases.get(reported.caseId);
    if (!entry) {
      entry = {
        field: reported.field,
        municipality: reported.municipality,
        businessName: reported.businessName,
        fromQuarter: quarter,
        fromInstitution: institutionId,
        kinds: new Set(),
        commercialised: false,
        jointResearch: false,
        salesYen: [0, 0, 0, 0],
        patentApplications: [0, 0, 0, 0],
        institutions: [],
      };
      this.cases.set(reported.caseId, entry);
    } else if (this.reportsBefore(quarter, institutionId, entry)) {
      entry.field = reported.field;
      entry.municipality = reported.municipality;
      entry.businessName = reported.businessName;
      entry.fromQuarter = quarter;
      entry.fromInstitution = institutionId;
    }
    for (const kind of reported.supportKinds) entry.kinds.add(kind);
    entry.commercialised ||= reported.outcomes.commercialised;
    entry.jointResearch ||= reported.outcomes.jointResearch;
    entry.salesYen[index] = Math.max(entry.salesYen[index] ?? 0, reported.outcomes.salesYen);
    entry.patentApplications[index] = Math.max(
      entry.patentApplications[index] ?? 0,
      reported.outcomes.patentApplications,
    );
    if (!entry.institutions.includes(institutionId)) entry.institutions.push(institutionId);
  }
}
