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

/** A column; `unit` only when its values have one. */
export function column(key: string, label: string, type: ColumnType, unit?: string): ReportColumn {
  return unit === undefined ? { key, label, type } : { key, label, type, unit };
}

/** The unit of every count of cases. */
export const CASES = "件";
