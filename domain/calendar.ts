/**
 * The fiscal calendar of a Japanese public plan: 年度 (FiscalYear) runs April 1 to March 31 and is named by the
 * calendar year it starts in; 四半期 (Quarter) Q1 is Apr–Jun … Q4 is Jan–Mar of the next calendar year. Dates are
 * read in Asia/Tokyo, which has had no daylight saving since 1951, so a fixed +09:00 offset is exact.
 */

export type FiscalYear = number;
export type Quarter = 1 | 2 | 3 | 4;

export const QUARTERS: readonly Quarter[] = [1, 2, 3, 4];

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** Calendar parts of an instant as seen on a wall clock in Japan. */
export interface JstDateParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/** Reads an instant in Asia/Tokyo. */
export function jstParts(instant: Date): JstDateParts {
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
  };
}

/** The instant of a wall-clock time in Japan. */
export function jstInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - JST_OFFSET_MS);
}

/** The fiscal year an instant falls in, read in Asia/Tokyo. */
export function fiscalYearOf(instant: Date): FiscalYear {
  const { year, month } = jstParts(instant);
  return month >= 4 ? year : year - 1;
}

/** The quarter of its fiscal year an instant falls in, read in Asia/Tokyo. */
export function quarterOf(instant: Date): Quarter {
  const { month } = jstParts(instant);
  return (month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4) as Quarter;
}

/** The calendar year and month a quarter starts in. */
function quarterStartMonth(fiscalYear: FiscalYear, quarter: Quarter): { year: number; month: number } {
  return quarter === 4 ? { year: fiscalYear + 1, month: 1 } : { year: fiscalYear, month: 4 + (quarter - 1) * 3 };
}

/** A quarter as a half-open interval [start, end) of instants. */
export function quarterPeriod(fiscalYear: FiscalYear, quarter: Quarter): { start: Date; end: Date } {
  const { year, month } = quarterStartMonth(fiscalYear, quarter);
  return { start: jstInstant(year, month, 1), end: jstInstant(year, month + 3, 1) };
}

/** A fiscal year as a half-open interval [start, end) of instants. */
export function fiscalYearPeriod(fiscalYear: FiscalYear): { start: Date; end: Date } {
  return { start: jstInstant(fiscalYear, 4, 1), end: jstInstant(fiscalYear + 1, 4, 1) };
}

/** When a round's requests go out and when answers are due, as days of the month after the quarter ends. */
export interface CollectionCalendar {
  requestDay: number;
  deadlineDay: number;
  deadlineHour: number;
}

/** The instant a quarter's requests are sent: 09:00 JST on `requestDay` of the month after the quarter. */
export function roundRequestTime(fiscalYear: FiscalYear, quarter: Quarter, calendar: CollectionCalendar): Date {
  const { end } = quarterPeriod(fiscalYear, quarter);
  const { year, month } = jstParts(end);
  return jstInstant(year, month, calendar.requestDay, 9);
}

/** The calendar deadline of a quarter's round: `deadlineDay` of the month after the quarter, at `deadlineHour` JST. */
export function roundDeadline(fiscalYear: FiscalYear, quarter: Quarter, calendar: CollectionCalendar): Date {
  const { end } = quarterPeriod(fiscalYear, quarter);
  const { year, month } = jstParts(end);
  return jstInstant(year, month, calendar.deadlineDay, calendar.deadlineHour);
}

interface Era {
  name: string;
  start: { year: number; month: number; day: number };
}

// Newest first. Only the eras a plan of this kind can touch are listed.
const ERAS: readonly Era[] = [
  { name: "令和", start: { year: 2019, month: 5, day: 1 } },
  { name: "平成", start: { year: 1989, month: 1, day: 8 } },
  { name: "昭和", start: { year: 1926, month: 12, day: 25 } },
];

function compareYmd(a: Era["start"], b: Era["start"]): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function eraYearLabel(eraYear: number): string {
  return eraYear === 1 ? "元" : String(eraYear);
}

/** The era name and era year of a calendar date in Japan: 2019-04-30 is 平成31年, 2019-05-01 is 令和元年. */
export function eraOf(instant: Date): { era: string; eraYear: number } {
  const { year, month, day } = jstParts(instant);
  const date = { year, month, day };
  const era = ERAS.find((candidate) => compareYmd(date, candidate.start) >= 0);
  if (!era) throw new RangeError(`Dates before ${ERAS.at(-1)?.start.year} have no era here`);
  return { era: era.name, eraYear: year - era.start.year + 1 };
}

/**
 * A fiscal year's era form. A fiscal year is named in the era current on its first day, unless a new era began in
 * that same calendar year, as 令和 did in May 2019: FY2019 is then 令和元年度 (the usage of the national budget
 * documents after the change), while FY1988 stays 昭和63年度 because 平成 began in the next calendar year.
 */
export function fiscalYearEra(fiscalYear: FiscalYear): { era: string; eraYear: number } {
  const newEraSameYear = ERAS.find((era) => era.start.year === fiscalYear && era.start.month >= 4);
  if (newEraSameYear) return { era: newEraSameYear.name, eraYear: 1 };
  return eraOf(jstInstant(fiscalYear, 4, 1));
}

/** The calendar year of an era year (令和6 → 2024), or undefined for an era not listed here or a year before 1. */
export function gregorianYearOfEra(eraName: string, eraYear: number): number | undefined {
  const era = ERAS.find((candidate) => candidate.name === eraName);
  if (!era || !Number.isInteger(eraYear) || eraYear < 1) return undefined;
  return era.start.year + eraYear - 1;
}

/** "令和6年度" */
export function fiscalYearEraLabel(fiscalYear: FiscalYear): string {
  const { era, eraYear } = fiscalYearEra(fiscalYear);
  return `${era}${eraYearLabel(eraYear)}年度`;
}

/** "2024年度（令和6年度）", the form used in headings and mail. */
export function fiscalYearLabel(fiscalYear: FiscalYear): string {
  return `${fiscalYear}年度（${fiscalYearEraLabel(fiscalYear)}）`;
}

/** "第1四半期（4月〜6月）" */
export function quarterLabel(quarter: Quarter): string {
  const months = ["4月〜6月", "7月〜9月", "10月〜12月", "1月〜3月"][quarter - 1];
  return `第${quarter}四半期（${months}）`;
}

const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** "令和元年7月15日（月）", optionally followed by the time in 24-hour form: "令和元年7月15日（月）17時00分". */
export function formatJapaneseDate(instant: Date, options: { withTime?: boolean } = {}): string {
  const { month, day, weekday } = jstParts(instant);
  const { era, eraYear } = eraOf(instant);
  const date = `${era}${eraYearLabel(eraYear)}年${month}月${day}日（${WEEKDAYS[weekday]}）`;
  if (!options.withTime) return date;
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  const time = `${shifted.getUTCHours()}時${String(shifted.getUTCMinutes()).padStart(2, "0")}分`;
  return `${date}${time}`;
}
