import { type FiscalYear, fiscalYearLabel, type Quarter } from "../calendar.ts";
import type { QuarterlyReport, ReportedCase } from "../form.ts";
import type { Plan } from "../plan.ts";
import type { RoundRequest } from "../round.ts";
import { breakdowns } from "./breakdowns.ts";
import { CaseHistories, MAX_TARGET_YEARS } from "./case-history.ts";
import { reportingCompleteness } from "./completeness.ts";
import { ReviewInputError } from "./errors.ts";
import { reviewFindings } from "./findings.ts";
import { followUpCohorts } from "./follow-up.ts";
import { evaluateIndicators } from "./indicators.ts";
import { InstitutionOrder } from "./institution-order.ts";
import { reviewNotes } from "./notes.ts";
import { planToDate, supportedCases } from "./supported-cases.ts";
import type { Review } from "./types.ts";
import { YearActivity } from "./year-activity.ts";

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

/**
 * The year-end review computed in one pass. Feed the year's latest answers with `addSubmission` and earlier years'
 * cases with `addEarlierCase` or `addEarlierSubmission`, in any order, then call `finish`. Memory holds the year
 * under review's cases and, for earlier years, one small record per distinct case id.
 */
export class ReviewAccumulator {
  private readonly order: InstitutionOrder;
  private readonly histories: CaseHistories;
  private readonly activity: YearActivity;
  private readonly answersSeen = new Set<string>();

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
    this.order = new InstitutionOrder(plan);
    this.histories = new CaseHistories(plan, this.order);
    this.activity = new YearActivity(this.order);
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
    for (const reported of report.cases)
      this.histories.record(reported.caseId, reported.firstFiscalYear, institutionId, this.fiscalYear, null);
    this.activity.add(institutionId, quarter, report);
  }

  /** Adds one case as supported by an institution in an earlier fiscal year. */
  addEarlierCase(earlier: EarlierCase): void {
    if (earlier.fiscalYear >= this.fiscalYear)
      throw new ReviewInputError(`Fiscal year ${earlier.fiscalYear} is not earlier than ${this.fiscalYear}`);
    if (earlier.fiscalYear < this.plan.period.firstFiscalYear) return;
    this.histories.record(
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
    const { plan, fiscalYear, histories, activity, order } = this;
    const years = supportedCases(plan, fiscalYear, histories);
    const currentName = (caseId: string) => activity.cases.get(caseId)?.businessName;
    const sections = {
      supportedCases: years,
      followUp: {
        followUpYears: plan.targets.followUpYears,
        cohorts: followUpCohorts(plan, fiscalYear, histories, order, currentName),
      },
      planToDate: planToDate(plan, years),
      breakdowns: breakdowns(plan, fiscalYear, activity, order),
      indicators: evaluateIndicators(plan.indicators, activity.indicatorTotals(), plan.targets.thresholds),
      completeness: reportingCompleteness(plan, fiscalYear, input.requests),
    };
    return {
      planId: plan.id,
      planName: plan.name,
      fiscalYear,
      fiscalYearLabel: fiscalYearLabel(fiscalYear),
      generatedAt: input.now.toISOString(),
      ...sections,
      findings: reviewFindings(plan, fiscalYear, sections),
      secretariatFindings: [],
      decisions: [],
      notes: reviewNotes({
        plan,
        fiscalYear,
        supportedCases: years,
        breakdowns: sections.breakdowns,
        firstYearConflicts: histories.firstYearConflicts(),
      }),
    };
  }
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
