import type { FiscalYear, Quarter } from "../calendar.ts";
import type { Figure } from "../targets.ts";
import type { IndicatorResult } from "./indicators.ts";

/** Supported cases of one target year against the target table; 2017's cases count with 2018 in the reference plan. */
export interface SupportedCasesYear {
  fiscalYear: FiscalYear;
  includesFiscalYears: FiscalYear[];
  newCases: Figure;
  continuingCases: Figure;
  total: Figure;
}

/** A case that was owed follow-up support in a fiscal year and was not reported as supported in it. */
export interface MissedFollowUp {
  caseId: string;
  businessName: string | null;
  institutions: { id: string; name: string }[];
  missedYears: FiscalYear[];
}

/** フォローアップ of one cohort (the cases new in `fiscalYear`): how many were supported in each year they were owed. */
export interface FollowUpCohort {
  fiscalYear: FiscalYear;
  cases: number;
  years: { fiscalYear: FiscalYear; supported: number }[];
  missed: MissedFollowUp[];
}

/**
 * A figure set beside a target it is not judged against, for information only: a total of two years beside a plan
 * of five, or a forecast. It has a rate and no status.
 */
export type ReferenceFigure = Omit<Figure, "status">;

/**
 * Where the pace so far leads against the plan total: a forecast earns no verdict, only a direction. Decided on the
 * rate as shown (one decimal), so that a projection shown as 100.0% is never called behind.
 */
export type Pace = "ahead" | "on-target" | "behind";

/** Cumulative case-years from the first target year to the year under review, and where the current pace leads. */
export interface PlanToDate {
  firstTargetYear: FiscalYear;
  lastFiscalYear: FiscalYear;
  yearsElapsed: number;
  planYears: number;
  actual: number;
  /** The verdict: the years so far against their own targets. */
  againstTargetsToDate: Figure;
  /** The plan's whole target, for reference while the plan is under way. */
  againstPlanTotal: ReferenceFigure;
  projection: {
    formula: string;
    averagePerYear: number | null;
    projectedTotal: number | null;
    againstPlanTotal: ReferenceFigure;
    /** null when nothing can be projected yet (no target year has passed). */
    pace: Pace | null;
  };
}

/** One row of a breakdown of the year's distinct cases. */
export interface BreakdownRow {
  key: string;
  label: string;
  cases: number;
}

/** A row of the breakdown by institution, with the activity counts it reported over the year. */
export interface InstitutionRow extends BreakdownRow {
  consultations: number;
  seminarsAndEvents: number;
  agreementsConcluded: number;
  quartersReported: number;
}

/** The year's cases broken down four ways. Fields and regions sum to `cases`; institutions and kinds may exceed it. */
export interface Breakdowns {
  fiscalYear: FiscalYear;
  cases: number;
  sharedCases: number;
  byInstitution: InstitutionRow[];
  byField: BreakdownRow[];
  byRegion: BreakdownRow[];
  bySupportKind: BreakdownRow[];
}

/** How one institution's answer to one quarter's request stands at review time. */
export type AnswerStatus = "on-time" | "late" | "missing";

/** One institution's four quarters. */
export interface InstitutionCompleteness {
  institutionId: string;
  name: string;
  /** `nothingToReport` when the answer was 報告事項なし: answered, on time or late, with nothing to report. */
  quarters: { quarter: Quarter; status: AnswerStatus; nothingToReport: boolean; answeredAt: string | null }[];
  answered: number;
  onTime: number;
  nothingToReport: number;
}

/** Reporting completeness of the year: every institution is expected to answer every quarter. */
export interface ReportingCompleteness {
  expected: number;
  answered: number;
  onTime: number;
  late: number;
  missing: number;
  /** Answers that said 報告事項なし; counted in `answered` too. */
  nothingToReport: number;
  answeredRate: number | null;
  onTimeRate: number | null;
  byInstitution: InstitutionCompleteness[];
  byQuarter: {
    quarter: Quarter;
    expected: number;
    answered: number;
    onTime: number;
    nothingToReport: number;
    missing: string[];
  }[];
}

/** What a finding is about; the renderer may group or style by it. */
export type FindingKind =
  | "cases-target"
  | "plan-to-date"
  | "projection"
  | "follow-up-gap"
  | "report-missing"
  | "report-late"
  | "institution-without-cases"
  | "field-without-cases"
  | "region-without-cases"
  | "indicator-target";

/** A plain Japanese sentence drawn from the figures; heavier findings come first (the order is set in findings.ts). */
export interface Finding {
  weight: number;
  kind: FindingKind;
  text: string;
}

/** 点検評価: the year-end review of one plan and fiscal year, plain JSON so it can be stored and rendered as is. */
export interface Review {
  planId: string;
  planName: string;
  fiscalYear: FiscalYear;
  fiscalYearLabel: string;
  generatedAt: string;
  supportedCases: SupportedCasesYear[];
  followUp: { followUpYears: number; cohorts: FollowUpCohort[] };
  planToDate: PlanToDate;
  breakdowns: Breakdowns;
  indicators: IndicatorResult[];
  completeness: ReportingCompleteness;
  findings: Finding[];
  /** The secretariat's own findings, added by hand after the computation. */
  secretariatFindings: string[];
  /** The review meeting's decisions (見直し), added by hand after the meeting. */
  decisions: string[];
  notes: string[];
}
