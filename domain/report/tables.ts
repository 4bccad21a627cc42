import { quarterLabel } from "../calendar.ts";
import { formatFiscalYears, percentOf, targetYearLabel } from "../format.ts";
import type { Plan } from "../plan.ts";
import type { BreakdownRow, Review, SupportedCasesYear } from "../review/types.ts";
import type { Figure } from "../targets.ts";
import { ANSWER_WORDS, STATUS_WORDS } from "./labels.ts";

/** A cell of a report table: text, a number in the column's unit, or null when there is no figure. */
export type CellValue = string | number | null;

/**
 * How a column's values read: `fiscal-year` is a number such as 2020, `percent` a percentage with one decimal
 * (37.3), `status` one of the words of `STATUS_WORDS` or `ANSWER_WORDS`.
 */
export type ColumnType = "text" | "fiscal-year" | "integer" | "number" | "percent" | "status";

/** A column of a report table; `unit` is the unit of every value in it (件, %, 円). */
export interface ReportColumn {
  key: string;
  label: string;
  type: ColumnType;
  unit?: string;
}

/** One row, keyed by column key. */
export type ReportRow = Record<string, CellValue>;

/** The names of the report's tables, in the order they appear; each is also its CSV file's name. */
export const TABLE_NAMES = [
  "summary",
  "supported-cases",
  "follow-up",
  "follow-up-missed",
  "plan-to-date",
  "by-institution",
  "by-field",
  "by-region",
  "by-support-kind",
  "indicators",
  "completeness",
  "completeness-by-quarter",
] as const;
/** The name of one of the report's tables. */
export type TableName = (typeof TABLE_NAMES)[number];

/** A table of the report, as data: the HTML, the CSV files and the JSON document are all drawn from it. */
export interface ReportTable {
  name: TableName;
  title: string;
  columns: ReportColumn[];
  rows: ReportRow[];
}

const CASES = "件";

function column(key: string, label: string, type: ColumnType, unit?: string): ReportColumn {
  return unit === undefined ? { key, label, type } : { key, label, type, unit };
}

const figureColumns = [
  column("target", "目標", "integer", CASES),
  column("actual", "実績", "integer", CASES),
  column("rate", "達成率", "percent", "%"),
  column("status", "評価", "status"),
];

function figureCells(figure: Figure): ReportRow {
  return {
    target: figure.target,
    actual: figure.actual,
    rate: percentOf(figure.rate),
    status: STATUS_WORDS[figure.status],
  };
}

function yearOfReview(review: Review): SupportedCasesYear | undefined {
  return review.supportedCases.find((year) => year.fiscalYear === review.fiscalYear);
}

function summaryTable(review: Review): ReportTable {
  const rows: ReportRow[] = [];
  // `value` rather than `actual`: the unit differs per row here, so it is a column of its own.
  const figureRow = (item: string, figure: Figure, value: number = figure.actual) =>
    rows.push({
      item,
      value,
      unit: CASES,
      target: figure.target,
      rate: percentOf(figure.rate),
      status: STATUS_WORDS[figure.status],
    });
  const year = yearOfReview(review);
  if (year) {
    const label = targetYearLabel(year.fiscalYear, year.includesFiscalYears);
    figureRow(`${label}の支援件数（新規・継続の計）`, year.total);
    figureRow("うち新規支援件数", year.newCases);
    figureRow("うち継続支援件数", year.continuingCases);
  }
  rows.push({
    item: `${review.fiscalYear}年度に支援した案件の実数`,
    value: review.breakdowns.cases,
    unit: CASES,
    target: null,
    rate: null,
    status: STATUS_WORDS["no-target"],
  });
  const toDate = review.planToDate;
  if (toDate.yearsElapsed > 0) {
    figureRow(`${toDate.firstTargetYear}〜${review.fiscalYear}年度の支援件数の累計`, toDate.againstTargetsToDate);
    const projection = toDate.projection;
    if (projection.projectedTotal !== null)
      figureRow(
        `${toDate.lastFiscalYear}年度までの累計の見込み`,
        projection.againstPlanTotal,
        Math.round(projection.projectedTotal),
      );
  }
  const completeness = review.completeness;
  for (const [item, rate] of [
    ["実施状況の報告の提出率", completeness.answeredRate],
    ["うち期限内の提出率", completeness.onTimeRate],
  ] as const)
    rows.push({ item, value: percentOf(rate), unit: "%", target: null, rate: null, status: STATUS_WORDS["no-target"] });
  return {
    name: "summary",
    title: "主要な数値",
    columns: [
      column("item", "項目", "text"),
      column("value", "実績", "number"),
      column("unit", "単位", "text"),
      column("target", "目標", "number"),
      column("rate", "達成率", "percent", "%"),
      column("status", "評価", "status"),
    ],
    rows,
  };
}

