import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReview, ReviewAccumulator } from "../../../domain/review/review.ts";
import type { Review } from "../../../domain/review/types.ts";
import { targetYearFor } from "../../../domain/targets.ts";
import { type World, worldArbitrary } from "../../fixtures/review-world.ts";

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Every number anywhere in a value. */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

/** The figures that count something and so may only grow as answers arrive (rates and lists of gaps may not). */
function counts(review: Review): Record<string, number> {
  const figures: Record<string, number> = { planToDate: review.planToDate.actual, cases: review.breakdowns.cases };
  for (const year of review.supportedCases) {
    figures[`new ${year.fiscalYear}`] = year.newCases.actual;
    figures[`continuing ${year.fiscalYear}`] = year.continuingCases.actual;
    figures[`total ${year.fiscalYear}`] = year.total.actual;
  }
  for (const cohort of review.followUp.cohorts) {
    figures[`cohort ${cohort.fiscalYear}`] = cohort.cases;
    for (const year of cohort.years) figures[`cohort ${cohort.fiscalYear} in ${year.fiscalYear}`] = year.supported;
  }
  for (const row of review.breakdowns.byInstitution) {
    figures[`institution ${row.key}`] = row.cases;
    figures[`consultations ${row.key}`] = row.consultations;
    figures[`events ${row.key}`] = row.seminarsAndEvents;
    figures[`agreements ${row.key}`] = row.agreementsConcluded;
  }
  for (const row of [...review.breakdowns.byField, ...review.breakdowns.byRegion, ...review.breakdowns.bySupportKind])
    figures[`row ${row.key}`] = row.cases;
  for (const indicator of review.indicators)
    if (indicator.kind !== "ratio") figures[`indicator ${indicator.id}`] = indicator.value ?? 0;
  return figures;
}

/** Distinct case ids per target year and each case's earliest stated first year, computed without the accumulator. */
function model(world: World) {
  const { plan, input } = world;
  const supported = new Map<number, Set<string>>();
  const firstYear = new Map<string, number>();
  const see = (caseId: string, fiscalYear: number, statedFirst: number) => {
    const target = targetYearFor(plan, fiscalYear);
    supported.set(target, (supported.get(target) ?? new Set()).add(caseId));
    firstYear.set(caseId, Math.min(firstYear.get(caseId) ?? Number.POSITIVE_INFINITY, statedFirst, fiscalYear));
  };
  for (const earlier of input.earlierCases) see(earlier.caseId, earlier.fiscalYear, earlier.firstFiscalYear);
  for (const answer of input.submissions)
    for (const reported of answer.report.cases) see(reported.caseId, input.fiscalYear, reported.firstFiscalYear);
  return { supported, firstYear };
}

