import * as z from "zod/mini";
import { idSchema } from "./ids.ts";

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

const fieldsOf = (aggregation: "count" | "sum") =>
  (Object.keys(INDICATOR_FIELDS) as IndicatorField[]).filter(
    (field) => INDICATOR_FIELDS[field].aggregation === aggregation,
  ) as [IndicatorField, ...IndicatorField[]];
const anyField = z.enum(Object.keys(INDICATOR_FIELDS) as [IndicatorField, ...IndicatorField[]]);

const common = {
  id: idSchema,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  target: z.optional(z.number().check(z.gte(0), z.lte(1e15))),
  unit: z.optional(z.string().check(z.minLength(1), z.maxLength(10))),
};

/**
 * 指標: a named figure of the plan file. `count` reads a per-case flag (distinct cases), `sum` an amount or activity
 * count; `ratio` divides `numerator` by `denominator`, is shown as a percentage and has its `target` written as a
 * fraction (0.4 for 40%). A field read with the wrong kind is refused, so a count of yen cannot be written.
 */
export const indicatorSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("count"), of: z.enum(fieldsOf("count")) }),
  z.object({ ...common, kind: z.literal("sum"), of: z.enum(fieldsOf("sum")) }),
  z.object({ ...common, kind: z.literal("ratio"), numerator: anyField, denominator: anyField }),
]);
/** An indicator as defined in a plan file. */
export type IndicatorDefinition = z.output<typeof indicatorSchema>;

/** A plan's indicators; ids are unique so that a report can link to each. */
export const indicatorListSchema = z.array(indicatorSchema).check(
  z.maxLength(50),
  z.superRefine(
    (indicators, ctx) => {
      const seen = new Set<string>();
      indicators.forEach((indicator, index) => {
        // This runs even when an entry failed its own schema (see `when`), so its id is read defensively.
        const id: unknown = (indicator as { id?: unknown } | null)?.id;
        if (typeof id !== "string") return;
        if (seen.has(id))
          ctx.addIssue({
            code: "custom",
            path: [index, "id"],
            params: { ja: "が重複しています", en: "is used twice" },
          });
        seen.add(id);
      });
    },
    // A repeated id is reported together with the entries' other mistakes, not only once those are fixed.
    { when: (payload) => Array.isArray(payload.value) },
  ),
);
