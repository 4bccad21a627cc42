import * as z from "zod/mini";
import type { RoundRequest } from "./round.ts";

const quarterSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const planIdSchema = z.string().check(z.minLength(1), z.maxLength(64));
const fiscalYearSchema = z.int().check(z.gte(1990), z.lte(2100));

/** Input of the QuarterlyCollection workflow: which round, and optionally the deadline the secretariat set. */
export const startRoundInputSchema = z
  .object({
    planId: planIdSchema,
    fiscalYear: fiscalYearSchema,
    quarter: quarterSchema,
    deadline: z.optional(z.iso.datetime({ offset: true })),
    /** When late answers stop and the round closes; must not be before the deadline. */
    closesAt: z.optional(z.iso.datetime({ offset: true })),
  })
  .check(
    z.refine(
      (input) => !input.deadline || !input.closesAt || Date.parse(input.closesAt) >= Date.parse(input.deadline),
      { path: ["closesAt"], params: { ja: "は回答期限より後にしてください", en: "must not be before the deadline" } },
    ),
  );
export type StartRoundInput = z.output<typeof startRoundInputSchema>;

/** The round as it travels between the workflow's states. */
export const roundRefSchema = z.object({
  planId: planIdSchema,
  fiscalYear: z.int(),
  quarter: quarterSchema,
  deadline: z.iso.datetime({ offset: true }),
  closesAt: z.iso.datetime({ offset: true }),
});
export type RoundRef = z.output<typeof roundRefSchema>;

/** One institution as the Map hands it to its iteration. */
export const institutionItemSchema = z.object({
  institutionId: z.string().check(z.minLength(1)),
  answered: z.boolean(),
});
export type InstitutionItem = z.output<typeof institutionItemSchema>;

/** Input of the task that emails a request and waits for its answer. */
export const sendRequestEventSchema = z.object({
  round: roundRefSchema,
  institution: institutionItemSchema,
  taskToken: z.optional(z.string().check(z.minLength(1))),
});

/** Input of the task that reads where one request stands right before the workflow waits for it. */
export const checkRequestEventSchema = z.object({ round: roundRefSchema, institution: institutionItemSchema });

/** Where one request stands, with the wait until the deadline counted from now (not from the round's start). */
export interface RequestCheck {
  institutionId: string;
  status: "answered" | "waiting" | "not-asked";
  waitSeconds: number;
}

/** What MarkRequestOverdue returns: whether the answer came meanwhile, and how long to wait for a late one. */
export interface OverdueResult {
  institutionId: string;
  status: "overdue" | "answered";
  lateWaitSeconds: number;
}

/** Input of the task run when an institution's wait times out. */
export const markOverdueEventSchema = z.object({ round: roundRefSchema, institution: institutionItemSchema });

/** Input of the task that closes a round. */
export const closeRoundEventSchema = z.object({ round: roundRefSchema });

/** What the form sends the waiting task when an institution answers. */
export interface AnsweredOutput {
  institutionId: string;
  status: "answered";
  onTime: boolean;
  version: number;
}

/** The waiting task's output for an answered request, from the request as stored. */
export function answeredOutput(
  request: Pick<RoundRequest, "institutionId" | "answeredOnTime" | "latestVersion">,
): AnsweredOutput {
  return {
    institutionId: request.institutionId,
    status: "answered",
    onTime: request.answeredOnTime ?? false,
    version: request.latestVersion ?? 1,
  };
}

/** The secretariat's own findings and the review meeting's decisions (見直し), added to a draft as text. */
const notesSchema = z._default(
  z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))).check(z.maxLength(50)),
  [],
);
export const secretariatNotesSchema = z.object({ findings: notesSchema, decisions: notesSchema });
export type SecretariatNotes = z.output<typeof secretariatNotesSchema>;

/** Input of the YearEndReview workflow: which year, whether to go on with rounds still open, and notes to add. */
export const startReviewInputSchema = z.object({
  planId: planIdSchema,
  fiscalYear: fiscalYearSchema,
  proceedAnyway: z._default(z.boolean(), false),
  notes: z._default(secretariatNotesSchema, { findings: [], decisions: [] }),
  /** Each approval step lasts this many seconds instead of its days (for trying the circulation out, and tests). */
  stepSeconds: z.optional(z.int().check(z.gte(1), z.lte(86_400))),
  /** The workflow run computing the review (its execution id), set by the workflow itself before ComputeReview. */
  run: z.optional(z.object({ id: z.string().check(z.minLength(1), z.maxLength(2048)) })),
});
export type StartReviewInput = z.output<typeof startReviewInputSchema>;

/** Where the year's four rounds stand when the review is asked for. */
export const roundsCheckSchema = z.extend(startReviewInputSchema, {
  allClosed: z.boolean(),
  notClosed: z.array(z.object({ quarter: quarterSchema, status: z.enum(["open", "not-started"]) })),
});
export type RoundsCheck = z.output<typeof roundsCheckSchema>;

