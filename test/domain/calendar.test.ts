import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  eraOf,
  fiscalYearEraLabel,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearPeriod,
  formatJapaneseDate,
  jstInstant,
  quarterOf,
  quarterPeriod,
  roundDeadline,
} from "../../domain/calendar.ts";

describe("fiscal calendar", () => {
  it("starts the fiscal year on April 1 in Asia/Tokyo, not in UTC", () => {
    // 2024-03-31T15:00Z is already April 1 in Japan.
    expect(fiscalYearOf(new Date("2024-03-31T14:59:59Z"))).toBe(2023);
    expect(fiscalYearOf(new Date("2024-03-31T15:00:00Z"))).toBe(2024);
  });

  it("names quarters Q1 Apr–Jun to Q4 Jan–Mar of the next calendar year", () => {
    expect(quarterOf(jstInstant(2024, 4, 1))).toBe(1);
    expect(quarterOf(jstInstant(2024, 6, 30, 23, 59))).toBe(1);
    expect(quarterOf(jstInstant(2024, 7, 1))).toBe(2);
    expect(quarterOf(jstInstant(2024, 12, 31))).toBe(3);
    expect(quarterOf(jstInstant(2025, 1, 1))).toBe(4);
    expect(fiscalYearOf(jstInstant(2025, 3, 31, 23, 59))).toBe(2024);
    expect(quarterPeriod(2024, 4)).toEqual({ start: jstInstant(2025, 1, 1), end: jstInstant(2025, 4, 1) });
  });

  it("places every instant in exactly the quarter whose period contains it", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1990-01-01"), max: new Date("2090-01-01"), noInvalidDate: true }),
        (date) => {
          const fy = fiscalYearOf(date);
          const q = quarterOf(date);
          const { start, end } = quarterPeriod(fy, q);
          const year = fiscalYearPeriod(fy);
          return start <= date && date < end && year.start <= date && date < year.end;
        },
      ),
    );
  });

  it("changes era from 平成31年 to 令和元年 on 2019-05-01", () => {
    expect(eraOf(jstInstant(2019, 4, 30))).toEqual({ era: "平成", eraYear: 31 });
    expect(eraOf(jstInstant(2019, 5, 1))).toEqual({ era: "令和", eraYear: 1 });
    expect(formatJapaneseDate(jstInstant(2019, 4, 30))).toBe("平成31年4月30日（火）");
    expect(formatJapaneseDate(jstInstant(2019, 5, 1))).toBe("令和元年5月1日（水）");
    expect(eraOf(jstInstant(1989, 1, 7))).toEqual({ era: "昭和", eraYear: 64 });
    expect(eraOf(jstInstant(1989, 1, 8))).toEqual({ era: "平成", eraYear: 1 });
  });

  it("names fiscal years in era form", () => {
    expect(fiscalYearEraLabel(2024)).toBe("令和6年度");
    expect(fiscalYearLabel(2024)).toBe("2024年度（令和6年度）");
    expect(fiscalYearEraLabel(2019)).toBe("令和元年度");
    expect(fiscalYearEraLabel(2018)).toBe("平成30年度");
    expect(fiscalYearEraLabel(1988)).toBe("昭和63年度");
  });

  it("puts a round's deadline in the month after its quarter, in Japan time", () => {
    const calendar = { requestDay: 1, deadlineDay: 15, deadlineHour: 17 };
    expect(roundDeadline(2019, 1, calendar).toISOString()).toBe("2019-07-15T08:00:00.000Z");
    expect(roundDeadline(2019, 4, calendar).toISOString()).toBe("2020-04-15T08:00:00.000Z");
    expect(formatJapaneseDate(roundDeadline(2019, 1, calendar), { withTime: true })).toBe(
      "令和元年7月15日（月）17時00分",
    );
  });
});
