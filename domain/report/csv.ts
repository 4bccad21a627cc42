import type { CellValue, ReportColumn, ReportTable } from "./table-types.ts";

/** The byte order mark that makes Excel read a CSV file as UTF-8 rather than as Shift_JIS. */
export const UTF8_BOM = "\uFEFF";

// A text cell that a spreadsheet would read as a formula (=, +, -, @, or a tab or CR before one) is prefixed with an
// apostrophe, so that a business name typed by a respondent can never run as a formula in the reader's Excel.
const FORMULA_START = /^[=+\-@\t\r]/;

/** "目標（件）": a column's label with its unit, so that a CSV header alone says what each figure counts. */
export function columnHeading(column: ReportColumn): string {
  return column.unit === undefined ? column.label : `${column.label}（${column.unit}）`;
}

function field(value: CellValue): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  // RFC 4180: a field holding a comma, a quote or a line break is quoted, with its quotes doubled.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A table as CSV: UTF-8 with a BOM, a header row of labels with units, CRLF line ends, RFC 4180 quoting. */
export function toCsv(table: Pick<ReportTable, "columns" | "rows">): string {
  const lines = [
    table.columns.map((column) => field(columnHeading(column))).join(","),
    ...table.rows.map((row) => table.columns.map((column) => field(row[column.key] ?? null)).join(",")),
  ];
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}
