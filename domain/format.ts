import type { FiscalYear } from "./calendar.ts";

// How numbers read in everything the platform writes for people (mail, status page, findings, report), in one
// place, so that a rate reads the same in the summary mail, in a finding and in the report's tables.

/** "1,200,000": digits grouped by three, as Japanese reports print amounts. */
export function formatNumber(value: number): string {
  const [whole = "0", fraction] = String(Math.abs(value)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** "4.0": a figure that is not a whole number (an average), with one decimal. */
export function formatOneDecimal(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

function roundedPercentage(rate: number): number {
  return Math.round(rate * 1000) / 10;
}

/** A rate as a percentage rounded to one decimal, as a number (0.3729 → 37.3), so that data and text round alike. */
export function percentOf(rate: number): number;
export function percentOf(rate: number | null): number | null;
export function percentOf(rate: number | null): number | null {
  return rate === null ? null : roundedPercentage(rate);
}

/** "37.3%": a percentage already rounded by `percentOf` (a report table's cell), with one decimal. */
export function formatPercentage(percentage: number): string {
  return `${percentage.toFixed(1)}%`;
}

/** "37.3%": a rate (0.3729) as a percentage with one decimal, the way every rate is shown. */
export function formatPercent(rate: number): string {
  return formatPercentage(roundedPercentage(rate));
}

/** "100%", "80%": a threshold the plan sets; thresholds are round figures and read better without a decimal. */
export function formatThreshold(rate: number): string {
  return `${roundedPercentage(rate)}%`;
}

/** "2019年度・2020年度": fiscal years in a sentence or a table cell. */
export function formatFiscalYears(fiscalYears: readonly FiscalYear[]): string {
  return fiscalYears.map((fiscalYear) => `${fiscalYear}年度`).join("・");
}

/** "2018年度", or "2018年度（2017年度を含む）" when earlier years' cases count with it. */
export function targetYearLabel(fiscalYear: FiscalYear, includes: readonly FiscalYear[] = []): string {
  if (includes.length === 0) return `${fiscalYear}年度`;
  return `${fiscalYear}年度（${formatFiscalYears(includes)}を含む）`;
}
