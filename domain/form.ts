import * as z from "zod";
import type { FiscalYear } from "./calendar.ts";
import type { Plan } from "./plan.ts";
import { type Checked, check, type FieldLabels } from "./validation.ts";

/** Kinds of support an institution gives a case; the labels are what the form and the report show. */
export const SUPPORT_KINDS = {
  technical: "技術支援・助言",
  research: "研究開発・共同研究",
  commercialisation: "製品化・事業化",
  market: "販路開拓",
  finance: "金融支援（融資・出資）",
  management: "経営支援",
  people: "人材育成",
  other: "その他",
} as const;
export type SupportKind = keyof typeof SUPPORT_KINDS;

export const TEXT_LIMITS = { businessName: 200, municipality: 50, activity: 2000, narrative: 4000 } as const;
export const MAX_CASES_PER_REPORT = 300;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);
const numberFromText = (value: unknown) => {
  const blank = blankToUndefined(value);
  if (typeof blank !== "string") return blank;
  const normalized = blank.normalize("NFKC").replace(/[,，\s]/g, "");
  return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : blank;
};
const checkbox = (value: unknown) => value === true || value === "on" || value === "true" || value === "1";

const count = (max: number) => z.preprocess(numberFromText, z.int().min(0).max(max));
const requiredText = (max: number) => z.preprocess(trimmed, z.string().min(1).max(max));
const optionalText = (max: number) => z.preprocess((value) => trimmed(value ?? ""), z.string().max(max));

/** Stable case id shared by every institution and every quarter that reports the same case. */
export const caseIdSchema = z.preprocess(
  (value) => (typeof value === "string" ? value.normalize("NFKC").trim() : value),
  z
    .string()
    .min(1)
    .max(40)
    .refine((value) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value), {
      params: { ja: "は半角英数字・ハイフン・下線で入力してください", en: "may use A-Z, a-z, 0-9, - and _" },
    }),
);

/** The quarterly form's schema (実施状況の照会への回答), bound to one plan's fields and period. */
export function quarterlyReportSchema(plan: Plan, fiscalYear: FiscalYear) {
  const fieldIds = plan.fields.map((field) => field.id) as [string, ...string[]];
  const supportedCase = z.object({
    caseId: caseIdSchema,
    businessName: requiredText(TEXT_LIMITS.businessName),
    municipality: requiredText(TEXT_LIMITS.municipality),
    field: z.preprocess(blankToUndefined, z.enum(fieldIds)),
    firstFiscalYear: z.preprocess(numberFromText, z.int().min(plan.period.firstFiscalYear).max(fiscalYear)),
    supportKinds: z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.enum(Object.keys(SUPPORT_KINDS) as [SupportKind, ...SupportKind[]])).min(1),
    ),
    activity: requiredText(TEXT_LIMITS.activity),
    outcomes: z.preprocess(
      (value) => value ?? {},
      z.object({
        commercialised: z.preprocess(checkbox, z.boolean()),
        salesYen: z.preprocess((value) => numberFromText(value) ?? 0, z.int().min(0).max(1e13)),
        patentApplications: z.preprocess((value) => numberFromText(value) ?? 0, z.int().min(0).max(1000)),
        jointResearch: z.preprocess(checkbox, z.boolean()),
      }),
    ),
  });
  return z
    .object({
      cases: z.preprocess((value) => value ?? [], z.array(supportedCase).max(MAX_CASES_PER_REPORT)),
      counts: z.object({
        consultations: count(100_000),
        seminarsAndEvents: count(10_000),
        agreementsConcluded: count(10_000),
      }),
      narrative: z.preprocess(
        (value) => value ?? {},
        z.object({
          initiatives: optionalText(TEXT_LIMITS.narrative),
          issues: optionalText(TEXT_LIMITS.narrative),
          nextSteps: optionalText(TEXT_LIMITS.narrative),
        }),
      ),
    })
    .superRefine((report, ctx) => {
      const seen = new Map<string, number>();
      report.cases.forEach((supported, index) => {
        const earlier = seen.get(supported.caseId);
        if (earlier !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["cases", index, "caseId"],
            params: {
              ja: `が${earlier + 1}件目と同じです（同じ案件は1行にまとめてください）`,
              en: `repeats row ${earlier + 1} (report each case once)`,
            },
          });
        seen.set(supported.caseId, index);
      });
    });
}

/** A validated quarterly answer. */
export type QuarterlyReport = z.output<ReturnType<typeof quarterlyReportSchema>>;
/** 支援案件 as reported in one quarter. */
export type ReportedCase = QuarterlyReport["cases"][number];

export const quarterlyReportLabels: FieldLabels = {
  cases: { ja: "支援案件", en: "Supported cases" },
  "cases.*.caseId": { ja: "案件番号", en: "Case id" },
  "cases.*.businessName": { ja: "事業者・事業名", en: "Business name" },
  "cases.*.municipality": { ja: "市町村", en: "Municipality" },
  "cases.*.field": { ja: "事業分野", en: "Business field" },
  "cases.*.firstFiscalYear": { ja: "支援開始年度", en: "First fiscal year of support" },
  "cases.*.supportKinds": { ja: "支援の種類", en: "Kinds of support" },
  "cases.*.activity": { ja: "今期の支援内容", en: "This quarter's activity" },
  "cases.*.outcomes.salesYen": { ja: "売上額（円）", en: "Sales (yen)" },
  "cases.*.outcomes.patentApplications": { ja: "特許出願件数", en: "Patent applications" },
  "counts.consultations": { ja: "相談対応件数", en: "Consultations" },
  "counts.seminarsAndEvents": { ja: "セミナー・イベント開催件数", en: "Seminars and events" },
  "counts.agreementsConcluded": { ja: "協定締結件数", en: "Agreements concluded" },
  "narrative.initiatives": { ja: "今期の主な取組", en: "Initiatives" },
  "narrative.issues": { ja: "課題", en: "Issues" },
  "narrative.nextSteps": { ja: "今後の予定", en: "Next steps" },
};

/** Checks one quarterly answer against the plan; every wrong field is named in Japanese and English. */
export function checkQuarterlyReport(plan: Plan, fiscalYear: FiscalYear, input: unknown): Checked<QuarterlyReport> {
  return check(quarterlyReportSchema(plan, fiscalYear), input, quarterlyReportLabels);
}

/** The hidden field that marks a form row as a case the institution reported before (prefilled). */
export const KNOWN_CASE_FIELD = "known";

/**
 * Drops the rows that are not part of the answer before validation, rather than reporting them as missing: a spare
 * row for a new case left blank (no typed text at all), and a prefilled case whose activity this quarter is left
 * blank, which is how the form says "not supported this quarter".
 */
export function dropBlankCaseRows(rows: unknown): unknown {
  if (!Array.isArray(rows)) return rows;
  const hasText = (row: Record<string, unknown>, key: string) => {
    const value = row[key];
    return typeof value === "string" && value.trim() !== "";
  };
  return rows.filter((row) => {
    if (typeof row !== "object" || row === null) return false;
    const fields = row as Record<string, unknown>;
    if (fields[KNOWN_CASE_FIELD] === "1") return hasText(fields, "activity");
    return ["caseId", "businessName", "municipality", "activity"].some((key) => hasText(fields, key));
  });
}
