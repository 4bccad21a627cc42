import { type FiscalYear, fiscalYearLabel, type Quarter } from "../calendar.ts";
import { DomainError } from "../errors.ts";
import { type QuarterlyReport, type ReportedCase, SUPPORT_KINDS } from "../form.ts";
import { formatFiscalYears } from "../format.ts";
import type { IndicatorTotals } from "../indicators.ts";
import type { Plan } from "../plan.ts";
import type { RoundRequest } from "../round.ts";
import { compareWithTarget, expandTargets, type Figure, targetYearFor } from "../targets.ts";
import { reportingCompleteness } from "./completeness.ts";
import { reviewFindings } from "./findings.ts";
import { evaluateIndicators } from "./indicators.ts";
import type {
  BreakdownRow,
  Breakdowns,
  FollowUpCohort,
  InstitutionRow,
  MissedFollowUp,
  PlanToDate,
  Review,
  SupportedCasesYear,
} from "./types.ts";

/** The latest version of one institution's answer to one quarter of the year under review. */
export interface ReviewSubmission {
  institutionId: string;
  quarter: Quarter;
  /** Checked against the year under review when given (a stored submission carries it). */
  fiscalYear?: FiscalYear;
  report: Pick<QuarterlyReport, "cases" | "counts">;
}

/** What the review keeps of a case reported in an earlier fiscal year. */
export interface EarlierCase {
  caseId: string;
  firstFiscalYear: FiscalYear;
  institutionId: string;
  fiscalYear: FiscalYear;
  /** Only to name a case in the follow-up list when it was not reported in the year under review. */
  businessName?: string;
}

/** An earlier year's submission; only its cases' ids, first years and names are read. */
export interface EarlierSubmission {
  institutionId: string;
  fiscalYear: FiscalYear;
  report: { cases: readonly Pick<ReportedCase, "caseId" | "firstFiscalYear" | "businessName">[] };
}

/** The input was not what the review expects (a second version of one answer, a year outside the plan). */
export class ReviewInputError extends DomainError {
  constructor(message: string) {
    super("review-input", message);
  }
}

// Target years supported are kept as bits of one number (bit i = firstTargetYear + i): a case costs the same memory
// however many years are fed. Plain arithmetic keeps 52 bits exact, far beyond any plan period.
const MAX_TARGET_YEARS = 52;

interface CaseHistory {
  // The earliest first year any report gave (or the earliest year supported, if earlier still).
  firstFiscalYear: FiscalYear;
  reportedFirstYear: FiscalYear;
  targetYears: number;
  institutions: string[];
  businessName: string | null;
  businessNameYear: FiscalYear;
  firstYearConflict: boolean;
}

interface YearCase {
  field: string;
  municipality: string;
  businessName: string;
  // Which report the attributes above came from: the latest quarter, then the institution first in the plan.
  fromQuarter: Quarter;
  fromInstitution: string;
  kinds: Set<string>;
  commercialised: boolean;
  jointResearch: boolean;
  // Per quarter, the largest figure any institution reported for the case (see SUMS_NOTE).
  salesYen: [number, number, number, number];
  patentApplications: [number, number, number, number];
  institutions: string[];
}

interface InstitutionYear {
  cases: Set<string>;
  consultations: number;
  seminarsAndEvents: number;
  agreementsConcluded: number;
  quarters: Set<Quarter>;
}

const SHARED_CASES_NOTE =
  "同じ案件番号を複数の機関が報告した場合、計画全体の件数では1件と数え、機関別の内訳では報告した機関ごとに1件と数えます。このため、機関別の件数の合計は全体の件数を上回ることがあります。";
const SUPPORT_KINDS_NOTE =
  "支援の種類別の内訳では、1件の案件を報告されたすべての種類に数えるため、種類別の合計は全体の件数を上回ることがあります。";
const SUMS_NOTE =
  "売上額と特許出願件数は、四半期ごとの報告値を年度内で合計しています。同じ四半期に複数の機関が同じ案件の値を報告した場合は、二重に数えないよう大きい方の値を採ります。事業化と共同研究は、いずれかの四半期・機関で報告があれば1件と数えます。";
const ATTRIBUTES_NOTE =
  "事業分野・市町村・事業者名が報告によって異なる案件は、最も新しい四半期の報告（同じ四半期では計画で先に挙げた機関の報告）に従って集計しています。";
// The targets rise as cohorts accumulate (10, 20, 30 … in the reference plan), so a plain yearly average would
// under-project a plan that meets every target; the pace against the targets so far does not.
const PROJECTION_FORMULA =
  "見込み = 累計実績 ÷ これまでの目標の累計 × 計画全体の目標（これまでの目標に対する達成の割合が最終年度まで続くと仮定。目標の累計が0のときは 累計実績 ÷ 経過年度数 × 計画の年度数）";

