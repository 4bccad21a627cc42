import { type FiscalYear, fiscalYearLabel, type Quarter, quarterLabel } from "../calendar.ts";
import {
  KNOWN_CASE_FIELD,
  type QuarterlyReport,
  quarterlyReportLabels,
  quarterlyReportSchema,
  SUPPORT_KINDS,
  type SupportKind,
} from "../form.ts";
import type { Institution, Plan } from "../plan.ts";
import { check, type FieldLabels } from "../validation.ts";
import { type CellValue, cellText, numberCellText, readFiscalYear, readMark } from "./cells.ts";
import { inspectContainer, REFUSAL_MESSAGES } from "./container.ts";
import { cellAt, columnLetters, type Grid, readCsvGrid, readXlsxGrids } from "./grid.ts";
import {
  ABOUT_KEYS,
  CASE_COLUMNS,
  type CaseColumnKey,
  headerKey,
  SHEETS,
  type SheetName,
  SUMMARY_ROWS,
  type SummaryKey,
} from "./layout.ts";

/** A file as it arrived: uploaded on the form page or attached to a reply. */
export interface AnswerFile {
  fileName: string;
  contentType?: string;
  bytes: Uint8Array;
}

/** The request a file answers: what the web form's validation is bound to, and what the workbook was made for. */
export interface AnswerFileForm {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
}

/** One thing wrong with a file: where (「案件!C5」), and what, in Japanese and English, each led by the place. */
export interface AnswerFileError {
  ja: string;
  en: string;
  where?: string;
}

/** A file's answer, validated exactly as the web form's, or every reason it cannot be taken; nothing is stored. */
export type AnswerFileResult = { ok: true; answer: QuarterlyReport } | { ok: false; errors: AnswerFileError[] };

/** Errors listed for one file; past these, one line says how many more there are. */
export const MAX_LISTED_ERRORS = 50;

/** Rows below the header read for cases; a sheet with more non-blank rows than the form takes is refused by size. */
const HEADER_SEARCH_ROWS = 40;

/** The form's field names without the form's row numbering: in a workbook the cell reference names the row. */
const WORKBOOK_LABELS: FieldLabels = Object.fromEntries(
  Object.entries(quarterlyReportLabels).map(([path, label]) => [
    path,
    {
      ...label,
      ja: label.ja.replace(/^支援案件\{1\}の/, ""),
      en: label.en.replace(/ \(case \{1\}\)$/, ""),
      rowless: true,
    },
  ]),
);

/** A place in the file: a sheet, and a cell or a row of it. */
interface Place {
  sheet: SheetName;
  row?: number;
  column?: number;
}

function placeText(place: Place, language: "ja" | "en"): string {
  const sheet = place.sheet[language];
  if (place.row === undefined) return sheet;
  if (place.column === undefined) return `${sheet}!${place.row}:${place.row}`;
  return `${sheet}!${columnLetters(place.column)}${place.row}`;
}

function errorAt(place: Place | undefined, ja: string, en: string): AnswerFileError {
  if (!place) return { ja, en };
  return {
    ja: `${placeText(place, "ja")}：${ja}`,
    en: `${placeText(place, "en")}: ${en}`,
    where: placeText(place, "ja"),
  };
}

/** The sheet's name for messages: its English name when it is one of the workbook's own sheets. */
function sheetName(grid: Grid): SheetName {
  const own = Object.values(SHEETS).find((sheet) => sheet.ja === grid.name);
  return own ?? { ja: grid.name, en: grid.name };
}

/** Where the cases table is: its sheet, its header row and which column holds what. */
interface CaseTable {
  grid: Grid;
  headerRow: number;
  columns: Map<CaseColumnKey, number>;
}

const COLUMN_BY_HEADER = new Map(CASE_COLUMNS.map((column) => [headerKey(column.header), column.key]));
const CASE_ID_HEADER = headerKey("案件番号");

