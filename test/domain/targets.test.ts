import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandTargets } from "../../domain/targets.ts";
import { referencePlan } from "../fixtures/plans.ts";

describe("target table", () => {
  it("equals seed 001's table for the reference plan: 10, 20, 30, 30, 30 = 120", () => {
    const table = expandTargets(referencePlan());
    expect(table.years.map((year) => [year.fiscalYear, year.newCases, year.continuingCases, year.total])).toEqual([
      [2018, 10, 0, 10],
      [2019, 10, 10, 20],
      [2020, 10, 20, 30],
      [2021, 10, 20, 30],
      [2022, 10, 20, 30],
    ]);
    expect(table.years[0]?.includesFiscalYears).toEqual([2017]);
    expect(table.total).toBe(120);
  });

  it("never owes more follow-up than the cohorts still inside their follow-up years", () => {
    const base = referencePlan();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        (newCasesPerYear, followUpYears, length) => {
          const plan = {
            ...base,
            period: { firstFiscalYear: 2020, lastFiscalYear: 2020 + length - 1 },
            targets: { ...base.targets, newCasesPerYear, followUpYears, firstTargetYear: 2020 },
          };
          const table = expandTargets(plan);
          const sum = table.years.reduce((total, year) => total + year.newCases + year.continuingCases, 0);
          // Each cohort is counted in min(followUpYears, years left in the plan) years.
          let expected = 0;
          for (let start = 0; start < length; start++)
            expected += newCasesPerYear * Math.min(followUpYears, length - start);
          return (
            table.total === sum &&
            sum === expected &&
            table.years.every((year) => year.continuingCases <= year.newCases * (followUpYears - 1))
          );
        },
      ),
    );
  });
});
