import { formatNumber, targetYearLabel } from "../format.ts";
import { escapeHtml } from "../html/escape.ts";
import type { IndicatorResult } from "../review/indicators.ts";
import type { Review } from "../review/types.ts";
import { NONE, percentText, type TableView, withUnit } from "./table-html.ts";
import type { ReportRow, TableName } from "./table-types.ts";

/** How each of the report's tables is laid out in the HTML: row headers, groups, hidden columns, special cells. */
export function tableViews(review: Review): Record<TableName, TableView> {
  const indicators = new Map<string, IndicatorResult>(review.indicators.map((indicator) => [indicator.id, indicator]));
  const indicatorValue = (row: ReportRow) => {
    const indicator = indicators.get(String(row.id));
    if (!indicator) return NONE;
    const display = escapeHtml(indicator.display);
    // A ratio shows what it divides, so that a reader can check 37.3% as 22 of 59.
    if (indicator.kind !== "ratio" || indicator.numerator === null || indicator.denominator === null) return display;
    return `${display}（${formatNumber(indicator.numerator)}／${formatNumber(indicator.denominator)}）`;
  };
  const foldedYears = new Map(review.supportedCases.map((year) => [year.fiscalYear, year.includesFiscalYears]));
  return {
    summary: {
      rowHeader: "item",
      hide: ["unit"],
      cells: {
        value: (row) => withUnit(row.value ?? null, row.unit ?? null),
        target: (row) => withUnit(row.target ?? null, row.unit ?? null),
      },
      empty: "主要な数値はありません。",
    },
    "supported-cases": {
      rowHeader: "category",
      group: {
        key: "fiscalYear",
        // The years folded into a target year come from the review itself; the table's cell is their text.
        label: (row) => targetYearLabel(Number(row.fiscalYear), foldedYears.get(Number(row.fiscalYear))),
      },
      hide: ["includesFiscalYears"],
      empty: "この年度には、目標と比べる支援件数がありません。",
    },
    "follow-up": {
      rowHeader: "yearOfFollowUp",
      group: { key: "cohort", label: (row) => `${row.cohort}年度開始（${row.cohortCases}件）` },
      hide: ["cohortCases"],
      empty: "フォローアップの対象となる案件はありません。",
    },
    "follow-up-missed": {
      rowHeader: "caseId",
      group: { key: "cohort", label: (row) => `${row.cohort}年度開始` },
      empty: "フォローアップ期間中に支援の報告がない年度のある案件はありません。",
    },
    "plan-to-date": { rowHeader: "item", empty: "累計を求める年度がまだありません。" },
    "by-institution": { rowHeader: "institution", hide: ["id"], empty: "支援機関の報告はありません。" },
    "by-field": { rowHeader: "label", hide: ["id"], empty: "事業分野の定めはありません。" },
    "by-region": { rowHeader: "label", empty: "地域別の支援案件はありません。" },
    "by-support-kind": { rowHeader: "label", hide: ["id"], empty: "支援の種類別の支援案件はありません。" },
    indicators: {
      rowHeader: "name",
      hide: ["id", "unit", "numerator", "denominator"],
      cells: {
        value: indicatorValue,
        target: (row) => escapeHtml(indicators.get(String(row.id))?.targetDisplay ?? NONE),
        rate: (row) => percentText(row.rate ?? null),
      },
      empty: "この計画には成果指標の定めがありません。",
    },
    completeness: { rowHeader: "institution", hide: ["id"], empty: "支援機関の定めはありません。" },
    "completeness-by-quarter": { rowHeader: "quarter", empty: "四半期の照会はありません。" },
  };
}