function findCaseTable(grid: Grid): CaseTable | undefined {
  for (const [rowNumber, cells] of grid.rows) {
    if (rowNumber > HEADER_SEARCH_ROWS) break;
    const columns = new Map<CaseColumnKey, number>();
    for (const [column, value] of cells) {
      const key = COLUMN_BY_HEADER.get(headerKey(cellText(value)));
      if (key && !columns.has(key)) columns.set(key, column);
    }
    if ([...cells.values()].some((value) => headerKey(cellText(value)) === CASE_ID_HEADER))
      return { grid, headerRow: rowNumber, columns };
  }
  return undefined;
}

/** A summary row's value cell: right of its label. */
interface SummaryCell {
  grid: Grid;
  row: number;
  column: number;
}

/** The value cells of the summary rows, found by their labels above `beforeRow`. */
function findSummary(grid: Grid, beforeRow = Number.POSITIVE_INFINITY): Map<SummaryKey, SummaryCell> {
  const byLabel = new Map(SUMMARY_ROWS.map((row) => [headerKey(row.label), row.key]));
  const found = new Map<SummaryKey, SummaryCell>();
  for (const [rowNumber, cells] of grid.rows) {
    if (rowNumber >= beforeRow) continue;
    for (const [column, value] of cells) {
      const key = byLabel.get(headerKey(cellText(value)));
      if (key && !found.has(key)) found.set(key, { grid, row: rowNumber, column: column + 1 });
    }
  }
  return found;
}

function summaryPlace(cell: SummaryCell | undefined): Place | undefined {
  return cell && { sheet: sheetName(cell.grid), row: cell.row, column: cell.column };
}

/** The form's field a column fills, for naming the cell of an error at a path under `cases.<n>`. */
function columnForPath(field: string): CaseColumnKey | "kinds" | undefined {
  if (field === "supportKinds") return "kinds";
  if (field === "outcomes") return undefined;
  return CASE_COLUMNS.some((column) => column.key === field) ? (field as CaseColumnKey) : undefined;
}

interface ReadCases {
  rows: Array<Record<string, unknown>>;
  rowNumbers: number[];
  problems: AnswerFileError[];
}

/** Every non-blank row under the header, as the web form would post it; a blank inserted row is skipped. */
function readCases(table: CaseTable, plan: Plan): ReadCases {
  const { grid, headerRow, columns } = table;
  const fieldIdByName = new Map<string, string>();
  for (const field of plan.fields) {
    fieldIdByName.set(headerKey(field.name), field.id);
    fieldIdByName.set(headerKey(field.id), field.id);
  }
  const sheet = sheetName(grid);
  const rows: Array<Record<string, unknown>> = [];
  const rowNumbers: number[] = [];
  const problems: AnswerFileError[] = [];
  const rowNumbersBelow = [...grid.rows.keys()].filter((row) => row > headerRow).sort((a, b) => a - b);
  for (const rowNumber of rowNumbersBelow) {
    const value = (key: CaseColumnKey): CellValue => {
      const column = columns.get(key);
      return column === undefined ? null : cellAt(grid, rowNumber, column);
    };
    const text = (key: CaseColumnKey) => cellText(value(key));
    const mark = (key: CaseColumnKey): boolean => {
      const read = readMark(value(key));
      if (read === undefined)
        problems.push(
          errorAt(
            { sheet, row: rowNumber, column: columns.get(key) },
            `「${text(key).trim()}」は読み取れません。○を入れるか空欄にしてください`,
            `"${text(key).trim()}" cannot be read; put ○ or leave it blank`,
          ),
        );
      return read === true;
    };
    const filled = [...columns.entries()].some(
      ([key, column]) => key !== "known" && cellText(cellAt(grid, rowNumber, column)).trim() !== "",
    );
    if (!filled) continue;
    const kinds = (Object.keys(SUPPORT_KINDS) as SupportKind[]).filter((kind) => mark(`kind:${kind}`));
    const fieldText = text("field");
    const row: Record<string, unknown> = {
      caseId: text("caseId"),
      businessName: text("businessName"),
      municipality: text("municipality").normalize("NFKC").trim(),
      field: fieldIdByName.get(headerKey(fieldText)) ?? fieldText,
      firstFiscalYear: readFiscalYear(value("firstFiscalYear")),
      supportKinds: kinds,
      activity: text("activity"),
      outcomes: {
        commercialised: mark("commercialised") ? "on" : "",
        jointResearch: mark("jointResearch") ? "on" : "",
        salesYen: numberCellText(value("salesYen")),
        patentApplications: numberCellText(value("patentApplications")),
      },
    };
    if (readMark(value("known")) === true) row[KNOWN_CASE_FIELD] = "1";
    rows.push(row);
    rowNumbers.push(rowNumber);
  }
  return { rows, rowNumbers, problems };
}