function bitOf(index: number): number {
  return 2 ** index;
}

function hasBit(mask: number, index: number): boolean {
  return Math.floor(mask / bitOf(index)) % 2 === 1;
}

/**
 * The year-end review computed in one pass. Feed the year's latest answers with `addSubmission` and earlier years'
 * cases with `addEarlierCase` or `addEarlierSubmission`, in any order, then call `finish`. Memory holds the year
 * under review's cases and, for earlier years, one small record per distinct case id.
 */
export class ReviewAccumulator {
  private readonly histories = new Map<string, CaseHistory>();
  private readonly yearCases = new Map<string, YearCase>();
  private readonly institutionYears = new Map<string, InstitutionYear>();
  private readonly answersSeen = new Set<string>();
  private readonly institutionRank: Map<string, number>;
  private readonly counts = { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 };

  /** Starts the review of `fiscalYear`, which must lie within the plan period. */
  constructor(
    readonly plan: Plan,
    readonly fiscalYear: FiscalYear,
  ) {
    const { firstFiscalYear, lastFiscalYear } = plan.period;
    if (fiscalYear < firstFiscalYear || fiscalYear > lastFiscalYear)
      throw new ReviewInputError(
        `Fiscal year ${fiscalYear} is outside plan ${plan.id} (${firstFiscalYear}-${lastFiscalYear})`,
      );
    if (lastFiscalYear - plan.targets.firstTargetYear + 1 > MAX_TARGET_YEARS)
      throw new ReviewInputError(`Plan ${plan.id} has more than ${MAX_TARGET_YEARS} target years`);
    this.institutionRank = new Map(plan.institutions.map((institution, index) => [institution.id, index]));
  }

  /** Adds the latest version of one institution's answer for one quarter of the year under review. */
  addSubmission(submission: ReviewSubmission): void {
    const { institutionId, quarter, report } = submission;
    if (submission.fiscalYear !== undefined && submission.fiscalYear !== this.fiscalYear)
      throw new ReviewInputError(`A ${submission.fiscalYear} answer was fed as one of ${this.fiscalYear}`);
    const answerKey = `${institutionId}#${quarter}`;
    // Two versions of one answer would count its activity twice; the caller feeds the latest only.
    if (this.answersSeen.has(answerKey))
      throw new ReviewInputError(`Q${quarter} of ${institutionId} was fed twice; feed the latest version only`);
    this.answersSeen.add(answerKey);

    const institution = this.institutionYear(institutionId);
    institution.quarters.add(quarter);
    institution.consultations += report.counts.consultations;
    institution.seminarsAndEvents += report.counts.seminarsAndEvents;
    institution.agreementsConcluded += report.counts.agreementsConcluded;
    this.counts.consultations += report.counts.consultations;
    this.counts.seminarsAndEvents += report.counts.seminarsAndEvents;
    this.counts.agreementsConcluded += report.counts.agreementsConcluded;

    for (const reported of report.cases) {
      this.recordHistory(reported.caseId, reported.firstFiscalYear, institutionId, this.fiscalYear, null);
      institution.cases.add(reported.caseId);
      this.recordYearCase(reported, institutionId, quarter);
    }
  }

  /** Adds one case as supported by an institution in an earlier fiscal year. */
  addEarlierCase(earlier: EarlierCase): void {
    if (earlier.fiscalYear >= this.fiscalYear)
      throw new ReviewInputError(`Fiscal year ${earlier.fiscalYear} is not earlier than ${this.fiscalYear}`);
    if (earlier.fiscalYear < this.plan.period.firstFiscalYear) return;
    this.recordHistory(
      earlier.caseId,
      earlier.firstFiscalYear,
      earlier.institutionId,
      earlier.fiscalYear,
      earlier.businessName ?? null,
    );
  }

  /** Adds the cases of an earlier year's submission, keeping nothing else of it. */
  addEarlierSubmission(submission: EarlierSubmission): void {
    for (const reported of submission.report.cases)
      this.addEarlierCase({
        caseId: reported.caseId,
        firstFiscalYear: reported.firstFiscalYear,
        institutionId: submission.institutionId,
        fiscalYear: submission.fiscalYear,
        businessName: reported.businessName,
      });
  }

