/**
 * Japanese business days (営業日), as a prefecture's or a bank's office keeps them: Monday to Friday, except the
 * national holidays (振替休日 and 国民の休日 included) and the government's year-end holidays, December 29 to
 * January 3. The holidays come from @holiday-jp/holiday_jp, tables of dates shipped inside the package (kept up to
 * date by its maintainers from the Cabinet Office's list): plain objects keyed by "YYYY-MM-DD", read by key here
 * (its own helpers read a Date in the machine's time zone, which is UTC on Lambda), with no network, no file read
 * at run time and no clock. Only the years a plan can reach are bundled, one table per year: the whole table
 * (1970–2050) would add 170 KB to every function that computes a round's dates; a plan outside the years is refused
 * by the plan schema (HOLIDAY_YEARS). Days are read in Asia/Tokyo (domain/calendar.ts).
 */
import y2017 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2017.js";
import y2018 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2018.js";
import y2019 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2019.js";
import y2020 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2020.js";
import y2021 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2021.js";
import y2022 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2022.js";
import y2023 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2023.js";
import y2024 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2024.js";
import y2025 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2025.js";
import y2026 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2026.js";
import y2027 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2027.js";
import y2028 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2028.js";
import y2029 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2029.js";
import y2030 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2030.js";
import y2031 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2031.js";
import y2032 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2032.js";
import y2033 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2033.js";
import y2034 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2034.js";
import y2035 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2035.js";
import y2036 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2036.js";
import y2037 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2037.js";
import y2038 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2038.js";
import y2039 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2039.js";
import y2040 from "@holiday-jp/holiday_jp/lib/holidays_every_year/2040.js";
import { jstInstant, jstParts } from "./calendar.ts";
import { HOLIDAY_YEARS } from "./holiday-years.ts";

export { HOLIDAY_YEARS };

/** A calendar day in Japan. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** What a deadline that falls on a non-business day does: move to the next business day, or the one before. */
export type NonBusinessDayRule = "next" | "previous";

/** The hours a reminder may go out, in Japan time: from `start`:00 to before `end`:00. */
export interface BusinessHours {
  start: number;
  end: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
type HolidayTable = Record<string, { name: string } | undefined>;
const TABLES: readonly HolidayTable[] = [
  y2017,
  y2018,
  y2019,
  y2020,
  y2021,
  y2022,
  y2023,
  y2024,
  y2025,
  y2026,
  y2027,
  y2028,
  y2029,
  y2030,
  y2031,
  y2032,
  y2033,
  y2034,
  y2035,
  y2036,
  y2037,
  y2038,
  y2039,
  y2040,
];
const HOLIDAYS: HolidayTable = Object.assign({}, ...TABLES);

/** The calendar years whose holidays are known; a plan's rounds must fall within them. */

const pad = (value: number) => String(value).padStart(2, "0");

/** "2024-05-06", the library's key for a day. */
export function dayKey(day: CalendarDay): string {
  return `${day.year}-${pad(day.month)}-${pad(day.day)}`;
}

/** The day `offset` calendar days after `day`. */
function shiftDays(day: CalendarDay, offset: number): CalendarDay {
  const shifted = new Date(Date.UTC(day.year, day.month - 1, day.day) + offset * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The day an instant falls on in Japan. */
export function dayOf(instant: Date): CalendarDay {
  const { year, month, day } = jstParts(instant);
  return { year, month, day };
}

/** The national holiday's name on a day, if it is one (振替休日 reads 「… 振替休日」). */
export function holidayName(day: CalendarDay): string | undefined {
  if (day.year < HOLIDAY_YEARS.first || day.year > HOLIDAY_YEARS.last)
    // Outside the bundled tables a plan would silently lose its holidays; refuse instead of guessing.
    throw new RangeError(`No holiday table for ${day.year} (${HOLIDAY_YEARS.first}–${HOLIDAY_YEARS.last})`);
  return HOLIDAYS[dayKey(day)]?.name;
}

/** Whether a day falls in the government's year-end holidays (年末年始, December 29 to January 3). */
export function isYearEndHoliday(day: CalendarDay): boolean {
  return (day.month === 12 && day.day >= 29) || (day.month === 1 && day.day <= 3);
}

/** Whether offices are open on a day: a weekday that is neither a national holiday nor a year-end holiday. */
export function isBusinessDay(day: CalendarDay): boolean {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !isYearEndHoliday(day) && holidayName(day) === undefined;
}

/** The first business day on or after `day` (`next`), or on or before it (`previous`). */
export function businessDayFrom(day: CalendarDay, rule: NonBusinessDayRule): CalendarDay {
  const step = rule === "next" ? 1 : -1;
  let current = day;
  // Japan's longest run of closed days (year-end holidays joined to a weekend, Golden Week) is well under 14.
  for (let guard = 0; guard < 14 && !isBusinessDay(current); guard++) current = shiftDays(current, step);
  return current;
}

/**
 * The business day `count` business days after `day` (before it when negative); with 0, `day` itself moved to a
 * business day forward. `day` is normally a business day itself (a deadline's day).
 */
export function addBusinessDays(day: CalendarDay, count: number): CalendarDay {
  let current = businessDayFrom(day, "next");
  const step = count >= 0 ? 1 : -1;
  for (let left = Math.abs(count); left > 0; left--)
    current = businessDayFrom(shiftDays(current, step), step > 0 ? "next" : "previous");
  return current;
}

/** A deadline kept at its time of day, moved off a non-business day as the plan says. */
export function adjustToBusinessDay(instant: Date, rule: NonBusinessDayRule): Date {
  const day = dayOf(instant);
  if (isBusinessDay(day)) return instant;
  const moved = businessDayFrom(day, rule);
  const offset = Date.UTC(moved.year, moved.month - 1, moved.day) - Date.UTC(day.year, day.month - 1, day.day);
  return new Date(instant.getTime() + offset);
}

/** The instant business hours open on a day. */
export function openingOf(day: CalendarDay, hours: BusinessHours): Date {
  return jstInstant(day.year, day.month, day.day, hours.start);
}

/** Whether an instant falls on a business day within business hours. */
export function isWithinBusinessHours(instant: Date, hours: BusinessHours): boolean {
  const day = dayOf(instant);
  if (!isBusinessDay(day)) return false;
  const opening = openingOf(day, hours).getTime();
  const closing = jstInstant(day.year, day.month, day.day, hours.end).getTime();
  return instant.getTime() >= opening && instant.getTime() < closing;
}

/** `instant` itself when offices are open then, else the next business morning (when business hours open). */
export function nextBusinessMoment(instant: Date, hours: BusinessHours): Date {
  if (isWithinBusinessHours(instant, hours)) return instant;
  const day = dayOf(instant);
  if (isBusinessDay(day) && instant.getTime() < openingOf(day, hours).getTime()) return openingOf(day, hours);
  return openingOf(businessDayFrom(shiftDays(day, 1), "next"), hours);
}
