import { formatNumber, formatPercent } from "../format.ts";
import { INDICATOR_FIELDS, type IndicatorTotals } from "../indicators.ts";
import type { IndicatorDefinition } from "../plan.ts";
import { compareWithTarget, type Figure, ratioOrNull, type Thresholds } from "../targets.ts";

/** One indicator's value for the year under review, with its display text and its standing against any target. */
export interface IndicatorResult {
  id: string;
  name: string;
  kind: IndicatorDefinition["kind"];
  unit: string;
  /** null for a ratio whose denominator is 0. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  display: string;
  target: number | null;
  targetDisplay: string | null;
  rate: number | null;
  status: Figure["status"];
}

/** "37.3%", "1,500,000円", "3件"; a ratio with nothing to divide by is "—". */
export function formatIndicatorValue(kind: IndicatorDefinition["kind"], value: number | null, unit: string): string {
  if (value === null) return "—";
  return kind === "ratio" ? formatPercent(value) : `${formatNumber(value)}${unit}`;
}

/** Evaluates a plan's indicators on the year's totals. */
export function evaluateIndicators(
  definitions: readonly IndicatorDefinition[],
  totals: IndicatorTotals,
  thresholds: Thresholds,
): IndicatorResult[] {
  return definitions.map((definition) => {
    const unit = definition.kind === "ratio" ? "%" : (definition.unit ?? INDICATOR_FIELDS[definition.of].unit);
    let value: number | null;
    let numerator: number | null = null;
    let denominator: number | null = null;
    if (definition.kind === "ratio") {
      numerator = totals[definition.numerator];
      denominator = totals[definition.denominator];
      value = ratioOrNull(numerator, denominator);
    } else value = totals[definition.of];
    const target = definition.target ?? null;
    // A ratio that cannot be computed cannot be compared either; it is "not achieved" only when a figure exists.
    const figure =
      value === null ? { rate: null, status: "no-target" as const } : compareWithTarget(value, target, thresholds);
    return {
      id: definition.id,
      name: definition.name,
      kind: definition.kind,
      unit,
      value,
      numerator,
      denominator,
      display: formatIndicatorValue(definition.kind, value, unit),
      target,
      targetDisplay: target === null ? null : formatIndicatorValue(definition.kind, target, unit),
      rate: figure.rate,
      status: figure.status,
    };
  });
}
