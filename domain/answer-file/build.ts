import ExcelJS from "exceljs";
import { fiscalYearLabel, formatJapaneseDate, quarterLabel } from "../calendar.ts";
import { SUPPORT_KINDS } from "../form.ts";
import type { FormValues } from "../html/form-fields.ts";
import {
  ABOUT_KEYS,
  CASE_COLUMNS,
  type CaseColumnKey,
  KIND_GROUP_HEADER,
  KNOWN_MARK,
  SHEETS,
  SUMMARY_ROWS,
} from "./layout.ts";
import type { AnswerFileForm } from "./read.ts";

/** What the workbook is made for: the form's request, its deadline, and the rows the web form would show. */
export interface AnswerWorkbookInput extends AnswerFileForm {
  deadline: Date;
  /** The web form's prefill: the last answer of this round, or else the institution's known cases. */
  values: FormValues;
}

/** Blank rows offered for new cases below the prefilled ones (more can be inserted). */
export const SPARE_WORKBOOK_ROWS = 30;

/** Where the cases sheet's table begins. */
const CASES_HEADER_ROW = 7;
const SUMMARY_FIRST_ROW = 6;

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDCE6F2" } };
const INPUT_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFFDE7" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF8A9099" } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * Sheet protection keeps people from overwriting headers and prefilled ids by accident; it is not a security
 * boundary (anyone can remove it, and the reader trusts nothing in the file), so it has no password: a forgotten
 * password would only stop a person fixing a layout, and a fixed one written in the code would protect nothing.
 */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: true,
  deleteRows: true,
};

function protect(sheet: ExcelJS.Worksheet): void {
  // exceljs's protect is async only for hashing a password; without one it has taken effect when it returns.
  void sheet.protect("", PROTECTION);
}

function listFormula(column: string, count: number): string {
  return `'${SHEETS.lists.ja}'!$${column}$2:$${column}$${Math.max(2, count + 1)}`;
}

function choiceValidation(formula: string, what: string): ExcelJS.DataValidation {
  return {
    type: "list",
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: "選択肢から選んでください",
    error: `${what}は一覧から選んでください。`,
  };
}

const MARK_VALIDATION: ExcelJS.DataValidation = {
  type: "list",
  allowBlank: true,
  formulae: [`"${KNOWN_MARK}"`],
  showErrorMessage: true,
  errorStyle: "stop",
  errorTitle: "○を選んでください",
  error: "該当する場合は○を、該当しない場合は空欄のままにしてください。",
};

function wholeNumberValidation(max: number): ExcelJS.DataValidation {
  return {
    type: "whole",
    operator: "between",
    allowBlank: true,
    formulae: [0, max],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: "数字で入力してください",
    error: `0以上${max.toLocaleString("ja-JP")}以下の整数で入力してください。`,
  };
}