  /** Computes the review from what has been fed; feeding may continue afterwards. */
  finish(input: { requests: readonly RoundRequest[]; now: Date }): Review {
    const supportedCases = this.supportedCases();
    const followUp = { followUpYears: this.plan.targets.followUpYears, cohorts: this.cohorts() };
    const planToDate = this.planToDate(supportedCases);
    const breakdowns = this.breakdowns();
    const indicators = evaluateIndicators(this.plan.indicators, this.indicatorTotals(), this.plan.targets.thresholds);
    const completeness = reportingCompleteness(this.plan, this.fiscalYear, input.requests);
    const sections = { supportedCases, followUp, planToDate, breakdowns, indicators, completeness };
    return {
      planId: this.plan.id,
      planName: this.plan.name,
      fiscalYear: this.fiscalYear,
      fiscalYearLabel: fiscalYearLabel(this.fiscalYear),
      generatedAt: input.now.toISOString(),
      ...sections,
      findings: reviewFindings(this.plan, this.fiscalYear, sections),
      secretariatFindings: [],
      decisions: [],
      notes: this.notes(supportedCases, breakdowns),
    };
  }

  private institutionYear(institutionId: string): InstitutionYear {
    let entry = this.institutionYears.get(institutionId);
    if (!entry) {
      entry = { cases: new Set(), consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0, quarters: new Set() };
      this.institutionYears.set(institutionId, entry);
    }
    return entry;
  }

