import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  adjustToBusinessDay,
  type CalendarDay,
  holidayName,
  isBusinessDay,
  isWithinBusinessHours,
  nextBusinessMoment,
} from "../../domain/business-days.ts";
import { jstInstant } from "../../domain/calendar.ts";

const day = (year: number, month: number, date: number): CalendarDay => ({ year, month, day: date });
const hours = { start: 9, end: 18 };

describe("Japanese business days", () => {
  it("closes on weekends, national holidays, 振替休日 and the year-end holidays 12/29–1/3", () => {
    expect(isBusinessDay(day(2024, 6, 14))).toBe(true); // Friday
    expect(isBusinessDay(day(2024, 6, 15))).toBe(false); // Saturday
    expect(isBusinessDay(day(2024, 7, 15))).toBe(false); // 海の日
    expect(holidayName(day(2024, 5, 6))).toContain("振替休日"); // こどもの日 fell on a Sunday
    expect(isBusinessDay(day(2024, 5, 6))).toBe(false);
    expect(isBusinessDay(day(2024, 12, 27))).toBe(true);
    for (const date of [day(2024, 12, 30), day(2024, 12, 31), day(2025, 1, 2), day(2025, 1, 3)])
      expect(isBusinessDay(date), JSON.stringify(date)).toBe(false);
    expect(isBusinessDay(day(2025, 1, 6))).toBe(true);
  });

  it("counts business days across Golden Week and the New Year", () => {
    expect(addBusinessDays(day(2024, 4, 26), 1)).toEqual(day(2024, 4, 30)); // 4/29 昭和の日
    expect(addBusinessDays(day(2024, 5, 2), 1)).toEqual(day(2024, 5, 7)); // 5/3–5/6
    expect(addBusinessDays(day(2020, 1, 15), -3)).toEqual(day(2020, 1, 9)); // 1/13 成人の日
    expect(addBusinessDays(day(2024, 12, 27), 1)).toEqual(day(2025, 1, 6));
    expect(addBusinessDays(day(2024, 12, 27), 0)).toEqual(day(2024, 12, 27));
  });

  it("moves a deadline off a Saturday, a holiday, Golden Week and the year-end holidays as the plan says", () => {
    const cases: Array<[Date, Date, Date]> = [
      // Saturday 2022-10-15
      [jstInstant(2022, 10, 15, 17), jstInstant(2022, 10, 17, 17), jstInstant(2022, 10, 14, 17)],
      // 海の日 2024-07-15 (Monday)
      [jstInstant(2024, 7, 15, 17), jstInstant(2024, 7, 16, 17), jstInstant(2024, 7, 12, 17)],
      // Golden Week 2025: 5/3 Sat, 5/4 Sun, 5/5 Mon, 5/6 振替休日
      [jstInstant(2025, 5, 5, 17), jstInstant(2025, 5, 7, 17), jstInstant(2025, 5, 2, 17)],
      // the year-end holidays, then a weekend
      [jstInstant(2025, 1, 2, 17), jstInstant(2025, 1, 6, 17), jstInstant(2024, 12, 27, 17)],
    ];
    for (const [deadline, next, previous] of cases) {
      expect(adjustToBusinessDay(deadline, "next")).toEqual(next);
      expect(adjustToBusinessDay(deadline, "previous")).toEqual(previous);
    }
    const open = jstInstant(2024, 7, 16, 17);
    expect(adjustToBusinessDay(open, "previous")).toBe(open);
  });

  it("sends what would fall outside business hours at the next business morning", () => {
    expect(nextBusinessMoment(jstInstant(2024, 7, 12, 18, 30), hours)).toEqual(jstInstant(2024, 7, 16, 9));
    expect(nextBusinessMoment(jstInstant(2024, 7, 16, 7), hours)).toEqual(jstInstant(2024, 7, 16, 9));
    const open = jstInstant(2024, 7, 16, 10, 15);
    expect(nextBusinessMoment(open, hours)).toBe(open);
    expect(nextBusinessMoment(jstInstant(2024, 12, 28, 12), hours)).toEqual(jstInstant(2025, 1, 6, 9));
  });

  it("always lands in business hours on a business day, whenever it starts", () => {
    const start = jstInstant(2018, 1, 1).getTime();
    const end = jstInstant(2039, 12, 1).getTime();
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), (at) => {
        const moved = nextBusinessMoment(new Date(at), hours);
        expect(isWithinBusinessHours(moved, hours)).toBe(true);
        expect(moved.getTime()).toBeGreaterThanOrEqual(at);
      }),
    );
  });
});