/** The request the workbook says it was made for, when it says (a CSV, or a file re-typed from scratch, does not). */
function aboutMismatch(grids: readonly Grid[], form: AnswerFileForm): AnswerFileError | undefined {
  const about = grids.find((grid) => grid.name === SHEETS.about.ja);
  if (!about) return undefined;
  const values = new Map<string, string>();
  for (const cells of about.rows.values()) values.set(cellText(cells.get(1) ?? null), cellText(cells.get(2) ?? null));
  const expected: Record<string, string> = {
    [ABOUT_KEYS.plan]: form.plan.id,
    [ABOUT_KEYS.fiscalYear]: String(form.fiscalYear),
    [ABOUT_KEYS.quarter]: String(form.quarter),
    [ABOUT_KEYS.institution]: form.institution.id,
  };
  const mismatched = Object.entries(expected).some(([key, value]) => values.has(key) && values.get(key) !== value);
  if (!mismatched) return undefined;
  const madeFor = `${values.get(ABOUT_KEYS.fiscalYear) ?? "?"}年度 第${values.get(ABOUT_KEYS.quarter) ?? "?"}四半期`;
  return {
    ja: `このファイルは別の照会（${madeFor}・${values.get(ABOUT_KEYS.institution) ?? "?"}）の様式です。${form.institution.name}の${fiscalYearLabel(form.fiscalYear)}${quarterLabel(form.quarter)}の様式をダウンロードして記入してください。`,
    en: `This file is the workbook of another request (FY${values.get(ABOUT_KEYS.fiscalYear) ?? "?"} Q${values.get(ABOUT_KEYS.quarter) ?? "?"}, ${values.get(ABOUT_KEYS.institution) ?? "?"}). Download this request's workbook and fill it in.`,
    where: SHEETS.about.ja,
  };
}

function listed(errors: AnswerFileError[]): AnswerFileError[] {
  if (errors.length <= MAX_LISTED_ERRORS) return errors;
  const more = errors.length - MAX_LISTED_ERRORS;
  return [
    ...errors.slice(0, MAX_LISTED_ERRORS),
    { ja: `ほかに${more}件の誤りがあります。`, en: `${more} more errors are not listed.` },
  ];
}

function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.[^.]*$/, "").trim();
  return stem === "" ? "CSV" : stem.slice(0, 31);
}

async function loadGrids(file: AnswerFile): Promise<Grid[] | AnswerFileError> {
  const container = inspectContainer(file);
  if (container.kind === "refused") {
    const message = REFUSAL_MESSAGES[container.reason];
    return { ...message, where: file.fileName };
  }
  try {
    return container.kind === "xlsx"
      ? await readXlsxGrids(file.bytes)
      : [await readCsvGrid(file.bytes, fileStem(file.fileName))];
  } catch {
    // The container checks passed but the library could not make sense of the contents: a damaged file.
    return { ...REFUSAL_MESSAGES.damaged, where: file.fileName };
  }
}

/**
 * Reads an answer from a workbook (XLSX) or a CSV, and checks it with the web form's own schema.
 * 1. Refuse what must not be opened (too large, macros, a password, an old or foreign format, a zip bomb) before any
 *    library parses it.
 * 2. Load every sheet's cells; find the cases table by its headers and the counts by their labels, wherever rows
 *    or columns were inserted. A workbook made for another request is refused.
 * 3. Turn each cell into what the web form posts (a field's name into its id, ○ into a tick, a date or era year into
 *    a fiscal year, a typed unit dropped) and check it with the form's schema; name each error by its cell.
 */