  private recordHistory(
    caseId: string,
    reportedFirstYear: FiscalYear,
    institutionId: string,
    fiscalYear: FiscalYear,
    businessName: string | null,
  ): void {
    // A case cannot have started after a year it was supported in, whatever a report says.
    const firstFiscalYear = Math.min(reportedFirstYear, fiscalYear);
    // The plan's own string is kept rather than each input's copy, so many cases share one institution id.
    const institution = this.plan.institutions[this.institutionRank.get(institutionId) ?? -1]?.id ?? institutionId;
    const yearIndex = targetYearFor(this.plan, fiscalYear) - this.plan.targets.firstTargetYear;
    const history = this.histories.get(caseId);
    if (!history) {
      this.histories.set(caseId, {
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
    if (!hasBit(history.targetYears, yearIndex)) history.targetYears += bitOf(yearIndex);
    if (!history.institutions.includes(institution)) history.institutions.push(institution);
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

  private reportsBefore(quarter: Quarter, institutionId: string, current: YearCase): boolean {
    if (quarter !== current.fromQuarter) return quarter > current.fromQuarter;
    const rank = this.institutionRank.get(institutionId) ?? Number.MAX_SAFE_INTEGER;
    const currentRank = this.institutionRank.get(current.fromInstitution) ?? Number.MAX_SAFE_INTEGER;
    return rank !== currentRank ? rank < currentRank : institutionId < current.fromInstitution;
  }

  private recordYearCase(reported: ReportedCase, institutionId: string, quarter: Quarter): void {
    const index = quarter - 1;
    let entry = this.yearCases.get(reported.caseId);
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
      this.yearCases.set(reported.caseId, entry);
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

  private supportedCases(): SupportedCasesYear[] {
    const { firstTargetYear } = this.plan.targets;
    const span = Math.max(0, this.fiscalYear - firstTargetYear + 1);
    const newCases = new Array<number>(span).fill(0);
    const continuing = new Array<number>(span).fill(0);
    for (const history of this.histories.values()) {
      const cohortIndex = targetYearFor(this.plan, history.firstFiscalYear) - firstTargetYear;
      for (let index = 0; index < span; index++) {
        if (!hasBit(history.targetYears, index)) continue;
        // One first year per case, so a case is new in exactly one target year and continuing in the others.
        if (index === cohortIndex) newCases[index] = (newCases[index] ?? 0) + 1;
        else continuing[index] = (continuing[index] ?? 0) + 1;
      }
    }
    const thresholds = this.plan.targets.thresholds;
    return expandTargets(this.plan)
      .years.filter((year) => year.fiscalYear <= this.fiscalYear)
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

  private institutionName(institutionId: string): string {
    return this.plan.institutions.find((institution) => institution.id === institutionId)?.shortName ?? institutionId;
  }

  private cohorts(): FollowUpCohort[] {
    const { firstTargetYear, followUpYears } = this.plan.targets;
    const lastOwed = Math.min(this.fiscalYear, this.plan.period.lastFiscalYear);
    const cohorts: FollowUpCohort[] = [];
    for (let cohortYear = firstTargetYear; cohortYear <= this.fiscalYear; cohortYear++) {
      const years = [];
      for (let year = cohortYear; year < cohortYear + followUpYears && year <= lastOwed; year++)
        years.push({ fiscalYear: year, supported: 0 });
      cohorts.push({ fiscalYear: cohortYear, cases: 0, years, missed: [] });
    }
    const sortedIds = [...this.histories.keys()].sort();
    for (const caseId of sortedIds) {
      const history = this.histories.get(caseId);
      if (!history) continue;
      const cohortYear = targetYearFor(this.plan, history.firstFiscalYear);
      const cohort = cohorts[cohortYear - firstTargetYear];
      if (!cohort) continue;
      cohort.cases++;
      const missedYears: FiscalYear[] = [];
      for (const year of cohort.years) {
        if (hasBit(history.targetYears, year.fiscalYear - firstTargetYear)) year.supported++;
        else missedYears.push(year.fiscalYear);
      }
      if (missedYears.length === 0) continue;
      const missed: MissedFollowUp = {
        caseId,
        businessName: this.yearCases.get(caseId)?.businessName ?? history.businessName,
        institutions: history.institutions
          .slice()
          .sort((a, b) => this.compareInstitutions(a, b))
          .map((id) => ({ id, name: this.institutionName(id) })),
        missedYears,
      };
      cohort.missed.push(missed);
    }
    return cohorts;
  }

  private compareInstitutions(a: string, b: string): number {
    const rankA = this.institutionRank.get(a) ?? Number.MAX_SAFE_INTEGER;
    const rankB = this.institutionRank.get(b) ?? Number.MAX_SAFE_INTEGER;
    return rankA !== rankB ? rankA - rankB : a < b ? -1 : a > b ? 1 : 0;
  }

  private planToDate(supportedCases: SupportedCasesYear[]): PlanToDate {
    const table = expandTargets(this.plan);
    const thresholds = this.plan.targets.thresholds;
    const actual = supportedCases.reduce((sum, year) => sum + year.total.actual, 0);
    const targetsToDate = supportedCases.reduce((sum, year) => sum + (year.total.target ?? 0), 0);
    const yearsElapsed = supportedCases.length;
    const planYears = table.years.length;
    const averagePerYear = yearsElapsed === 0 ? null : actual / yearsElapsed;
    const projectedTotal =
      targetsToDate > 0
        ? (actual / targetsToDate) * table.total
        : averagePerYear === null
          ? null
          : averagePerYear * planYears;
    const projectionFigure: Figure =
      projectedTotal === null
        ? { actual: 0, target: table.total, rate: null, status: "no-target" }
        : compareWithTarget(projectedTotal, table.total, thresholds);
    return {
      firstTargetYear: this.plan.targets.firstTargetYear,
      lastFiscalYear: this.plan.period.lastFiscalYear,
      yearsElapsed,
      planYears,
      actual,
      againstTargetsToDate: compareWithTarget(actual, targetsToDate, thresholds),
      againstPlanTotal: compareWithTarget(actual, table.total, thresholds),
      projection: {
        formula: PROJECTION_FORMULA,
        averagePerYear,
        projectedTotal,
        againstPlanTotal: projectionFigure,
      },
    };
  }

  private breakdowns(): Breakdowns {
    const institutionIds = [
      ...this.plan.institutions.map((institution) => institution.id),
      ...[...this.institutionYears.keys()].filter((id) => !this.institutionRank.has(id)).sort(),
    ];
    const byInstitution: InstitutionRow[] = institutionIds.map((id) => {
      const entry = this.institutionYears.get(id);
      return {
        key: id,
        label: this.institutionName(id),
        cases: entry?.cases.size ?? 0,
        consultations: entry?.consultations ?? 0,
        seminarsAndEvents: entry?.seminarsAndEvents ?? 0,
        agreementsConcluded: entry?.agreementsConcluded ?? 0,
        quartersReported: entry?.quarters.size ?? 0,
      };
    });

    const fieldRows = new Map<string, BreakdownRow>(
      this.plan.fields.map((field) => [field.id, { key: field.id, label: field.name, cases: 0 }]),
    );
    const regionOf = new Map(
      this.plan.municipalities.map((municipality) => [normalizeName(municipality.name), municipality.region]),
    );
    const regionRows = new Map<string, BreakdownRow>();
    for (const municipality of this.plan.municipalities)
      if (!regionRows.has(municipality.region))
        regionRows.set(municipality.region, { key: municipality.region, label: municipality.region, cases: 0 });
    const kindRows = new Map<string, BreakdownRow>(
      Object.entries(SUPPORT_KINDS).map(([key, label]) => [key, { key, label, cases: 0 }]),
    );
    const extraFields: BreakdownRow[] = [];
    let sharedCases = 0;

    for (const entry of this.yearCases.values()) {
      if (entry.institutions.length > 1) sharedCases++;
      let fieldRow = fieldRows.get(entry.field);
      if (!fieldRow) {
        // A field removed from the plan after it was reported still has its cases shown, under its id.
        fieldRow = { key: entry.field, label: entry.field, cases: 0 };
        fieldRows.set(entry.field, fieldRow);
        extraFields.push(fieldRow);
      }
      fieldRow.cases++;
      const region = regionOf.get(normalizeName(entry.municipality)) ?? OTHER_REGION;
      let regionRow = regionRows.get(region);
      if (!regionRow) {
        regionRow = { key: region, label: region, cases: 0 };
        regionRows.set(region, regionRow);
      }
      regionRow.cases++;
      for (const kind of entry.kinds) {
        const kindRow = kindRows.get(kind);
        if (kindRow) kindRow.cases++;
      }
    }

    return {
      fiscalYear: this.fiscalYear,
      cases: this.yearCases.size,
      sharedCases,
      byInstitution,
      byField: [
        ...this.plan.fields.flatMap((field) => fieldRows.get(field.id) ?? []),
        ...extraFields.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      ],
      byRegion: [...regionRows.values()],
      bySupportKind: [...kindRows.values()],
    };
  }

  private indicatorTotals(): IndicatorTotals {
    let commercialised = 0;
    let jointResearch = 0;
    let salesYen = 0;
    let patentApplications = 0;
    for (const entry of this.yearCases.values()) {
      if (entry.commercialised) commercialised++;
      if (entry.jointResearch) jointResearch++;
      for (const amount of entry.salesYen) salesYen += amount;
      for (const count of entry.patentApplications) patentApplications += count;
    }
    return {
      "cases.supported": this.yearCases.size,
      "cases.commercialised": commercialised,
      "cases.jointResearch": jointResearch,
      "cases.salesYen": salesYen,
      "cases.patentApplications": patentApplications,
      "counts.consultations": this.counts.consultations,
      "counts.seminarsAndEvents": this.counts.seminarsAndEvents,
      "counts.agreementsConcluded": this.counts.agreementsConcluded,
    };
  }

  private notes(supportedCases: SupportedCasesYear[], breakdowns: Breakdowns): string[] {
    const notes = [SHARED_CASES_NOTE];
    if (breakdowns.sharedCases > 0)
      notes.push(`${this.fiscalYear}年度に複数の機関が報告した案件は${breakdowns.sharedCases}件です。`);
    notes.push(SUPPORT_KINDS_NOTE, SUMS_NOTE, ATTRIBUTES_NOTE);
    const folded = supportedCases.find((year) => year.includesFiscalYears.length > 0);
    if (folded)
      notes.push(
        `${formatFiscalYears(folded.includesFiscalYears)}に支援した案件は、${folded.fiscalYear}年度の目標に合算して評価しています。`,
      );
    if (this.fiscalYear < this.plan.targets.firstTargetYear)
      notes.push(
        `${this.fiscalYear}年度の実績は${this.plan.targets.firstTargetYear}年度の目標に合算して評価するため、この年度には目標との比較がありません。`,
      );
    let conflicts = 0;
    for (const history of this.histories.values()) if (history.firstYearConflict) conflicts++;
    if (conflicts > 0)
      notes.push(`支援開始年度が報告によって異なる案件が${conflicts}件あり、最も早い年度を支援開始年度としています。`);
    notes.push(`計画全体の見込みの算出方法：${PROJECTION_FORMULA}。`);
    return notes;
  }
}

/** The region of a case whose municipality is not in the plan's list. */
export const OTHER_REGION = "その他";

function normalizeName(name: string): string {
  return name.normalize("NFKC").trim();
}

/** Everything a review needs, as arrays: the convenience form of `ReviewAccumulator` for tests and small plans. */
export interface ReviewInput {
  plan: Plan;
  fiscalYear: FiscalYear;
  submissions: readonly ReviewSubmission[];
  earlierSubmissions?: readonly EarlierSubmission[];
  earlierCases?: readonly EarlierCase[];
  requests: readonly RoundRequest[];
  now: Date;
}

/** Computes a review from arrays by feeding them through a `ReviewAccumulator`. */
export function computeReview(input: ReviewInput): Review {
  const accumulator = new ReviewAccumulator(input.plan, input.fiscalYear);
  for (const earlier of input.earlierSubmissions ?? []) accumulator.addEarlierSubmission(earlier);
  for (const earlier of input.earlierCases ?? []) accumulator.addEarlierCase(earlier);
  for (const submission of input.submissions) accumulator.addSubmission(submission);
  return accumulator.finish({ requests: input.requests, now: input.now });
}