describe("year-end review properties", () => {
  it("splits each target year's distinct cases into new and continuing, never both", () => {
    fc.assert(
      fc.property(worldArbitrary({ consistent: false }), (world) => {
        const review = computeReview(world.input);
        const { supported, firstYear } = model(world);
        for (const year of review.supportedCases) {
          const ids = [...(supported.get(year.fiscalYear) ?? [])];
          const isNew = (id: string) => targetYearFor(world.plan, firstYear.get(id) ?? 0) === year.fiscalYear;
          expect(year.newCases.actual).toBe(ids.filter(isNew).length);
          expect(year.continuingCases.actual).toBe(ids.filter((id) => !isNew(id)).length);
          expect(year.newCases.actual + year.continuingCases.actual).toBe(year.total.actual);
          expect(year.total.actual).toBe(ids.length);
        }
      }),
    );
  });

  it("has totals equal to the sum of the breakdowns that partition the cases", () => {
    fc.assert(
      fc.property(worldArbitrary({ consistent: false }), (world) => {
        const review = computeReview(world.input);
        const { breakdowns } = review;
        // Each case has one field and one municipality (the latest report's), so these two partition the cases.
        expect(sum(breakdowns.byField.map((row) => row.cases))).toBe(breakdowns.cases);
        expect(sum(breakdowns.byRegion.map((row) => row.cases))).toBe(breakdowns.cases);
        // A case reported by k institutions appears in k institution rows, and a case may have several kinds, so
        // those two only bound the total from above; with no shared case the institution rows add up exactly.
        const institutionSum = sum(breakdowns.byInstitution.map((row) => row.cases));
        expect(institutionSum).toBeGreaterThanOrEqual(breakdowns.cases);
        if (breakdowns.sharedCases === 0) expect(institutionSum).toBe(breakdowns.cases);
        expect(institutionSum - breakdowns.cases).toBeGreaterThanOrEqual(breakdowns.sharedCases);
        expect(sum(breakdowns.bySupportKind.map((row) => row.cases))).toBeGreaterThanOrEqual(breakdowns.cases);

        const indicator = (id: string) => review.indicators.find((candidate) => candidate.id === id)?.value;
        expect(indicator("consultations")).toBe(sum(breakdowns.byInstitution.map((row) => row.consultations)));
        expect(indicator("seminars-and-events")).toBe(
          sum(breakdowns.byInstitution.map((row) => row.seminarsAndEvents)),
        );
        expect(indicator("agreements")).toBe(sum(breakdowns.byInstitution.map((row) => row.agreementsConcluded)));

        // The year's row of the target table holds the same cases, plus earlier years folded into the first one.
        const yearRow = review.supportedCases.find((row) => row.fiscalYear === review.fiscalYear);
        if (yearRow && yearRow.includesFiscalYears.length === 0) expect(yearRow.total.actual).toBe(breakdowns.cases);
        expect(review.planToDate.actual).toBe(sum(review.supportedCases.map((row) => row.total.actual)));
        // Each case belongs to exactly one cohort; a year before the first target year has no cohort yet.
        const cohortCases = sum(review.followUp.cohorts.map((cohort) => cohort.cases));
        const beforeTargets = review.fiscalYear < world.plan.targets.firstTargetYear;
        expect(cohortCases).toBe(beforeTargets ? 0 : model(world).firstYear.size);
        const completeness = review.completeness;
        expect(completeness.onTime + completeness.late + completeness.missing).toBe(completeness.expected);
      }),
    );
  });

  it("never gives a NaN or infinite figure, and stays plain JSON", () => {
    fc.assert(
      fc.property(worldArbitrary({ consistent: false }), (world) => {
        const review = computeReview(world.input);
        expect(numbersIn(review).every(Number.isFinite)).toBe(true);
        expect(JSON.stringify(review)).not.toMatch(/NaN|Infinity/);
        expect(JSON.parse(JSON.stringify(review))).toStrictEqual(review);
      }),
    );
  });

  it("never lowers a count when one more answer arrives", () => {
    fc.assert(
      fc.property(worldArbitrary({ consistent: true }), (world) => {
        const { input } = world;
        const last = input.submissions.at(-1);
        fc.pre(last !== undefined);
        const accumulator = new ReviewAccumulator(input.plan, input.fiscalYear);
        for (const earlier of input.earlierCases) accumulator.addEarlierCase(earlier);
        for (const answer of input.submissions.slice(0, -1)) accumulator.addSubmission(answer);
        const before = counts(accumulator.finish({ requests: input.requests, now: input.now }));
        if (last) accumulator.addSubmission(last);
        const after = counts(accumulator.finish({ requests: input.requests, now: input.now }));
        for (const [name, value] of Object.entries(before)) expect(after[name], name).toBeGreaterThanOrEqual(value);
      }),
    );
  });

  it("does not depend on the order answers and earlier cases are fed in", () => {
    fc.assert(
      fc.property(worldArbitrary({ consistent: false }), fc.integer(), (world, seed) => {
        const shuffle = <T>(items: readonly T[]): T[] => {
          const copy = [...items];
          let state = seed >>> 0;
          for (let index = copy.length - 1; index > 0; index--) {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            const other = state % (index + 1);
            [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
          }
          return copy;
        };
        const shuffled = {
          ...world.input,
          submissions: shuffle(world.input.submissions),
          earlierCases: shuffle(world.input.earlierCases),
        };
        expect(computeReview(shuffled)).toStrictEqual(computeReview(world.input));
      }),
    );
  });
});