function addTitle(sheet: ExcelJS.Worksheet, input: AnswerWorkbookInput, title: string): void {
  sheet.getCell("A1").value = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)} ${title}`;
  sheet.getCell("A1").font = { bold: true, size: 14 };
  sheet.getCell("A2").value = `計画：${input.plan.name}`;
  sheet.getCell("A3").value = `報告機関：${input.institution.name}`;
  sheet.getCell("A4").value = `回答期限：${formatJapaneseDate(input.deadline, { withTime: true })}`;
  sheet.getCell("A4").font = { bold: true, color: { argb: "FFB00020" } };
}

function addInstructions(workbook: ExcelJS.Workbook, input: AnswerWorkbookInput): void {
  const sheet = workbook.addWorksheet(SHEETS.instructions.ja, { properties: { tabColor: { argb: "FF1D4F91" } } });
  sheet.getColumn(1).width = 110;
  addTitle(sheet, input, "実施状況報告（記入方法）");
  const lines = [
    "",
    "このファイルは、上記の照会への回答用の様式です。ウェブの回答フォームと同じ内容を、Excel で記入して提出できます。",
    "",
    "【記入のしかた】",
    `1. 「${SHEETS.cases.ja}」シート：前回までに報告した案件が入っています。今期に支援した案件は「今期の支援内容」を記入してください。`,
    "　 今期に支援していない案件は「今期の支援内容」を空欄のままにすると、今期の報告から外れます（行は削除しなくてかまいません）。",
    "2. 新規の案件は下の空欄の行に記入してください。行が足りない場合は、行を挿入して記入できます。",
    "　 案件番号は事務局が案件ごとに定めた番号です（例：HKD-2024-001）。複数の機関で同じ案件を支援した場合は同じ番号を使ってください。",
    "3. 市町村・事業分野・支援開始年度はセルの一覧から選んでください。支援の種類は該当する列すべてに○を入れてください。",
    `4. 「${SHEETS.summary.ja}」シート：今期の相談対応件数・セミナー等の開催件数・協定締結件数（なければ0）と、取組の概要を記入してください。`,
    "5. 今期に報告することが何もない場合は、「報告事項なし」に○を入れ、案件の「今期の支援内容」は空欄のままにしてください。",
    "",
    "【提出のしかた】",
    "・回答フォームのページの「ファイルで回答する」からこのファイルをアップロードするか、照会メールへの返信に添付してください。",
    "・「Excel ブック（.xlsx）」のまま保存してください。マクロ有効ブック（.xlsm）やパスワード付きのファイルは受け付けられません。",
    "・CSV で提出する場合は、UTF-8 または Shift_JIS（Excel の「CSV（コンマ区切り）」）で保存してください。",
    "・誤りがあるファイルは受け付けられず、誤りのあるセル（例：案件!D8）と内容をお知らせします。直してから再度提出してください。",
    "・締切までは何度でも提出し直せます。最後に受け付けた内容が有効になります。",
    "",
    `問い合わせ先：${input.plan.secretariat.name}`,
  ];
  lines.forEach((line, index) => {
    const cell = sheet.getCell(6 + index, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: "top" };
    if (line.startsWith("【")) cell.font = { bold: true };
  });
}

type CaseRow = Record<string, unknown>;

function caseCellValue(row: CaseRow, key: CaseColumnKey, input: AnswerWorkbookInput): string | number | null {
  const outcomes = (row.outcomes ?? {}) as Record<string, unknown>;
  const mark = (value: unknown) => (value === true || value === "on" || value === "true" ? KNOWN_MARK : null);
  const number = (value: unknown) => {
    const parsed = Number(value);
    return value === undefined || value === "" || !Number.isFinite(parsed) ? null : parsed;
  };
  if (key.startsWith("kind:")) {
    const kinds = Array.isArray(row.supportKinds) ? row.supportKinds.map(String) : [];
    return kinds.includes(key.slice("kind:".length)) ? KNOWN_MARK : null;
  }
  switch (key) {
    case "known":
      return row.known === "1" ? KNOWN_MARK : null;
    case "field":
      return input.plan.fields.find((field) => field.id === row.field)?.name ?? null;
    case "firstFiscalYear":
      return row.firstFiscalYear ? fiscalYearLabel(Number(row.firstFiscalYear)) : null;
    case "commercialised":
    case "jointResearch":
      return mark(outcomes[key]);
    case "salesYen":
    case "patentApplications":
      return number(outcomes[key]);
    default:
      return typeof row[key] === "string" && row[key] !== "" ? (row[key] as string) : null;
  }
}

function addCases(workbook: ExcelJS.Workbook, input: AnswerWorkbookInput, listSizes: ListSizes): void {
  const sheet = workbook.addWorksheet(SHEETS.cases.ja, {
    views: [{ state: "frozen", xSplit: 3, ySplit: CASES_HEADER_ROW }],
  });
  addTitle(sheet, input, "支援案件");
  sheet.getCell("A5").value =
    "黄色のセルに記入してください。今期に支援していない案件は「今期の支援内容」を空欄のままにしてください。";
  const kindColumns = CASE_COLUMNS.flatMap((column, index) => (column.key.startsWith("kind:") ? [index + 1] : []));
  const firstKind = Math.min(...kindColumns);
  const lastKind = Math.max(...kindColumns);
  sheet.mergeCells(CASES_HEADER_ROW - 1, firstKind, CASES_HEADER_ROW - 1, lastKind);
  const group = sheet.getCell(CASES_HEADER_ROW - 1, firstKind);
  group.value = KIND_GROUP_HEADER;
  group.alignment = { horizontal: "center" };
  group.fill = HEADER_FILL;
  group.border = BOX;
  CASE_COLUMNS.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.width;
    const cell = sheet.getCell(CASES_HEADER_ROW, index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BOX;
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
  });
  sheet.getRow(CASES_HEADER_ROW).height = 48;
  const rows: CaseRow[] = [...input.values.cases, ...Array.from({ length: SPARE_WORKBOOK_ROWS }, () => ({}))];
  const validations: Partial<Record<CaseColumnKey, ExcelJS.DataValidation>> = {
    municipality:
      listSizes.municipalities > 0 ? choiceValidation(listFormula("A", listSizes.municipalities), "市町村") : undefined,
    field: choiceValidation(listFormula("B", listSizes.fields), "事業分野"),
    firstFiscalYear: choiceValidation(listFormula("C", listSizes.years), "支援開始年度"),
    commercialised: MARK_VALIDATION,
    jointResearch: MARK_VALIDATION,
    salesYen: wholeNumberValidation(1e13),
    patentApplications: wholeNumberValidation(1000),
  };
  rows.forEach((row, rowIndex) => {
    const rowNumber = CASES_HEADER_ROW + 1 + rowIndex;
    const known = row.known === "1";
    CASE_COLUMNS.forEach((column, index) => {
      const cell = sheet.getCell(rowNumber, index + 1);
      cell.value = caseCellValue(row, column.key, input);
      cell.border = BOX;
      // A case reported before keeps its id: the review follows a case by it across quarters and institutions.
      const editable = column.input && !(known && column.key === "caseId");
      cell.protection = { locked: !editable };
      if (editable) cell.fill = INPUT_FILL;
      const validation = column.key.startsWith("kind:") ? MARK_VALIDATION : validations[column.key];
      if (validation && editable) cell.dataValidation = validation;
      if (column.key === "activity" || column.key === "businessName")
        cell.alignment = { wrapText: true, vertical: "top" };
      if (column.key === "salesYen") cell.numFmt = "#,##0";
    });
  });
  protect(sheet);
}

function addSummary(workbook: ExcelJS.Workbook, input: AnswerWorkbookInput): void {
  const sheet = workbook.addWorksheet(SHEETS.summary.ja);
  addTitle(sheet, input, "件数・取組の概要");
  sheet.getColumn(1).width = 28;
  sheet.getColumn(2).width = 60;
  sheet.getColumn(3).width = 50;
  const counts = (input.values.counts ?? {}) as Record<string, unknown>;
  const narrative = (input.values.narrative ?? {}) as Record<string, unknown>;
  SUMMARY_ROWS.forEach((summary, index) => {
    const rowNumber = SUMMARY_FIRST_ROW + index;
    const label = sheet.getCell(rowNumber, 1);
    label.value = summary.label;
    label.font = { bold: true };
    label.fill = HEADER_FILL;
    label.border = BOX;
    label.alignment = { vertical: "top" };
    const value = sheet.getCell(rowNumber, 2);
    value.protection = { locked: false };
    value.fill = INPUT_FILL;
    value.border = BOX;
    const [group, field = ""] = summary.key.split(".");
    if (group === "counts") {
      const typed = counts[field];
      value.value = typed === undefined || typed === "" || Number.isNaN(Number(typed)) ? null : Number(typed);
      value.dataValidation = wholeNumberValidation(field === "consultations" ? 100_000 : 10_000);
    } else if (group === "narrative") {
      const typed = narrative[field];
      value.value = typeof typed === "string" && typed !== "" ? typed : null;
      value.alignment = { wrapText: true, vertical: "top" };
      sheet.getRow(rowNumber).height = 90;
    } else value.dataValidation = MARK_VALIDATION;
    const note = sheet.getCell(rowNumber, 3);
    note.value = summary.note;
    note.alignment = { wrapText: true, vertical: "top" };
    note.font = { color: { argb: "FF555555" } };
  });
  protect(sheet);
}

interface ListSizes {
  municipalities: number;
  fields: number;
  years: number;
}

function addLists(workbook: ExcelJS.Workbook, input: AnswerWorkbookInput): void {
  const sheet = workbook.addWorksheet(SHEETS.lists.ja, { state: "hidden" });
  const municipalities = input.plan.municipalities.map((municipality) => municipality.name);
  const fields = input.plan.fields.map((field) => field.name);
  const years: string[] = [];
  for (let year = input.plan.period.firstFiscalYear; year <= input.fiscalYear; year++)
    years.push(fiscalYearLabel(year));
  const columns: Array<[string, string[]]> = [
    ["市町村", municipalities],
    ["事業分野", fields],
    ["支援開始年度", years],
    ["支援の種類", Object.values(SUPPORT_KINDS)],
  ];
  columns.forEach(([header, values], index) => {
    sheet.getCell(1, index + 1).value = header;
    values.forEach((value, row) => {
      sheet.getCell(row + 2, index + 1).value = value;
    });
    sheet.getColumn(index + 1).width = 24;
  });
  protect(sheet);
}

function addAbout(workbook: ExcelJS.Workbook, input: AnswerWorkbookInput): void {
  const sheet = workbook.addWorksheet(SHEETS.about.ja, { state: "veryHidden" });
  const rows: Array<[string, string]> = [
    [ABOUT_KEYS.plan, input.plan.id],
    [ABOUT_KEYS.fiscalYear, String(input.fiscalYear)],
    [ABOUT_KEYS.quarter, String(input.quarter)],
    [ABOUT_KEYS.institution, input.institution.id],
  ];
  rows.forEach(([key, value], index) => {
    sheet.getCell(index + 1, 1).value = key;
    sheet.getCell(index + 1, 2).value = value;
  });
}

/**
 * The quarter's form as a workbook (XLSX), prefilled as the web form is: instructions, the cases with their ids
 * locked, lists to choose from, the counts and narrative, and a hidden sheet naming the request it answers.
 */
export async function buildAnswerWorkbook(input: AnswerWorkbookInput): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.plan.secretariat.name;
  addInstructions(workbook, input);
  // The validations point at the lists sheet by size; it comes after the sheets people fill, so it is not in the way.
  const listSizes: ListSizes = {
    municipalities: input.plan.municipalities.length,
    fields: input.plan.fields.length,
    years: input.fiscalYear - input.plan.period.firstFiscalYear + 1,
  };
  addCases(workbook, input, listSizes);
  addSummary(workbook, input);
  addLists(workbook, input);
  addAbout(workbook, input);
  const instructions = workbook.getWorksheet(SHEETS.instructions.ja);
  if (instructions) protect(instructions);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

/** The workbook's file name: plan, year, quarter and institution, so that a saved copy says what it answers. */
export function answerWorkbookFileName(input: Pick<AnswerFileForm, "fiscalYear" | "quarter" | "institution">): string {
  return `実施状況報告_${input.fiscalYear}年度第${input.quarter}四半期_${input.institution.shortName}.xlsx`;
}
