import * as z from "zod/mini";
import { approvalsSchema } from "./approvals.ts";
import { COLLECTION_DEFAULTS, collectionSchema, escalationSchema } from "./collection-settings.ts";
import { HOLIDAY_YEARS } from "./holiday-years.ts";
import { idSchema } from "./ids.ts";
import { INDICATOR_FIELDS, type IndicatorField } from "./indicators.ts";
import { type Checked, check, type FieldLabels } from "./validation.ts";

/** A required text of at most `max` characters. */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const year = z.int().check(z.gte(1990), z.lte(2100));

const contactSchema = z.object({ name: text(100), email: z.email() });

/** 地域経済牽引支援機関: a partner institution that reports each quarter; the one with `lead` is 代表機関. */
export const institutionSchema = z.object({
  id: idSchema,
  name: text(200),
  shortName: text(50),
  lead: z._default(z.boolean(), false),
  role: z._default(z.string().check(z.maxLength(2000)), ""),
  contacts: z.array(contactSchema).check(z.minLength(1), z.maxLength(10)),
  /**
   * Who is told when the institution's answer is long overdue (its head, say); without it, the lead institution's
   * contacts are, and for the lead institution itself the secretariat alone.
   */
  escalationContacts: z.optional(z.array(contactSchema).check(z.minLength(1), z.maxLength(5))),
});
export type Institution = z.output<typeof institutionSchema>;

/** 事務局: runs the cycle and approves its steps. */
export const secretariatSchema = z.object({
  name: text(200),
  contacts: z.array(contactSchema).check(z.minLength(1)),
});
export type Secretariat = z.output<typeof secretariatSchema>;

/** A business field the plan supports (事業分野). */
export const businessFieldSchema = z.object({ id: idSchema, name: text(100) });
export type BusinessField = z.output<typeof businessFieldSchema>;

/** A municipality with an agreed basic plan (基本計画), and the plan's fields that match it. */
export const municipalitySchema = z.object({
  name: text(50),
  region: text(50),
  basicPlan: text(100),
  fields: z.array(idSchema).check(z.minLength(1)),
});
export type Municipality = z.output<typeof municipalitySchema>;

/**
 * The target rule (目標): `newCasesPerYear` new supported cases each fiscal year from `firstTargetYear`, each
 * followed up in its first `followUpYears` fiscal years (フォローアップ). Cases first supported in an earlier
 * fiscal year of the plan period count with `firstTargetYear` (the reference plan's first column covers 2017–2018).
 */
export const targetRuleSchema = z.object({
  newCasesPerYear: z.int().check(z.gte(0), z.lte(100_000)),
  followUpYears: z.int().check(z.gte(1), z.lte(20)),
  firstTargetYear: year,
  thresholds: z._default(
    z.object({ achieved: z.number().check(z.gte(0), z.lte(10)), nearly: z.number().check(z.gte(0), z.lte(10)) }),
    { achieved: 1, nearly: 0.8 },
  ),
});
export type TargetRule = z.output<typeof targetRuleSchema>;

const fieldsOf = (aggregation: "count" | "sum") =>
  (Object.keys(INDICATOR_FIELDS) as IndicatorField[]).filter(
    (field) => INDICATOR_FIELDS[field].aggregation === aggregation,
  ) as [IndicatorField, ...IndicatorField[]];
const anyField = z.enum(Object.keys(INDICATOR_FIELDS) as [IndicatorField, ...IndicatorField[]]);

const indicatorBase = {
  id: idSchema,
  name: text(100),
  target: z.optional(z.number().check(z.gte(0), z.lte(1e15))),
  unit: z.optional(text(10)),
};

/**
 * 指標: a named figure of the plan file. `count` reads a per-case flag (distinct cases), `sum` an amount or activity
 * count; `ratio` divides `numerator` by `denominator`, is shown as a percentage and has its `target` written as a
 * fraction (0.4 for 40%). A field read with the wrong kind is refused, so a count of yen cannot be written.
 */
