import { quarterLabel } from "../calendar.ts";
import { percentOf } from "../format.ts";
import type { Plan } from "../plan.ts";
import type { BreakdownRow, Review } from "../review/types.ts";
import { answerWord } from "./labels.ts";
import { CASES, column, type ReportTable } from "./table-types.ts";

// The tables of what was done and reported in the year: the breakdowns of its cases and the reporting completeness.

/** Each institution's cases and activity counts over the year. */
export function byInstitutionTable(review: Review): ReportTable {
  return {
    name: "by-institution",
    title: "支援機関別の支援案件数と活動件数",
    columns: [
      column("id", "機関ID", "text"),
      column("institution", "支援機関", "text"),
      column("cases", "支援案件数", "integer", CASES),
      column("consultations", "相談対応件数", "integer", CASES),
      column("seminarsAndEvents", "セミナー・イベント開催件数", "integer", CASES),
      column("agreementsConcluded", "協定締結件数", "integer", CASES),
      column("quartersReported", "報告回数", "integer", "回"),
    ],
    rows: review.breakdowns.byInstitution.map((row) => ({
      id: row.key,
      institution: row.label,
      cases: row.cases,
      consultations: row.consultations,
      seminarsAndEvents: row.seminarsAndEvents,
      agreementsConcluded: row.agreementsConcluded,
      quartersReported: row.quartersReported,
    })),
  };
}

/** The year's cases by field, region or kind of support, with each row's share. */
export function breakdownTable(
  review: Review,
  name: "by-field" | "by-region" | "by-support-kind",
  title: string,
  label: string,
  rows: readonly BreakdownRow[],
  shareLabel: string,
): ReportTable {
  const total = review.breakdowns.cases;
  // Regions are named by their label alone; fields and kinds also have a stable id worth keeping in the data.
  const withId = name !== "by-region";
  return {
    name,
    title,
    columns: [
      ...(withId ? [column("id", `${label}ID`, "text")] : []),
      column("label", label, "text"),
      column("cases", "支援案件数", "integer", CASES),
      column("share", shareLabel, "percent", "%"),
    ],
    rows: rows.map((row) => ({
      ...(withId ? { id: row.key } : {}),
      label: row.label,
      cases: row.cases,
      share: percentOf(total === 0 ? null : row.cases / total),
    })),
  };
}

/** Each institution's four quarterly answers (期限内, 期限後, 未報告) and its rates. */
export function completenessTable(review: Review): ReportTable {
  return {
    name: "completeness",
    title: "支援機関別・四半期別の実施状況の報告",
    columns: [
      column("id", "機関ID", "text"),
      column("institution", "支援機関", "text"),
      column("q1", "第1四半期", "status"),
      column("q2", "第2四半期", "status"),
      column("q3", "第3四半期", "status"),
      column("q4", "第4四半期", "status"),
      column("answered", "提出数", "integer", CASES),
      column("onTime", "期限内の提出数", "integer", CASES),
      column("answeredRate", "提出率", "percent", "%"),
      column("onTimeRate", "期限内提出率", "percent", "%"),
    ],
    rows: review.completeness.byInstitution.map((institution) => {
      const quarters = Object.fromEntries(
        institution.quarters.map((quarter) => [`q${quarter.quarter}`, answerWord(quarter)]),
      );
      const expected = institution.quarters.length;
      return {
        id: institution.institutionId,
        institution: institution.name,
        ...quarters,
        answered: institution.answered,
        onTime: institution.onTime,
        answeredRate: percentOf(expected === 0 ? null : institution.answered / expected),
        onTimeRate: percentOf(expected === 0 ? null : institution.onTime / expected),
      };
    }),
  };
}

/** Each quarter's answers, and which institutions never answered it. */
export function completenessByQuarterTable(review: Review, plan: Plan): ReportTable {
  const names = new Map(plan.institutions.map((institution) => [institution.id, institution.shortName]));
  return {
    name: "completeness-by-quarter",
    title: "四半期別の実施状況の報告",
    columns: [
      column("quarter", "四半期", "text"),
      column("expected", "照会数", "integer", CASES),
      column("answered", "提出数", "integer", CASES),
      column("onTime", "期限内の提出数", "integer", CASES),
      column("nothingToReport", "うち報告事項なし", "integer", CASES),
      column("missing", "未報告数", "integer", CASES),
      column("missingInstitutions", "未報告の機関", "text"),
    ],
    rows: review.completeness.byQuarter.map((quarter) => ({
      quarter: quarterLabel(quarter.quarter),
      expected: quarter.expected,
      answered: quarter.answered,
      onTime: quarter.onTime,
      nothingToReport: quarter.nothingToReport,
      missing: quarter.expected - quarter.answered,
      missingInstitutions: quarter.missing.map((id) => names.get(id) ?? id).join("・"),
    })),
  };
}
