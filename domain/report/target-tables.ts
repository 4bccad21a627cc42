import { formatFiscalYears, percentOf, targetYearLabel } from "../format.ts";
import type { ReferenceFigure, Review, SupportedCasesYear } from "../review/types.ts";
import type { Figure } from "../targets.ts";
import { PACE_WORDS, REFERENCE_WORD, STATUS_WORDS } from "./labels.ts";
import { CASES, column, type ReportRow, type ReportTable } from "./table-types.ts";

// The tables that set figures against the plan's targets: the summary, supported cases, follow-up, the plan to date
// and the outcome indicators.

const figureColumns = [
  column("target", "目標", "integer", CASES),
  column("actual", "実績", "integer", CASES),
  column("rate", "達成率", "percent", "%"),
  column("status", "評価", "status"),
];

function figureCells(figure: ReferenceFigure, status: string): ReportRow {
  return { target: figure.target, actual: figure.actual, rate: percentOf(figure.rate), status };
}

function verdictCells(figure: Figure): ReportRow {
  return figureCells(figure, STATUS_WORDS[figure.status]);
}

/** A projection's row: the projected total rounded to whole cases, its rate from the unrounded one, and its pace. */
function projectionCells(projection: Review["planToDate"]["projection"]): ReportRow | null {
  if (projection.projectedTotal === null || projection.pace === null) return null;
  const { againstPlanTotal, projectedTotal, pace } = projection;
  return figureCells({ ...againstPlanTotal, actual: Math.round(projectedTotal) }, PACE_WORDS[pace]);
}

function yearOfReview(review: Review): SupportedCasesYear | undefined {
  return review.supportedCases.find((year) => year.fiscalYear === review.fiscalYear);
}

/** 主要な数値: the year against its targets, the plan to date, the projection and the reporting rates. */
export function summaryTable(review: Review): ReportTable {
  const rows: ReportRow[] = [];
  // `value` rather than `actual`: the unit differs per row here, so it is a column of its own.
  const figureRow = (item: string, cells: ReportRow) =>
    rows.push({
      item,
      value: cells.actual ?? null,
      unit: CASES,
      target: cells.target ?? null,
      rate: cells.rate ?? null,
      status: cells.status ?? null,
    });
  const year = yearOfReview(review);
  if (year) {
    const label = targetYearLabel(year.fiscalYear, year.includesFiscalYears);
    figureRow(`${label}の支援件数（新規・継続の計）`, verdictCells(year.total));
    figureRow("うち新規支援件数", verdictCells(year.newCases));
    figureRow("うち継続支援件数", verdictCells(year.continuingCases));
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
    figureRow(
      `${toDate.firstTargetYear}〜${review.fiscalYear}年度の支援件数の累計`,
      verdictCells(toDate.againstTargetsToDate),
    );
    const projection = projectionCells(toDate.projection);
    if (projection) figureRow(`${toDate.lastFiscalYear}年度までの累計の見込み`, projection);
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

/** 支援件数の目標と実績: each target year's new, continuing and total cases against the target table. */
export function supportedCasesTable(review: Review): ReportTable {
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
        ...verdictCells(year[key]),
      })),
    ),
  };
}

/** フォローアップの状況: each cohort's cases supported in each year of its follow-up period. */
export function followUpTable(review: Review): ReportTable {
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

/**
 * The cases that missed a year of their follow-up period, with who reported them; without the business name column
 * when the audience may not see names (report/audience.ts).
 */
export function followUpMissedTable(review: Review, businessNames = true): ReportTable {
  return {
    name: "follow-up-missed",
    title: "フォローアップ期間中に支援の報告がない年度がある案件",
    columns: [
      column("cohort", "支援開始年度", "fiscal-year"),
      column("caseId", "案件番号", "text"),
      ...(businessNames ? [column("businessName", "事業者名", "text")] : []),
      column("institutions", "報告した機関", "text"),
      column("missedYears", "支援の報告がない年度", "text"),
    ],
    rows: review.followUp.cohorts.flatMap((cohort) =>
      cohort.missed.map((missed) => ({
        cohort: cohort.fiscalYear,
        caseId: missed.caseId,
        ...(businessNames ? { businessName: missed.businessName } : {}),
        institutions: missed.institutions.map((institution) => institution.name).join("・"),
        missedYears: formatFiscalYears(missed.missedYears),
      })),
    ),
  };
}

/** 計画期間の累計と見通し: the cumulative cases against the targets so far, and the projection. */
export function planToDateTable(review: Review): ReportTable {
  const toDate = review.planToDate;
  const rows: ReportRow[] = [];
  if (toDate.yearsElapsed > 0) {
    const span = `${toDate.firstTargetYear}〜${review.fiscalYear}年度`;
    rows.push({ item: `${span}の累計（同期間の目標に対して）`, ...verdictCells(toDate.againstTargetsToDate) });
    // Only the targets of the years so far earn a verdict; while the plan is under way its whole target is shown
    // beside them for reference, and in its last year the two are the same row.
    if (toDate.againstPlanTotal.target !== toDate.againstTargetsToDate.target)
      rows.push({
        item: `${span}の累計（計画全体の目標に対して）`,
        ...figureCells(toDate.againstPlanTotal, REFERENCE_WORD),
      });
    const projection = projectionCells(toDate.projection);
    if (projection)
      rows.push({ item: `${toDate.lastFiscalYear}年度までの累計の見込み（計画全体の目標に対して）`, ...projection });
  }
  return {
    name: "plan-to-date",
    title: "計画期間の累計と見通し",
    columns: [column("item", "区分", "text"), ...figureColumns],
    rows,
  };
}

/** 成果指標: each indicator of the plan, a ratio shown as a percentage with what it divides. */
export function indicatorsTable(review: Review): ReportTable {
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