/** A stored draft version, as it travels between the review's states. */
export const reviewRefSchema = z.object({
  planId: planIdSchema,
  fiscalYear: z.int(),
  version: z.int().check(z.gte(1)),
});
export type ReviewRef = z.output<typeof reviewRefSchema>;

/**
 * The custom resource event CloudFormation sends (through CDK's provider framework) for one plan file when the stack
 * deploys. Property values arrive as strings, so the plan travels as JSON text.
 */
export const planResourceEventSchema = z.object({
  RequestType: z.enum(["Create", "Update", "Delete"]),
  PhysicalResourceId: z.optional(z.string()),
  ResourceProperties: z.object({ PlanId: z.string().check(z.minLength(1)), Plan: z.string().check(z.minLength(2)) }),
});

/**
 * A draft version in circulation for approval. `stepSeconds`, when given, replaces every step's deadline in days
 * (for trying the circulation out, and for tests); a real circulation uses the plan's days.
 */
export const circulationRefSchema = z.extend(reviewRefSchema, {
  stepSeconds: z.optional(z.int().check(z.gte(1), z.lte(86_400))),
});
export type CirculationRef = z.output<typeof circulationRefSchema>;

/** One approver to ask, with the seconds left until the step's deadline when asked. */
export const approverItemSchema = z.object({
  approverId: z.string().check(z.minLength(1)),
  waitSeconds: z.int().check(z.gte(1)),
});

/** Where a version's circulation stands, as NextApprovalStep finds it in the table. */
export const circulationStatusSchema = z.discriminatedUnion("status", [
  /** Ask these approvers of this step (again, after an extension), each until the deadline. */
  z.object({
    status: z.literal("ask"),
    step: z.object({ id: z.string(), name: z.string() }),
    deadline: z.iso.datetime({ offset: true }),
    approvers: z.array(approverItemSchema),
  }),
  /** The step's deadline passed with these approvers undecided: the secretariat decides. */
  z.object({
    status: z.literal("late"),
    step: z.object({ id: z.string(), name: z.string() }),
    late: z.array(z.string()),
    asked: z.int().check(z.gte(1)),
    /** How long to wait for the secretariat before looking again (a newer version may supersede this one). */
    waitSeconds: z.int().check(z.gte(1)),
  }),
  z.object({ status: z.literal("changes-requested") }),
  z.object({ status: z.literal("approved"), approvedAt: z.iso.datetime({ offset: true }) }),
  /** A newer version is circulating (or was made): this one's circulation ends. */
  z.object({ status: z.literal("superseded") }),
  /** The plan names no approvers: the draft stays with the secretariat. */
  z.object({ status: z.literal("no-approvals") }),
]);
export type CirculationStatus = z.output<typeof circulationStatusSchema>;

/** Input of the task that asks one approver and waits for the decision. */
export const requestApprovalEventSchema = z.object({
  ref: circulationRefSchema,
  step: z.object({ id: z.string(), name: z.string() }),
  deadline: z.iso.datetime({ offset: true }),
  approver: approverItemSchema,
  taskToken: z.string().check(z.minLength(1)),
});
export type RequestApprovalEvent = z.output<typeof requestApprovalEventSchema>;

/** Input of the task that asks the secretariat about a step's late approvers and waits for its decision. */
export const askAboutLateApproversEventSchema = z.object({
  ref: circulationRefSchema,
  step: z.object({ id: z.string(), name: z.string() }),
  late: z.array(z.string()).check(z.minLength(1)),
  asked: z.int().check(z.gte(1)),
  taskToken: z.string().check(z.minLength(1)),
});
export type AskAboutLateApproversEvent = z.output<typeof askAboutLateApproversEventSchema>;

/** The secretariat's decision about late approvers, as its page posts it. */
export const lateApproversDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("extend"), days: z.pipe(z.transform(Number), z.int().check(z.gte(1), z.lte(30))) }),
  z.object({ decision: z.literal("proceed") }),
]);
export type LateApproversDecision = z.output<typeof lateApproversDecisionSchema>;
export const lateApproversDecisionLabels = {
  decision: { ja: "決定", en: "Decision", choice: true },
  days: { ja: "延長する日数", en: "Days", choice: true },
};

/** What the secretariat is told when it asks to go on without approvers where that is not allowed. */
export const PROCEED_NOT_ALLOWED = {
  path: "decision",
  ja: "このステップは承認者の判断なしでは進められません（最後のステップか、まだ誰も承認していないステップです）。期限を延長してください。",
  en: "This step cannot go on without its approvers (it is the last one, or nobody has approved yet): extend the deadline.",
};
