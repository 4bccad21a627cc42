import { formatNumber, formatPercentage } from "../format.ts";
import { escapeHtml } from "../html/escape.ts";
import { ANSWER_WORDS, NOTHING_TO_REPORT_WORDS, PACE_WORDS, REFERENCE_WORD, STATUS_WORDS } from "./labels.ts";
import type { CellValue, ReportColumn, ReportRow, ReportTable } from "./table-types.ts";

/** How one table is laid out on the page; the data itself comes from `reportTables` unchanged. */
export interface TableView {
  /** The column whose cell heads its row. */
  rowHeader: string;
  /** Consecutive rows with the same value in this column form one group, headed once. */
  group?: { key: string; label: (row: ReportRow) => string };
  hide?: readonly string[];
  /** Cells that read better than the default format; they return escaped HTML. */
  cells?: Record<string, (row: ReportRow) => string>;
  /** Said instead of an empty table. */
  empty: string;
}

const STATUS_CLASS = new Map<string, string>([
  ...Object.entries(STATUS_WORDS).map(([code, word]) => [word, `s-${code}`] as const),
  [REFERENCE_WORD, "s-reference"],
  ...Object.entries(PACE_WORDS).map(([code, word]) => [word, `p-${code}`] as const),
  ...Object.entries(ANSWER_WORDS).map(([code, word]) => [word, `a-${code}`] as const),
  ...Object.entries(NOTHING_TO_REPORT_WORDS).map(([code, word]) => [word, `a-nothing a-${code}`] as const),
]);

/** Shown for a missing figure, in a table cell or a sentence. */
export const NONE = "—";

function isNumeric(column: ReportColumn): boolean {
  return column.type === "integer" || column.type === "number" || column.type === "percent";
}

function formatCell(column: ReportColumn, value: CellValue): string {
  if (value === null || value === "") return NONE;
  if (typeof value === "number")
    switch (column.type) {
      case "fiscal-year":
        return `${value}年度`;
      case "percent":
        return formatPercentage(value);
      default:
        return formatNumber(value);
    }
  return escapeHtml(value);
}

/** "37.3%": a table's percentage cell, or "—" when there is none. */
export function percentText(value: CellValue): string {
  return typeof value === "number" ? formatPercentage(value) : NONE;
}

/** "5件", "37.3%": a value whose unit is given per row (the summary, the indicators). */
export function withUnit(value: CellValue, unit: CellValue): string {
  if (typeof value !== "number") return NONE;
  return unit === "%" ? formatPercentage(value) : `${formatNumber(value)}${escapeHtml(unit ?? "")}`;
}

/** The id of a table's element, so that a figure can point to the table that carries its figures. */
export function tableAnchor(name: string): string {
  return `table-${name}`;
}

/**
 * A table with a numbered caption, column and row headers scoped for screen readers, numbers right-aligned and
 * statuses in words. When every count column shares one unit it is stated once in the caption (単位：件), as
 * Japanese reports do; otherwise each heading carries its own. Percentages always carry their sign.
 */
export function renderTable(table: ReportTable, number: number, view: TableView): string {
  const hidden = new Set(view.hide ?? []);
  const groupKey = view.group?.key;
  const columns = table.columns.filter((column) => !hidden.has(column.key));
  const units = new Set(
    columns.filter((column) => isNumeric(column) && column.type !== "percent").map((column) => column.unit),
  );
  const [onlyUnit] = units;
  const sharedUnit = units.size === 1 && onlyUnit !== undefined ? onlyUnit : null;
  const heading = (column: ReportColumn) =>
    column.unit === undefined || column.type === "percent" || sharedUnit !== null
      ? escapeHtml(column.label)
      : `${escapeHtml(column.label)}（${escapeHtml(column.unit)}）`;
  const caption = `表${number}　${escapeHtml(table.title)}${sharedUnit === null ? "" : `（単位：${escapeHtml(sharedUnit)}）`}`;
  const head = `<thead><tr>${columns.map((column) => `<th scope="col"${isNumeric(column) ? ' class="num"' : ""}>${heading(column)}</th>`).join("")}</tr></thead>`;

  const cell = (column: ReportColumn, row: ReportRow): string => {
    const custom = view.cells?.[column.key];
    const value = row[column.key] ?? null;
    const content = custom ? custom(row) : formatCell(column, value);
    if (column.key === view.rowHeader) return `<th scope="row">${content}</th>`;
    if (column.type === "status") {
      const statusClass = typeof value === "string" ? STATUS_CLASS.get(value) : undefined;
      return `<td class="status${statusClass ? ` ${statusClass}` : ""}">${content}</td>`;
    }
    return `<td${isNumeric(column) ? ' class="num"' : ""}>${content}</td>`;
  };

  if (table.rows.length === 0)
    return `<table id="${tableAnchor(table.name)}">
<caption>${caption}</caption>
${head}
<tbody><tr><td class="empty" colspan="${columns.length}">${escapeHtml(view.empty)}</td></tr></tbody>
</table>`;

  const groups: ReportRow[][] = [];
  for (const row of table.rows) {
    const last = groups.at(-1);
    if (groupKey !== undefined && last && last[0]?.[groupKey] === row[groupKey]) last.push(row);
    else groups.push([row]);
  }
  const bodies = groups.map((rows) => {
    const lines = rows.map((row, index) => {
      const cells = columns.map((column) => {
        if (column.key !== groupKey) return cell(column, row);
        // The group's heading spans its rows; the rows after the first have no cell in this column.
        if (index > 0 || !view.group) return "";
        return `<th scope="rowgroup" rowspan="${rows.length}">${escapeHtml(view.group.label(row))}</th>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    });
    return `<tbody>\n${lines.join("\n")}\n</tbody>`;
  });
  return `<table id="${tableAnchor(table.name)}">
<caption>${caption}</caption>
${head}
${bodies.join("\n")}
</table>`;
}