export const indicatorSchema = z.discriminatedUnion("kind", [
  z.object({ ...indicatorBase, kind: z.literal("count"), of: z.enum(fieldsOf("count")) }),
  z.object({ ...indicatorBase, kind: z.literal("sum"), of: z.enum(fieldsOf("sum")) }),
  z.object({ ...indicatorBase, kind: z.literal("ratio"), numerator: anyField, denominator: anyField }),
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

/**
 * The most institutions a plan may have. The collection round's definition provably holds far more: it waits as a
 * round, not per institution, and its history grows by about 2.2 events per institution with the most reminders a
 * plan may set (test/workflows/capacity.test.ts measures it and fails if this is raised past three quarters of what
 * the definition holds; bench/round-cost.ts prints the figures). 1,000 is the target the platform was asked to hold;
 * the plan item (below) is what limits a plan of long institution entries first.
 */
export const MAX_INSTITUTIONS = 1000;

/**
 * The largest plan, as JSON, the table keeps in its one plan item: DynamoDB's items hold 400 KB, keys and
 * attribute names included.
 */
export const MAX_PLAN_BYTES = 350 * 1024;

/** 連携支援計画: the plan period, its secretariat, institutions, fields, municipalities, targets and cadence. */
export const planSchema = z
  .object({
    id: idSchema,
    name: text(200),
    period: z.object({ firstFiscalYear: year, lastFiscalYear: year }),
    secretariat: secretariatSchema,
    institutions: z.array(institutionSchema).check(z.minLength(1), z.maxLength(MAX_INSTITUTIONS)),
    fields: z.array(businessFieldSchema).check(z.minLength(1), z.maxLength(50)),
    municipalities: z._default(z.array(municipalitySchema).check(z.maxLength(2000)), []),
    targets: targetRuleSchema,
    collection: z._default(collectionSchema, COLLECTION_DEFAULTS),
    /** Whom an institution's long-overdue answer is escalated to, and when; none means no escalation. */
    escalation: z.optional(escalationSchema),
    indicators: z._default(indicatorListSchema, []),
    /** Who approves each year's report before it is published; none means the secretariat's draft stays a draft. */
    approvals: z.optional(approvalsSchema),
    /** What the published report may show: business names only when the plan says so (and its partners agreed). */
    publication: z._default(z.object({ businessNames: z._default(z.enum(["hidden", "public"]), "hidden") }), {
      businessNames: "hidden",
    }),
  })
  .check(
    z.superRefine((plan, ctx) => {
      if (plan.period.lastFiscalYear < plan.period.firstFiscalYear)
        ctx.addIssue({
          code: "custom",
          path: ["period", "lastFiscalYear"],
          params: { ja: "は計画の最初の年度以降にしてください", en: "must not be before the first fiscal year" },
        });
      // A round's dates need that year's holidays (a Q4 round's fall in the next calendar year).
      if (plan.period.firstFiscalYear < HOLIDAY_YEARS.first || plan.period.lastFiscalYear + 1 > HOLIDAY_YEARS.last)
        ctx.addIssue({
          code: "custom",
          path: ["period"],
          params: {
            ja: `は${HOLIDAY_YEARS.first}年度〜${HOLIDAY_YEARS.last - 1}年度の範囲にしてください（祝日の暦がある年）`,
            en: `must lie within FY${HOLIDAY_YEARS.first}–${HOLIDAY_YEARS.last - 1}, the years whose holidays are known`,
          },
        });
      const bytes = new TextEncoder().encode(JSON.stringify(plan)).length;
      if (bytes > MAX_PLAN_BYTES)
        ctx.addIssue({
          code: "custom",
          path: [],
          params: {
            ja: `計画全体が大きすぎます（${Math.ceil(bytes / 1024)} KB、上限 ${MAX_PLAN_BYTES / 1024} KB）。支援機関の役割などの記述を短くしてください`,
            en: `The plan is too large (${Math.ceil(bytes / 1024)} KB, at most ${MAX_PLAN_BYTES / 1024} KB): shorten the institutions' descriptions`,
          },
        });
      const first = plan.targets.firstTargetYear;
      if (first < plan.period.firstFiscalYear || first > plan.period.lastFiscalYear)
        ctx.addIssue({
          code: "custom",
          path: ["targets", "firstTargetYear"],
          params: { ja: "は計画期間内の年度にしてください", en: "must fall within the plan period" },
        });
      const leads = plan.institutions.filter((institution) => institution.lead).length;
      if (leads !== 1)
        ctx.addIssue({
          code: "custom",
          path: ["institutions"],
          params: {
            ja: `の代表機関（lead: true）はちょうど1つにしてください（現在${leads}）`,
            en: `must have exactly one lead institution (found ${leads})`,
          },
        });
      const ids = new Set<string>();
      plan.institutions.forEach((institution, index) => {
        if (ids.has(institution.id))
          ctx.addIssue({
            code: "custom",
            path: ["institutions", index, "id"],
            params: { ja: "が重複しています", en: "is used twice" },
          });
        ids.add(institution.id);
      });
      const approverIds = new Set<string>();
      plan.approvals?.steps.forEach((step, stepIndex) => {
        step.approvers.forEach((approver, approverIndex) => {
          const path = ["approvals", "steps", stepIndex, "approvers", approverIndex];
          if (approverIds.has(approver.id))
            ctx.addIssue({
              code: "custom",
              path: [...path, "id"],
              params: { ja: "が重複しています", en: "is used twice" },
            });
          approverIds.add(approver.id);
          if (approver.institutionId && !ids.has(approver.institutionId))
            ctx.addIssue({
              code: "custom",
              path: [...path, "institutionId"],
              params: {
                ja: `（${approver.institutionId}）は計画の支援機関にありません`,
                en: `(${approver.institutionId}) is not an institution of the plan`,
              },
            });
        });
      });
      const fieldIds = new Set(plan.fields.map((field) => field.id));
      plan.municipalities.forEach((municipality, index) => {
        municipality.fields.forEach((fieldId, fieldIndex) => {
          if (!fieldIds.has(fieldId))
            ctx.addIssue({
              code: "custom",
              path: ["municipalities", index, "fields", fieldIndex],
              params: {
                ja: `（${fieldId}）は計画の事業分野にありません`,
                en: `(${fieldId}) is not a field of the plan`,
              },
            });
        });
      });
    }),
  );
export type Plan = z.output<typeof planSchema>;

const planLabels: FieldLabels = {
  id: { ja: "計画ID", en: "Plan id" },
  name: { ja: "計画名", en: "Plan name" },
  period: { ja: "計画期間", en: "Plan period" },
  secretariat: { ja: "事務局", en: "Secretariat" },
  fields: { ja: "事業分野", en: "Business fields" },
  targets: { ja: "目標", en: "Targets" },
  municipalities: { ja: "市町村", en: "Municipalities" },
  "period.firstFiscalYear": { ja: "計画期間の最初の年度", en: "First fiscal year" },
  "period.lastFiscalYear": { ja: "計画期間の最後の年度", en: "Last fiscal year" },
  "secretariat.name": { ja: "事務局名", en: "Secretariat name" },
  institutions: { ja: "支援機関", en: "Institutions" },
  "institutions.*.id": { ja: "支援機関ID", en: "Institution id" },
  "institutions.*.name": { ja: "支援機関名", en: "Institution name" },
  "institutions.*.contacts.*.email": { ja: "担当者のメールアドレス", en: "Contact email" },
  "targets.newCasesPerYear": { ja: "年度ごとの新規支援件数", en: "New cases per year" },
  "targets.followUpYears": { ja: "フォローアップ年度数", en: "Follow-up years" },
  "targets.firstTargetYear": { ja: "最初の目標年度", en: "First target year" },
  "municipalities.*.fields.*": { ja: "市町村の事業分野", en: "Municipality field" },
  "approvals.steps.*.approvers": { ja: "承認ステップ{1}の承認者", en: "Approvers of approval step {1}" },
  "collection.nonBusinessDeadline": {
    ja: "休日に当たる回答期限の扱い",
    en: "Deadline on a non-business day",
    choice: true,
  },
  "collection.businessHours.end": { ja: "督促を送る時間帯の終了時刻", en: "Business hours: end" },
  "collection.reminders.*.businessDays": { ja: "督促{1}の営業日数", en: "Reminder {1}: business days" },
  "escalation.afterBusinessDays": { ja: "上申までの営業日数", en: "Escalation: business days overdue" },
  "institutions.*.escalationContacts.*.email": {
    ja: "支援機関{1}の上申先{2}のメールアドレス",
    en: "Institution {1}, escalation contact {2}: email",
  },
  "approvals.steps.*.approvers.*.id": {
    ja: "承認ステップ{1}の承認者{2}のID",
    en: "Approver {2} of approval step {1}: id",
  },
  "approvals.steps.*.approvers.*.email": {
    ja: "承認ステップ{1}の承認者{2}のメールアドレス",
    en: "Approver {2} of approval step {1}: email",
  },
  "approvals.steps.*.approvers.*.institutionId": {
    ja: "承認ステップ{1}の承認者{2}の支援機関",
    en: "Approver {2} of approval step {1}: institution",
  },
};

/** Checks a plan file's parsed content; every wrong field is named. */
export function checkPlan(input: unknown): Checked<Plan> {
  return check(planSchema, input, planLabels);
}

/** The lead institution (代表機関). */
export function leadInstitution(plan: Plan): Institution {
  const lead = plan.institutions.find((institution) => institution.lead);
  if (!lead) throw new Error(`Plan ${plan.id} has no lead institution`);
  return lead;
}