export async function readAnswerFile(file: AnswerFile, form: AnswerFileForm): Promise<AnswerFileResult> {
  const grids = await loadGrids(file);
  if (!Array.isArray(grids)) return { ok: false, errors: [grids] };
  const mismatch = aboutMismatch(grids, form);
  if (mismatch) return { ok: false, errors: [mismatch] };
  const visible = grids.filter((grid) => !grid.hidden || grid.name === SHEETS.cases.ja);
  const casesGrid = visible.find((grid) => grid.name === SHEETS.cases.ja);
  const table = (casesGrid && findCaseTable(casesGrid)) ?? visible.map(findCaseTable).find((found) => found);
  const summaryGrid = visible.find((grid) => grid.name === SHEETS.summary.ja);
  // A CSV holds the counts above the cases table; a workbook holds them on their own sheet.
  const summary = summaryGrid
    ? findSummary(summaryGrid)
    : new Map(visible.flatMap((grid) => [...findSummary(grid, grid === table?.grid ? table.headerRow : undefined)]));
  if (!table && summary.size === 0)
    return {
      ok: false,
      errors: [
        {
          ja: "回答の様式（「案件番号」の見出しや「相談対応件数」の欄）が見つかりません。配布した様式に記入してください。",
          en: "This is not the answer workbook (no 「案件番号」 header, no 「相談対応件数」 row). Fill in the workbook we sent.",
          where: file.fileName,
        },
      ],
    };
  const cases = table ? readCases(table, form.plan) : { rows: [], rowNumbers: [], problems: [] };
  const summaryValue = (key: SummaryKey): CellValue => {
    const cell = summary.get(key);
    return cell ? cellAt(cell.grid, cell.row, cell.column) : null;
  };
  const problems = [...cases.problems];
  const nothingMark = readMark(summaryValue("nothingToReport"));
  if (nothingMark === undefined)
    problems.push(
      errorAt(
        summaryPlace(summary.get("nothingToReport")),
        "「報告事項なし」は○を入れるか空欄にしてください",
        "“Nothing to report” takes ○ or a blank",
      ),
    );
  const input = {
    nothingToReport: nothingMark === true ? "1" : "",
    cases: cases.rows,
    counts: {
      consultations: numberCellText(summaryValue("counts.consultations")),
      seminarsAndEvents: numberCellText(summaryValue("counts.seminarsAndEvents")),
      agreementsConcluded: numberCellText(summaryValue("counts.agreementsConcluded")),
    },
    narrative: {
      initiatives: cellText(summaryValue("narrative.initiatives")),
      issues: cellText(summaryValue("narrative.issues")),
      nextSteps: cellText(summaryValue("narrative.nextSteps")),
    },
  };
  const checked = check(quarterlyReportSchema(form.plan, form.fiscalYear), input, WORKBOOK_LABELS);
  if (checked.ok && problems.length === 0) return { ok: true, answer: checked.value };
  const schemaErrors = checked.ok ? [] : checked.errors;
  const casesSheet: SheetName = table ? sheetName(table.grid) : SHEETS.cases;
  const summarySheet: SheetName = summaryGrid ? sheetName(summaryGrid) : casesSheet;
  const located = schemaErrors.map((error) => {
    const [head, index, field] = error.path.split(".");
    let place: Place | undefined;
    if (head === "cases" && index !== undefined && table) {
      const row = cases.rowNumbers[Number(index)];
      const key = columnForPath(field === "outcomes" ? (error.path.split(".")[3] ?? "") : (field ?? ""));
      const column =
        key === "kinds"
          ? Math.min(...[...table.columns].filter(([name]) => name.startsWith("kind:")).map(([, at]) => at))
          : key === undefined
            ? undefined
            : table.columns.get(key);
      place = { sheet: casesSheet, row, column: Number.isFinite(column) ? column : undefined };
    } else if (head === "cases") place = { sheet: casesSheet };
    else place = summaryPlace(summary.get(error.path as SummaryKey)) ?? { sheet: summarySheet };
    return errorAt(place, error.ja, error.en);
  });
  return { ok: false, errors: listed([...problems, ...located]) };
}
