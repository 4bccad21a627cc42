import * as z from "zod/mini";
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
/** Cases one answer may report. */
export const MAX_CASES_PER_REPORT = 300;
/** Rows one posted form may carry: every case reported before (prefilled) and the spare rows for new ones. */
export const MAX_FORM_ROWS = 1000;

/** What a case id looks like, shown beside the field and in its error. */
export const CASE_ID_EXAMPLE = "HKD-2024-001";

/** The hidden field that marks a form row as a case the institution reported before (prefilled). */
export const KNOWN_CASE_FIELD = "known";

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);
const numberFromText = (value: unknown) => {
  const blank = blankToUndefined(value);
  if (typeof blank !== "string") return blank;
  const normalized = blank.normalize("NFKC").replace(/[,，\s]/g, "");
  return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : blank;
};
const checkbox = (value: unknown) => value === true || value === "on" || value === "true" || value === "1";

/** `schema` after `read` turns what was posted (text, mostly) into what it checks. */
function preprocess<S extends z.core.$ZodType>(read: (value: unknown) => unknown, schema: S) {
  return z.pipe(z.transform(read), schema);
}

const count = (max: number) => preprocess(numberFromText, z.int().check(z.gte(0), z.lte(max)));
const requiredText = (max: number) => preprocess(trimmed, z.string().check(z.minLength(1), z.maxLength(max)));
const optionalText = (max: number) => preprocess((value) => trimmed(value ?? ""), z.string().check(z.maxLength(max)));

/**
 * Stable case id shared by every institution and every quarter that reports the same case. Built with the form's
 * schema, like every field here, so that what only needs this module's words (the review reads SUPPORT_KINDS)
 * bundles no schema.
 */
const caseId = () =>
  preprocess(
    (value) => (typeof value === "string" ? value.normalize("NFKC").trim() : value),
    z.string().check(
      z.minLength(1),
      z.maxLength(40),
      z.refine((value) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value), {
        params: {
          ja: `は半角英数字・ハイフン・下線で入力してください（例：${CASE_ID_EXAMPLE}）`,
          en: `may use A-Z, a-z, 0-9, - and _ (e.g. ${CASE_ID_EXAMPLE})`,
        },
      }),
    ),
  );

function hasText(row: Record<string, unknown>, key: string): boolean {
  const value = row[key];
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Whether a posted row is part of the answer: a spare row for a new case left blank (no typed text at all) is not,
 * nor is a prefilled case whose activity this quarter is left blank, which is how the form says "not supported this
 * quarter". Such rows stay in place (as null) until the end, so every error names the row the person saw.
 */
export function isReportedRow(row: unknown): boolean {
  if (typeof row !== "object" || row === null) return false;
  const fields = row as Record<string, unknown>;
  if (fields[KNOWN_CASE_FIELD] === "1") return hasText(fields, "activity");
  return ["caseId", "businessName", "municipality", "activity"].some((key) => hasText(fields, key));
}

/** Rows as posted: a list, or the object a form parser makes of numbered fields; anything else is no rows. */
export function formRows(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") {
    const rows: unknown[] = [];
    for (const [key, row] of Object.entries(value)) if (/^\d{1,4}$/.test(key)) rows[Number(key)] = row;
    return Array.from(rows, (row) => row ?? {});
  }
  return [];
}

const EMPTY_NARRATIVE = { initiatives: "", issues: "", nextSteps: "" };