function supportedCasesTable(review: Review): ReportTable {
  const categories = [
    ["新規", "newCases"],
    ["継続", "continuingCases"],
    ["計", "total"],
  ] as const;
  return {
    name: "supported-cases",
    title: "支援件数の目標と実績",
    columns: [
      column("fiscalYear", "年度", "fiscal-year"),
      column("includesFiscalYears", "合算した年度", "text"),
      column("category", "区分", "text"),
      ...figureColumns,
    ],
    rows: review.supportedCases.flatMap((year) =>
      categories.map(([category, key]) => ({
        fiscalYear: year.fiscalYear,
        includesFiscalYears: formatFiscalYears(year.includesFiscalYears),
        category,
        ...figureCells(year[key]),
      })),
    ),
  };
}

function followUpTable(review: Review): ReportTable {
  return {
    name: "follow-up",
    title: "支援開始年度別のフォローアップの状況",
    columns: [
      column("cohort", "支援開始年度", "fiscal-year"),
      column("cohortCases", "案件数", "integer", CASES),
      column("fiscalYear", "支援年度", "fiscal-year"),
      column("yearOfFollowUp", "経過", "text"),
      column("supported", "支援した案件数", "integer", CASES),
      column("rate", "支援した割合", "percent", "%"),
    ],
    rows: review.followUp.cohorts.flatMap((cohort) =>
      cohort.years.map((year) => ({
        cohort: cohort.fiscalYear,
        cohortCases: cohort.cases,
        fiscalYear: year.fiscalYear,
        yearOfFollowUp: `${year.fiscalYear - cohort.fiscalYear + 1}年目`,
        supported: year.supported,
        rate: percentOf(cohort.cases === 0 ? null : year.supported / cohort.cases),
      })),
    ),
  };
}

function followUpMissedTable(review: Review): ReportTable {
  return {
    name: "follow-up-missed",
    title: "フォローアップ期間中に支援の報告がない年度がある案件",
    columns: [
      column("cohort", "支援開始年度", "fiscal-year"),
      column("caseId", "案件番号", "text"),
      column("businessName", "事業者名", "text"),
      column("institutions", "報告した機関", "text"),
      column("missedYears", "支援の報告がない年度", "text"),
    ],
    rows: review.followUp.cohorts.flatMap((cohort) =>
      cohort.missed.map((missed) => ({
        cohort: cohort.fiscalYear,
        caseId: missed.caseId,
        businessName: missed.businessName,
        institutions: missed.institutions.map((institution) => institution.name).join("・"),
        missedYears: formatFiscalYears(missed.missedYears),
      })),
    ),
  };
}

