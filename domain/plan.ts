import * as z from "zod";
import { approvalsSchema } from "./approvals.ts";
import { idSchema } from "./ids.ts";
import { indicatorListSchema } from "./indicators.ts";
import { type Checked, check, type FieldLabels } from "./validation.ts";

const contactSchema = z.object({ name: z.string().min(1).max(100), email: z.email() });

/** 地域経済牽引支援機関: a partner institution that reports each quarter; the one with `lead` is 代表機関. */
export const institutionSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  shortName: z.string().min(1).max(50),
  lead: z.boolean().default(false),
  role: z.string().max(2000).default(""),
  contacts: z.array(contactSchema).min(1).max(10),
});
export type Institution = z.output<typeof institutionSchema>;

/** 事務局: runs the cycle and approves its steps. */
export const secretariatSchema = z.object({
  name: z.string().min(1).max(200),
  contacts: z.array(contactSchema).min(1),
});
export type Secretariat = z.output<typeof secretariatSchema>;

/** A business field the plan supports (事業分野). */
export const businessFieldSchema = z.object({ id: idSchema, name: z.string().min(1).max(100) });
export type BusinessField = z.output<typeof businessFieldSchema>;

/** A municipality with an agreed basic plan (基本計画), and the plan's fields that match it. */
export const municipalitySchema = z.object({
  name: z.string().min(1).max(50),
  region: z.string().min(1).max(50),
  basicPlan: z.string().min(1).max(100),
  fields: z.array(idSchema).min(1),
});
export type Municipality = z.output<typeof municipalitySchema>;

/**
 * The target rule (目標): `newCasesPerYear` new supported cases each fiscal year from `firstTargetYear`, each
 * followed up in its first `followUpYears` fiscal years (フォローアップ). Cases first supported in an earlier
 * fiscal year of the plan period count with `firstTargetYear` (the reference plan's first column covers 2017–2018).
 */
export const targetRuleSchema = z.object({
  newCasesPerYear: z.int().min(0).max(100_000),
  followUpYears: z.int().min(1).max(20),
  firstTargetYear: z.int().min(1990).max(2100),
  thresholds: z
    .object({ achieved: z.number().min(0).max(10), nearly: z.number().min(0).max(10) })
    .default({ achieved: 1, nearly: 0.8 }),
});
export type TargetRule = z.output<typeof targetRuleSchema>;

/**
 * When requests go out and answers are due, counted in the month after each quarter (Asia/Tokyo), and how many
 * days after the deadline a round stays open for late answers before it closes.
 */
export const collectionSchema = z.object({
  requestDay: z.int().min(1).max(28).default(1),
  deadlineDay: z.int().min(1).max(28).default(15),
  deadlineHour: z.int().min(0).max(23).default(17),
  lateAnswerDays: z.int().min(0).max(90).default(7),
});

/**
 * The most institutions a plan may have: what one collection round's execution provably holds under Step Functions'
 * quotas (25,000 history events, 256 KiB of state), with a quarter to spare; test/workflows/capacity.test.ts measures
 * the round's cost per institution and fails if this is raised past it.
 */
export const MAX_INSTITUTIONS = 450;

/** 連携支援計画: the plan period, its secretariat, institutions, fields, municipalities, targets and cadence. */
export const planSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    period: z.object({ firstFiscalYear: z.int().min(1990).max(2100), lastFiscalYear: z.int().min(1990).max(2100) }),
    secretariat: secretariatSchema,
    institutions: z.array(institutionSchema).min(1).max(MAX_INSTITUTIONS),
    fields: z.array(businessFieldSchema).min(1).max(50),
    municipalities: z.array(municipalitySchema).max(2000).default([]),
    targets: targetRuleSchema,
    collection: collectionSchema.default({ requestDay: 1, deadlineDay: 15, deadlineHour: 17, lateAnswerDays: 7 }),
    indicators: indicatorListSchema.default([]),
    /** Who approves each year's report before it is published; none means the secretariat's draft stays a draft. */
    approvals: approvalsSchema.optional(),
    /** What the published report may show: business names only when the plan says so (and its partners agreed). */
    publication: z
      .object({ businessNames: z.enum(["hidden", "public"]).default("hidden") })
      .default({ businessNames: "hidden" }),
  })
  .superRefine((plan, ctx) => {
    if (plan.period.lastFiscalYear < plan.period.firstFiscalYear)
      ctx.addIssue({
        code: "custom",
        path: ["period", "lastFiscalYear"],
        params: { ja: "は計画の最初の年度以降にしてください", en: "must not be before the first fiscal year" },
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
            params: { ja: `（${fieldId}）は計画の事業分野にありません`, en: `(${fieldId}) is not a field of the plan` },
          });
      });
    });
  });
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
