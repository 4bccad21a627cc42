import * as z from "zod/mini";
import { idSchema } from "./ids.ts";

/** One person who approves a draft report: an institution's head, or the secretariat's head for the final step. */
export const approverSchema = z.object({
  id: idSchema,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Their position, as the mail addresses them (「理事長」). */
  title: z._default(z.string().check(z.maxLength(100)), ""),
  email: z.email(),
  /** The institution they approve for; absent for the secretariat. */
  institutionId: z.optional(idSchema),
});
export type Approver = z.output<typeof approverSchema>;

/** One step of the approval circulation: its approvers decide in parallel, by a deadline counted from its start. */
export const approvalStepSchema = z.object({
  id: idSchema,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  approvers: z.array(approverSchema).check(z.minLength(1), z.maxLength(50)),
  deadlineDays: z._default(z.int().check(z.gte(1), z.lte(60)), 14),
});
export type ApprovalStep = z.output<typeof approvalStepSchema>;

/**
 * 承認: who approves a draft report, step by step; the last step is the final approval (事務局長), after which the
 * report is published.
 */
export const approvalsSchema = z.object({ steps: z.array(approvalStepSchema).check(z.minLength(1), z.maxLength(5)) });
export type Approvals = z.output<typeof approvalsSchema>;

/** What an approver decided on one version. */
export type ApprovalDecisionKind = "approve" | "request-changes";

/** A decision as the approval page posts it: a comment is required when changes are requested. */
export const approvalDecisionInputSchema = z
  .object({
    decision: z.enum(["approve", "request-changes"]),
    comment: z.pipe(
      z.transform((value: unknown) => (typeof value === "string" ? value.trim() : "")),
      z.string().check(z.maxLength(2000)),
    ),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.decision === "request-changes" && input.comment === "")
        ctx.addIssue({
          code: "custom",
          path: ["comment"],
          params: {
            ja: "を入力してください（修正を求める点を書いてください）",
            en: "is required when asking for changes",
          },
        });
    }),
  );
export type ApprovalDecisionInput = z.output<typeof approvalDecisionInputSchema>;

/** Labels of the decision form's fields. */
export const approvalDecisionLabels = {
  decision: { ja: "判断", en: "Decision", choice: true },
  comment: { ja: "コメント", en: "Comment" },
};

/** One recorded decision of one approver on one version, within one step. */
export interface ApprovalDecision {
  approverId: string;
  stepId: string;
  version: number;
  decision: ApprovalDecisionKind;
  comment: string;
  decidedAt: string;
}

/** Where a step stands for one version. */
export type StepOutcome =
  | { kind: "approved" }
  | { kind: "changes-requested"; requests: ApprovalDecision[] }
  | { kind: "waiting"; undecided: string[] };

/**
 * Where a step stands: changes requested as soon as anyone asks for them; approved when every approver approved or
 * the secretariat decided to go on without them (`proceededWithout`), and at least one approved (a step nobody
 * approved is not approved, whatever was decided about the late); otherwise waiting for the named approvers.
 */
export function stepOutcome(
  step: ApprovalStep,
  version: number,
  decisions: readonly ApprovalDecision[],
  proceededWithout: readonly string[] = [],
): StepOutcome {
  const mine = decisions.filter((decision) => decision.stepId === step.id && decision.version === version);
  const requests = mine.filter((decision) => decision.decision === "request-changes");
  if (requests.length > 0) return { kind: "changes-requested", requests };
  const approved = new Set(mine.filter((decision) => decision.decision === "approve").map((d) => d.approverId));
  const undecided = step.approvers
    .map((approver) => approver.id)
    .filter((id) => !approved.has(id) && (approved.size === 0 || !proceededWithout.includes(id)));
  return undecided.length === 0 ? { kind: "approved" } : { kind: "waiting", undecided };
}

/**
 * Whether the secretariat may go on without a step's late approvers. Never in the last step: the final approval is
 * a person's decision, which the secretariat's staff cannot make in its place (they can only give more time). In
 * an earlier step, only once someone in it approved this version: a step nobody approved is not approved.
 */
export function mayProceedWithout(
  steps: readonly ApprovalStep[],
  stepId: string,
  version: number,
  decisions: readonly ApprovalDecision[],
): boolean {
  const index = steps.findIndex((step) => step.id === stepId);
  if (index < 0 || index === steps.length - 1) return false;
  return decisions.some(
    (decision) => decision.stepId === stepId && decision.version === version && decision.decision === "approve",
  );
}
