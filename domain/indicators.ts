/**
 * The figures an indicator may be built from, each with the only aggregation that makes sense for it: distinct cases
 * for the `cases.*` flags, sums for amounts and activity counts.
 */
export const INDICATOR_FIELDS = {
  "cases.supported": { aggregation: "count", unit: "件", label: "支援案件数" },
  "cases.commercialised": { aggregation: "count", unit: "件", label: "事業化した案件数" },
  "cases.jointResearch": { aggregation: "count", unit: "件", label: "共同研究を行った案件数" },
  "cases.salesYen": { aggregation: "sum", unit: "円", label: "売上額" },
  "cases.patentApplications": { aggregation: "sum", unit: "件", label: "特許出願件数" },
  "counts.consultations": { aggregation: "sum", unit: "件", label: "相談対応件数" },
  "counts.seminarsAndEvents": { aggregation: "sum", unit: "件", label: "セミナー・イベント開催件数" },
  "counts.agreementsConcluded": { aggregation: "sum", unit: "件", label: "協定締結件数" },
} as const;
/** A figure an indicator may be built from. */
export type IndicatorField = keyof typeof INDICATOR_FIELDS;
/** The year's value of every indicator field. */
export type IndicatorTotals = Record<IndicatorField, number>;