function planToDateTable(review: Review): ReportTable {
  const toDate = review.planToDate;
  const rows: ReportRow[] = [];
  if (toDate.yearsElapsed > 0) {
    const span = `${toDate.firstTargetYear}〜${review.fiscalYear}年度`;
    rows.push(
      { item: `${span}の累計（同期間の目標に対して）`, ...figureCells(toDate.againstTargetsToDate) },
      { item: `${span}の累計（計画全体の目標に対して）`, ...figureCells(toDate.againstPlanTotal) },
    );
    const projection = toDate.projection;
    if (projection.projectedTotal !== null)
      rows.push({
        item: `${toDate.lastFiscalYear}年度までの累計の見込み（計画全体の目標に対して）`,
        ...figureCells(projection.againstPlanTotal),
        actual: Math.round(projection.projectedTotal),
      });
  }
  return {
    name: "plan-to-date",
    title: "計画期間の累計と見通し",
    columns: [column("item", "区分", "text"), ...figureColumns],
    rows,
  };
}

function byInstitutionTable(review: Review): ReportTable {
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

function breakdownTable(
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

function indicatorsTable(review: Review): ReportTable {
  return {
    name: "indicators",
    title: "成果指標",
    columns: [
      column("id", "指標ID", "text"),
      column("name", "指標", "text"),
      column("value", "実績", "number"),
      column("unit", "単位", "text"),
      column("numerator", "分子", "number"),
      column("denominator", "分母", "number"),
      column("target", "目標", "number"),
      column("rate", "達成率", "percent", "%"),
      column("status", "評価", "status"),
    ],
    rows: review.indicators.map((indicator) => {
      const ratio = indicator.kind === "ratio";
      return {
        id: indicator.id,
        name: indicator.name,
        value: ratio ? percentOf(indicator.value) : indicator.value,
        unit: indicator.unit,
        numerator: indicator.numerator,
        denominator: indicator.denominator,
        target: ratio ? percentOf(indicator.target) : indicator.target,
        rate: percentOf(indicator.rate),
        status: STATUS_WORDS[indicator.status],
      };
    }),
  };
}

function completenessTable(review: Review): ReportTable {
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
        institution.quarters.map((quarter) => [`q${quarter.quarter}`, ANSWER_WORDS[quarter.status]]),
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

function completenessByQuarterTable(review: Review, plan: Plan): ReportTable {
  const names = new Map(plan.institutions.map((institution) => [institution.id, institution.shortName]));
  return {
    name: "completeness-by-quarter",
    title: "四半期別の実施状況の報告",
    columns: [
      column("quarter", "四半期", "text"),
      column("expected", "照会数", "integer", CASES),
      column("answered", "提出数", "integer", CASES),
      column("onTime", "期限内の提出数", "integer", CASES),
      column("missing", "未報告数", "integer", CASES),
      column("missingInstitutions", "未報告の機関", "text"),
    ],
    rows: review.completeness.byQuarter.map((quarter) => ({
      quarter: quarterLabel(quarter.quarter),
      expected: quarter.expected,
      answered: quarter.answered,
      onTime: quarter.onTime,
      missing: quarter.expected - quarter.answered,
      missingInstitutions: quarter.missing.map((id) => names.get(id) ?? id).join("・"),
    })),
  };
}

/** Every table of the report, in the order of `TABLE_NAMES`, as plain data. */
export function reportTables(review: Review, plan: Plan): ReportTable[] {
  const { breakdowns } = review;
  return [
    summaryTable(review),
    supportedCasesTable(review),
    followUpTable(review),
    followUpMissedTable(review),
    planToDateTable(review),
    byInstitutionTable(review),
    breakdownTable(review, "by-field", "事業分野別の支援案件数", "事業分野", breakdowns.byField, "構成比"),
    breakdownTable(review, "by-region", "地域別の支援案件数", "地域", breakdowns.byRegion, "構成比"),
    breakdownTable(
      review,
      "by-support-kind",
      "支援の種類別の支援案件数",
      "支援の種類",
      breakdowns.bySupportKind,
      "支援案件に占める割合",
    ),
    indicatorsTable(review),
    completenessTable(review),
    completenessByQuarterTable(review, plan),
  ];
}
