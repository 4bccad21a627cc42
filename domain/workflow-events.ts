import * as z from "zod/mini";

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
    /**
     * Runs the round's own calendar (request day to deadline, with its business days) in this many real seconds,
     * for trying a round out and for tests; a real round leaves it out.
     */
    compressed: z.optional(z.object({ deadlineSeconds: z.int().check(z.gte(10), z.lte(7 * 86_400)) })),
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

/**
 * Institutions a round's Map hands each iteration: the Map carries only batch numbers, so a round's state holds no
 * bytes per institution, and one Lambda call mails at most this many (well within a Lambda's time: see README).
 */
export const INSTITUTIONS_PER_BATCH = 25;

/** The batch numbers of a plan's institutions, as the round's Maps iterate over them. */
export function batchesOf(institutions: number): number[] {
  return Array.from({ length: Math.ceil(institutions / INSTITUTIONS_PER_BATCH) }, (_, index) => index);
}

/** The institutions of one batch, in plan order. */
export function batchOf<T>(institutions: readonly T[], batch: number): T[] {
  return institutions.slice(batch * INSTITUTIONS_PER_BATCH, (batch + 1) * INSTITUTIONS_PER_BATCH);
}

const batchSchema = z.int().check(z.gte(0), z.lte(1000));

/** Input of the task that emails one batch of institutions their requests. */
export const sendRequestEventSchema = z.object({ round: roundRefSchema, batch: batchSchema });

/** The moment the round waits for, as NextMoment hands it on (domain/round-schedule.ts). */
export const nextMomentSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: z.enum(["opened", "reminder", "overdue-notice", "deadline", "escalation", "close"]),
  at: z.iso.datetime({ offset: true }),
});

/** Input of the task that finds the round's next moment after the one it acted on last. */
export const nextMomentEventSchema = z.object({ round: roundRefSchema, after: z.optional(z.string()) });

/** Input of the task that acts on one batch of institutions at a moment. */
export const actOnMomentEventSchema = z.object({ round: roundRefSchema, moment: nextMomentSchema, batch: batchSchema });

/** Input of the task that closes a round. */
export const closeRoundEventSchema = z.object({ round: roundRefSchema });

/** A reminder the secretariat sends now: to one institution, or to every one that has not answered. */
export const remindNowInputSchema = z.object({
  planId: planIdSchema,
  fiscalYear: fiscalYearSchema,
  quarter: quarterSchema,
  institutionId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** Who asked for it, for the audit trail. */
  actor: z._default(z.string().check(z.minLength(1), z.maxLength(200)), "secretariat"),
});
export type RemindNowInput = z.output<typeof remindNowInputSchema>;

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
