import { type FiscalYear, gregorianYearOfEra } from "../calendar.ts";

/** A cell's value as the reader sees it, whatever the file format: exceljs's kinds boiled down. */
export type CellValue = string | number | boolean | Date | null;

/** Era names and their one-letter forms (R6, H31) as people type them. */
const ERA_LETTERS: Record<string, string> = { R: "令和", H: "平成", S: "昭和" };

// Excel's day 1 is 1900-01-01 and it keeps Lotus's phantom 1900-02-29, so from March 1900 on, serial n is
// 1899-12-30 plus n days.
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 24 * 60 * 60 * 1000;
/** Serials of the years a plan can touch (1955–2173); a smaller number in a year cell is a year, not a serial. */
const SERIAL_RANGE = { min: 20_000, max: 100_000 };

/** A cell as text: numbers as written in plain digits, dates as ISO dates, blanks as "". */
export function cellText(value: CellValue): string {
  if (value === null) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "number") return Number.isFinite(value) ? numberText(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return value.replace(/\r\n?/g, "\n");
}

function numberText(value: number): string {
  // 1e21 and beyond print in exponent form; the schema then says "not a number", which is right for a count.
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
}

/**
 * A number as the form's schema reads it (it takes full-width digits, commas and spaces): a unit typed after it
 * (「12件」「1,200,000円」) or a yen sign before it is dropped; anything else is left for the schema to name.
 */
export function numberCellText(value: CellValue): string {
  const text = cellText(value).trim();
  const unit = /^[¥￥]?\s*([-－]?[0-9０-９][0-9０-９,，.．\s]*)\s*(円|件|回)?$/.exec(text);
  return unit?.[1] ? unit[1].trim() : text;
}

// In a Japanese form × means "no", while an English "x" means ticked: both are read as what they mean to whoever
// typed them, and anything else is asked about rather than guessed.
const TRUE_MARKS = new Set([
  "○",
  "◯",
  "〇",
  "●",
  "◎",
  "✓",
  "✔",
  "レ",
  "v",
  "x",
  "1",
  "true",
  "yes",
  "はい",
  "有",
  "あり",
  "済",
]);
const FALSE_MARKS = new Set(["", "×", "✕", "0", "false", "no", "いいえ", "無", "なし", "-", "ー", "―", "‐"]);

/** A tick cell: true for ○ and its look-alikes, false for a blank or a no, undefined when it cannot be told. */
export function readMark(value: CellValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
  const text = cellText(value).normalize("NFKC").trim().toLowerCase();
  if (TRUE_MARKS.has(text)) return true;
  if (FALSE_MARKS.has(text)) return false;
  return undefined;
}

/** The fiscal year a calendar date falls in (April to March). */
function fiscalYearOfDate(year: number, month: number): FiscalYear {
  return month >= 4 ? year : year - 1;
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A calendar date typed or stored in a cell: a date cell, a serial, 2024/5/1, 2024-05-01, 2024年5月1日, or an era
 * date such as 令和6年5月1日 or R6.5.1. Undefined when the cell holds no such date.
 */
export function readDate(value: CellValue): { year: number; month: number; day: number } | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    // exceljs and Excel keep a date cell as that calendar day at UTC midnight.
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < SERIAL_RANGE.min || value > SERIAL_RANGE.max) return undefined;
    return readDate(new Date(SERIAL_EPOCH_MS + value * DAY_MS));
  }
  const text = cellText(value).normalize("NFKC").replace(/\s+/g, "");
  const western = /^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/.exec(text);
  const era = /^(令和|平成|昭和|[RHSrhs])\.?(\d{1,2}|元)[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/.exec(text);
  let parts: [number, number, number] | undefined;
  if (western) parts = [Number(western[1]), Number(western[2]), Number(western[3])];
  else if (era?.[1] && era[2]) {
    const year = gregorianYearOfEra(ERA_LETTERS[era[1].toUpperCase()] ?? era[1], era[2] === "元" ? 1 : Number(era[2]));
    if (year !== undefined) parts = [year, Number(era[3]), Number(era[4])];
  } else if (/^\d+$/.test(text)) return readDate(Number(text));
  if (!parts || !validDate(...parts)) return undefined;
  return { year: parts[0], month: parts[1], day: parts[2] };
}

/**
 * The first fiscal year of a case as typed: 2024, 2024年度, the list's 「2024年度（令和6年度）」, 令和6年度, R6, or a
 * date (typed, era, or a date cell or serial), read as the fiscal year it falls in. What cannot be read is returned
 * as its text, for the form's schema to name.
 */
export function readFiscalYear(value: CellValue): string {
  const date = readDate(value);
  if (date) return String(fiscalYearOfDate(date.year, date.month));
  const text = cellText(value).normalize("NFKC").replace(/\s+/g, "");
  const western = /^(\d{4})(年度?)?(\(.*\))?$/.exec(text);
  if (western?.[1]) return western[1];
  const era = /^(令和|平成|昭和|[RHSrhs])\.?(\d{1,2}|元)(年度?)?(\(.*\))?$/.exec(text);
  if (era?.[1] && era[2]) {
    const year = gregorianYearOfEra(ERA_LETTERS[era[1].toUpperCase()] ?? era[1], era[2] === "元" ? 1 : Number(era[2]));
    if (year !== undefined) return String(year);
  }
  return cellText(value);
}
