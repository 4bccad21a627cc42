import type { Review } from "./types.ts";

/**
 * The part of a review kept in the table beside its files: every figure whose size is bounded by the plan
 * (years, institutions, fields, indicators), not the lists that grow with the cases (missed follow-ups).
 */
export type ReviewFigures = Pick<Review, "supportedCases" | "planToDate" | "indicators" | "findings"> & {
  completeness: Pick<
    Review["completeness"],
    "expected" | "answered" | "onTime" | "late" | "missing" | "nothingToReport" | "answeredRate" | "onTimeRate"
  >;
  breakdowns: Omit<Review["breakdowns"], never>;
  followUp: Array<{
    fiscalYear: number;
    cases: number;
    years: Array<{ fiscalYear: number; supported: number }>;
    missedCases: number;
  }>;
};

/** Takes the bounded figures out of a review for the table. */
export function reviewFigures(review: Review): ReviewFigures {
  const { expected, answered, onTime, late, missing, nothingToReport, answeredRate, onTimeRate } = review.completeness;
  return {
    supportedCases: review.supportedCases,
    planToDate: review.planToDate,
    indicators: review.indicators,
    findings: review.findings,
    completeness: { expected, answered, onTime, late, missing, nothingToReport, answeredRate, onTimeRate },
    breakdowns: review.breakdowns,
    followUp: review.followUp.cohorts.map((cohort) => ({
      fiscalYear: cohort.fiscalYear,
      cases: cohort.cases,
      years: cohort.years,
      missedCases: cohort.missed.length,
    })),
  };
}
