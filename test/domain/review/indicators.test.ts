import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { IndicatorTotals } from "../../../domain/indicators.ts";
import { parsePlanText } from "../../../domain/plan-file.ts";
import { evaluateIndicators } from "../../../domain/review/indicators.ts";
import { REFERENCE_PLAN_FILE, referencePlan } from "../../fixtures/plans.ts";

const totals: IndicatorTotals = {
  "cases.supported": 59,
  "cases.commercialised": 22,
  "cases.jointResearch": 4,
  "cases.salesYen": 123_456_789,
  "cases.patentApplications": 48,
  "counts.consultations": 0,
  "counts.seminarsAndEvents": 5,
  "counts.agreementsConcluded": 1,
};

function planWithIndicators(indicators: unknown[]) {
  const content = parse(readFileSync(REFERENCE_PLAN_FILE, "utf8"));
  content.indicators = indicators;
  return parsePlanText(JSON.stringify(content));
}

describe("indicators", () => {
  it("are defined in the reference plan: the commercialisation rate and six sums and counts", () => {
    const plan = referencePlan();
    expect(plan.indicators.map((indicator) => [indicator.id, indicator.kind])).toEqual([
      ["commercialisation-rate", "ratio"],
      ["sales", "sum"],
      ["patent-applications", "sum"],
      ["joint-research", "count"],
      ["consultations", "sum"],
      ["seminars-and-events", "sum"],
      ["agreements", "sum"],
    ]);
  });

  it("display seed 004's 22 of 59 as 37.3%, amounts grouped by three, each with its unit", () => {
    const results = evaluateIndicators(referencePlan().indicators, totals, { achieved: 1, nearly: 0.8 });
    expect(results.map((result) => result.display)).toEqual([
      "37.3%",
      "123,456,789円",
      "48件",
      "4件",
      "0件",
      "5件",
      "1件",
    ]);
  });

  it("compare with a target when one is set; a ratio's target is a fraction", () => {
    const results = evaluateIndicators(
      [
        {
          id: "rate",
          name: "事業化率",
          kind: "ratio",
          numerator: "cases.commercialised",
          denominator: "cases.supported",
          target: 0.4,
        },
        { id: "patents", name: "特許出願件数", kind: "sum", of: "cases.patentApplications", target: 40 },
        { id: "joint", name: "共同研究", kind: "count", of: "cases.jointResearch", target: 10 },
        { id: "zero", name: "相談", kind: "sum", of: "counts.consultations", target: 0 },
      ],
      totals,
      { achieved: 1, nearly: 0.8 },
    );
    expect(results.map((result) => [result.status, result.targetDisplay])).toEqual([
      ["nearly", "40.0%"],
      ["achieved", "40件"],
      ["not-achieved", "10件"],
      ["no-target", "0件"],
    ]);
    expect(results[3]?.rate).toBeNull();
  });

  it("refuse a field read with the wrong kind, a ratio without its denominator and a repeated id", () => {
    const checked = planWithIndicators([
      { id: "a", name: "売上件数", kind: "count", of: "cases.salesYen" },
      { id: "b", name: "率", kind: "ratio", numerator: "cases.commercialised" },
      { id: "c", name: "相談", kind: "sum", of: "counts.consultations" },
      { id: "c", name: "相談2", kind: "sum", of: "counts.consultations" },
      { id: "d", name: "不明", kind: "sum", of: "cases.unknown" },
    ]);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((error) => error.path).sort()).toEqual(
      ["indicators.0.of", "indicators.1.denominator", "indicators.3.id", "indicators.4.of"].sort(),
    );
    expect(checked.errors.find((error) => error.path === "indicators.3.id")?.ja).toContain("が重複しています");
  });

  it("default to none in a plan file that defines none", () => {
    const checked = planWithIndicators([]);
    const content = parse(readFileSync(REFERENCE_PLAN_FILE, "utf8"));
    delete content.indicators;
    const without = parsePlanText(JSON.stringify(content));
    expect([checked.ok, without.ok && without.value.indicators]).toEqual([true, []]);
  });
});