/** The quarterly form's schema (実施状況の照会への回答), bound to one plan's fields, municipalities and period. */
export function quarterlyReportSchema(plan: Plan, fiscalYear: FiscalYear) {
  const fieldIds = plan.fields.map((field) => field.id) as [string, ...string[]];
  const municipalityNames = new Set(plan.municipalities.map((municipality) => municipality.name));
  const municipality = requiredText(TEXT_LIMITS.municipality).check(
    z.refine(
      // A plan that lists its municipalities (those with a basic plan) takes cases there only; one that lists none
      // takes any name.
      (name) => municipalityNames.size === 0 || municipalityNames.has(name),
      { params: { ja: "は一覧から選んでください", en: "must be chosen from the plan's municipalities" } },
    ),
  );
  const supportedCase = z.object({
    caseId: caseId(),
    businessName: requiredText(TEXT_LIMITS.businessName),
    municipality,
    field: preprocess(blankToUndefined, z.enum(fieldIds)),
    firstFiscalYear: preprocess(numberFromText, z.int().check(z.gte(plan.period.firstFiscalYear), z.lte(fiscalYear))),
    supportKinds: preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.enum(Object.keys(SUPPORT_KINDS) as [SupportKind, ...SupportKind[]])).check(
        z.refine((kinds) => kinds.length > 0, {
          params: { ja: "を1つ以上選んでください", en: "needs at least one kind ticked" },
        }),
      ),
    ),
    activity: requiredText(TEXT_LIMITS.activity),
    outcomes: preprocess(
      (value) => value ?? {},
      z.object({
        commercialised: preprocess(checkbox, z.boolean()),
        salesYen: preprocess((value) => numberFromText(value) ?? 0, z.int().check(z.gte(0), z.lte(1e13))),
        patentApplications: preprocess((value) => numberFromText(value) ?? 0, z.int().check(z.gte(0), z.lte(1000))),
        jointResearch: preprocess(checkbox, z.boolean()),
      }),
    ),
  });
  const posted = preprocess(
    (input) => {
      if (typeof input !== "object" || input === null) return input;
      const fields = input as Record<string, unknown>;
      const nothingToReport = checkbox(fields.nothingToReport);
      return {
        ...fields,
        nothingToReport,
        // Rows that are not part of the answer keep their place as null, so errors carry the row numbers seen.
        cases: formRows(fields.cases).map((row) => (isReportedRow(row) ? row : null)),
        // "Nothing to report" needs no counts typed: they are zero.
        counts: nothingToReport ? { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 } : fields.counts,
      };
    },
    z.object({
      nothingToReport: z.boolean(),
      cases: z.array(z.nullable(supportedCase)).check(z.maxLength(MAX_FORM_ROWS)),
      counts: z.object({
        consultations: count(100_000),
        seminarsAndEvents: count(10_000),
        agreementsConcluded: count(10_000),
      }),
      narrative: preprocess(
        (value) => value ?? {},
        z.object({
          initiatives: optionalText(TEXT_LIMITS.narrative),
          issues: optionalText(TEXT_LIMITS.narrative),
          nextSteps: optionalText(TEXT_LIMITS.narrative),
        }),
      ),
    }),
  );
  return z.pipe(
    posted.check(
      z.superRefine((report, ctx) => {
        const seen = new Map<string, number>();
        let reported = 0;
        report.cases.forEach((supported, index) => {
          if (!supported) return;
          reported++;
          const earlier = seen.get(supported.caseId);
          if (earlier !== undefined)
            ctx.addIssue({
              code: "custom",
              path: ["cases", index, "caseId"],
              params: {
                ja: `が支援案件${earlier + 1}と同じです（同じ案件は1行にまとめてください）`,
                en: `repeats case ${earlier + 1} (report each case once)`,
              },
            });
          seen.set(supported.caseId, index);
        });
        if (reported > MAX_CASES_PER_REPORT)
          ctx.addIssue({
            code: "custom",
            path: ["cases"],
            params: {
              ja: `は1回の報告で${MAX_CASES_PER_REPORT}件までです`,
              en: `allow at most ${MAX_CASES_PER_REPORT} per answer`,
            },
          });
        if (report.nothingToReport && reported > 0)
          ctx.addIssue({
            code: "custom",
            path: ["nothingToReport"],
            params: {
              ja: "を選んだ場合は支援案件を入力しないでください",
              en: "cannot come with supported cases",
            },
          });
      }),
    ),
    z.transform((report) => ({
      nothingToReport: report.nothingToReport,
      cases: report.cases.filter((supported) => supported !== null),
      counts: report.counts,
      narrative: report.nothingToReport ? { ...EMPTY_NARRATIVE, ...report.narrative } : report.narrative,
    })),
  );
}

/** A validated quarterly answer. `nothingToReport` is the explicit 報告事項なし: no cases, counts all zero. */
export type QuarterlyReport = z.output<ReturnType<typeof quarterlyReportSchema>>;
/** 支援案件 as reported in one quarter. */
export type ReportedCase = QuarterlyReport["cases"][number];

export const quarterlyReportLabels: FieldLabels = {
  cases: { ja: "支援案件", en: "Supported cases" },
  nothingToReport: { ja: "「報告事項なし」", en: "“Nothing to report”" },
  "cases.*.caseId": { ja: "支援案件{1}の案件番号", en: "Case id (case {1})" },
  "cases.*.businessName": { ja: "支援案件{1}の事業者・事業名", en: "Business name (case {1})" },
  "cases.*.municipality": { ja: "支援案件{1}の市町村", en: "Municipality (case {1})", choice: true },
  "cases.*.field": { ja: "支援案件{1}の事業分野", en: "Business field (case {1})", choice: true },
  "cases.*.firstFiscalYear": {
    ja: "支援案件{1}の支援開始年度",
    en: "First fiscal year of support (case {1})",
    choice: true,
  },
  "cases.*.supportKinds": { ja: "支援案件{1}の支援の種類", en: "Kinds of support (case {1})" },
  "cases.*.activity": { ja: "支援案件{1}の今期の支援内容", en: "This quarter's activity (case {1})" },
  "cases.*.outcomes.salesYen": { ja: "支援案件{1}の売上額（円）", en: "Sales in yen (case {1})" },
  "cases.*.outcomes.patentApplications": { ja: "支援案件{1}の特許出願件数", en: "Patent applications (case {1})" },
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
