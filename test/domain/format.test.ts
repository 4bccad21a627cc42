import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatFiscalYears,
  formatNumber,
  formatOneDecimal,
  formatPercent,
  formatPercentage,
  formatThreshold,
  percentOf,
  targetYearLabel,
} from "../../domain/format.ts";

describe("number formatting", () => {
  it("groups digits by three, keeping a sign and a fraction as they are", () => {
    expect([0, 999, 1_000, 1_234_567, -1_234_567.5, 0.25].map(formatNumber)).toEqual([
      "0",
      "999",
      "1,000",
      "1,234,567",
      "-1,234,567.5",
      "0.25",
    ]);
  });

  it("rounds an average to one decimal that always shows", () => {
    expect([4, 4.25, 2 / 3].map(formatOneDecimal)).toEqual(["4.0", "4.3", "0.7"]);
  });
});

describe("percent formatting", () => {
  it("shows seed 004's 22 of 59 as 37.3%, and a rate in a table cell the same way", () => {
    expect(formatPercent(22 / 59)).toBe("37.3%");
    expect(percentOf(22 / 59)).toBe(37.3);
    expect(formatPercentage(37.3)).toBe("37.3%");
    expect(percentOf(null)).toBeNull();
  });

  it("reads the same in a sentence as in the table beside it, for any rate", () => {
    // The summary mail, the findings and the report's tables format rates through different entry points; a rate
    // must never read 16.6% in one and 16.7% in another.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (part, whole) => {
        const rate = part / whole;
        expect(formatPercent(rate)).toBe(formatPercentage(percentOf(rate)));
      }),
    );
  });

  it("shows the plan's thresholds as round figures, keeping a decimal only when one is set", () => {
    expect([1, 0.8, 0.825].map(formatThreshold)).toEqual(["100%", "80%", "82.5%"]);
  });
});

describe("fiscal year lists", () => {
  it("joins years with 「・」 and folds earlier years into a target year's label", () => {
    expect(formatFiscalYears([2019, 2020])).toBe("2019年度・2020年度");
    expect(targetYearLabel(2018, [2016, 2017])).toBe("2018年度（2016年度・2017年度を含む）");
    expect(targetYearLabel(2019)).toBe("2019年度");
  });
});
