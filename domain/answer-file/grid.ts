import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import type { CellValue } from "./cells.ts";

/** One sheet's cells by row and column (both from 1), only those holding something. */
export interface Grid {
  name: string;
  hidden: boolean;
  rows: Map<number, Map<number, CellValue>>;
}

/** A cell's value in a grid, or null. */
export function cellAt(grid: Grid, row: number, column: number): CellValue {
  return grid.rows.get(row)?.get(column) ?? null;
}

/** "C", "AA": a column's letters, as a cell reference names it. */
export function columnLetters(column: number): string {
  let letters = "";
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26))
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

/** exceljs's kinds of cell value boiled down: rich text and links to their text, formulas to their last result. */
function fromExcel(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value !== "object") return null;
  if ("richText" in value && Array.isArray(value.richText))
    return value.richText.map((run) => (typeof run?.text === "string" ? run.text : "")).join("");
  if ("formula" in value || "sharedFormula" in value) return fromExcel((value.result ?? null) as ExcelJS.CellValue);
  if ("error" in value) return String(value.error);
  if ("text" in value) return fromExcel(value.text as ExcelJS.CellValue);
  return null;
}

function gridOf(worksheet: ExcelJS.Worksheet, name: string): Grid {
  const rows = new Map<number, Map<number, CellValue>>();
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = new Map<number, CellValue>();
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      const value = fromExcel(cell.value);
      if (value !== null && value !== "") cells.set(columnNumber, value);
    });
    if (cells.size > 0) rows.set(rowNumber, cells);
  });
  return { name, hidden: worksheet.state !== "visible", rows };
}

/** Every sheet of an XLSX (already checked by inspectContainer), in the workbook's order. */
export async function readXlsxGrids(bytes: Uint8Array): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  return workbook.worksheets.map((worksheet) => gridOf(worksheet, worksheet.name));
}

/**
 * A CSV's text: UTF-8 with or without its BOM, UTF-16 with a BOM (Excel's 「Unicode テキスト」), and otherwise CP932,
 * which is what Japanese Excel writes for 「CSV（コンマ区切り）」. Bytes that are not valid UTF-8 are taken as CP932.
 */
export function decodeCsv(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.subarray(3).toString("utf8");
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return iconv.decode(buffer.subarray(2), "utf16le");
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return iconv.decode(buffer.subarray(2), "utf16be");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    return iconv.decode(buffer, "cp932");
  }
}

/** A CSV (or tab-separated text) as one grid named `name`, every cell kept as the text it was. */
export async function readCsvGrid(bytes: Uint8Array, name: string): Promise<Grid> {
  const text = decodeCsv(bytes);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
  const workbook = new ExcelJS.Workbook();
  // exceljs names the sheet, and refuses names with characters a file name may have: the grid carries the name.
  const worksheet = await workbook.csv.read(Readable.from([text]), {
    sheetName: "csv",
    // Every cell as typed: exceljs's own mapping would turn 2024-05-01 into a date in the wrong zone, "1e3" into 1000.
    map: (value: unknown) => value,
    parserOptions: { delimiter, ignoreEmpty: false },
  } as Parameters<typeof workbook.csv.read>[1]);
  return gridOf(worksheet, name);
}
