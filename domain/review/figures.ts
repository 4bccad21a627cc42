import type { TargetRule } from "../plan.ts";

/** How an actual figure stands against its target; `no-target` when there is none or it is 0. */
export type TargetStatus = "achieved" | "nearly" | "not-achieved" | "no-target";

/** 実績 against 目標 for one indicator and fiscal year. `rate` is null when the target is missing or 0. */
export interface Figure {
  actual: number;
  target: number | null;
  rate: number | null;
  status: TargetStatus;
}

/** Compares an actual figure with its target using the plan's thresholds. */
export function compareWithTarget(actual: number, target: number | null, thresholds: TargetRule["thresholds"]): Figure {
  // A zero target has no meaningful rate (x/0); it is shown as having no target rather than as NaN or Infinity.
  if (target === null || target === 0) return { actual, target, rate: null, status: "no-target" };
  const rate = actual / target;
  return { actual, target, rate, status: statusOf(rate, thresholds) };
}

/** The status a rate earns under the plan's thresholds. */
export function statusOf(rate: number, thresholds: TargetRule["thresholds"]): Exclude<TargetStatus, "no-target"> {
  if (rate >= thresholds.achieved) return "achieved";
  if (rate >= thresholds.nearly) return "nearly";
  return "not-achieved";
}

/** a / b, or null when b is 0, so that no rate is ever NaN or Infinity. */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
