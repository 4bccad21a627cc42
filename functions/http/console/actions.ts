import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { approvalDecisionInputSchema, approvalDecisionLabels } from "../../../domain/approvals.ts";
import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import { LinkUsedError } from "../../../domain/errors.ts";
import type { ConsoleMessageCode } from "../../../domain/html/console/messages.ts";
import { draftExecutionName, roundId } from "../../../domain/keys.ts";
import type { Plan } from "../../../domain/plan.ts";
import { check, type FieldError } from "../../../domain/validation.ts";
import {
  lateApproversDecisionLabels,
  lateApproversDecisionSchema,
  PROCEED_NOT_ALLOWED,
  secretariatNotesSchema,
} from "../../../domain/workflow-events.ts";
import { decideApproval, decideLateApprovers } from "../../use-cases/decide-approval.ts";
import { RoundNotStartedError, startRound } from "../../use-cases/start-round.ts";
import type { ConsoleContext } from "./context.ts";
import type { SignedIn } from "./session.ts";
import { versionsOf } from "./views.ts";

/** What an action did: a message code for the page it returns to, or the fields to correct on the same page. */
export type ActionResult = { done: ConsoleMessageCode } | { errors: FieldError[] };

const notesLabels = {
  findings: { ja: "事務局の所見", en: "Findings" },
  "findings.*": { ja: "事務局の所見（{1}行目）", en: "Findings (line {1})" },
  decisions: { ja: "見直しの方針", en: "Decisions" },
  "decisions.*": { ja: "見直しの方針（{1}行目）", en: "Decisions (line {1})" },
};

function lines(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Starts the year's review with the findings and decisions typed in (what `pdca draft --notes` does): the
 * YearEndReview makes a new draft version with them and circulates it; recorded in the year's audit.
 */
export async function startDraft(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const checked = check(
    secretariatNotesSchema,
    { findings: lines(form.findings), decisions: lines(form.decisions) },
    notesLabels,
  );
  if (!checked.ok) return { errors: checked.errors };
  await context.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: context.reviewWorkflowArn,
      name: draftExecutionName(plan.id, fiscalYear, now),
      input: JSON.stringify({
        planId: plan.id,
        fiscalYear,
        proceedAnyway: form.proceedAnyway === "1",
        notes: checked.value,
      }),
    }),
  );
  await context.table.console.audit(
    {
      at: now.toISOString(),
      actor: `secretariat:${viewer.email}`,
      channel: "console",
      action: "draft-started",
      target: `report/${plan.id}/${fiscalYear}`,
      detail: `所見${checked.value.findings.length}件・方針${checked.value.decisions.length}件${form.proceedAnyway === "1" ? "・未締切の照会があっても実施" : ""}`,
    },
    context.newId(),
    { planId: plan.id, fiscalYear },
  );
  return { done: "draft-started" };
}

/**
 * The secretariat's decision about a step's late approvers, the same one its mailed link offers: whichever is used
 * first decides, and the other is told it was decided.
 */
export async function decideLate(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const checked = check(lateApproversDecisionSchema, form, lateApproversDecisionLabels);
  if (!checked.ok) return { errors: checked.errors };
  const newest = (await versionsOf(context, plan.id, fiscalYear))[0];
  const ref = { planId: plan.id, fiscalYear, version: newest?.version ?? 0 };
  const open = (await context.table.approvals.openStepDecisionLinks(ref)).find((link) => link.stepId === form.stepId);
  if (!newest || !open) return { done: "already-decided" };
  try {
    const outcome = await decideLateApprovers(context, {
      steps: plan.approvals?.steps ?? [],
      link: open,
      linkHash: open.linkHash,
      decision: checked.value,
      at: now,
      channel: "console",
      auditId: context.newId(),
      actor: `secretariat:${viewer.email}`,
    });
    if (outcome.kind === "proceed-not-allowed") return { errors: [PROCEED_NOT_ALLOWED] };
  } catch (error) {
    if (error instanceof LinkUsedError) return { done: "already-decided" };
    throw error;
  }
  return { done: checked.value.decision === "extend" ? "extended" : "proceeded" };
}

/**
 * The viewer's own approval, when the viewer is an approver the circulation waits for: decided through the same
 * link record the mailed link uses, so the link then says it was used.
 */
export async function decideOwnApproval(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const checked = check(approvalDecisionInputSchema, form, approvalDecisionLabels);
  if (!checked.ok) return { errors: checked.errors };
  const approvers = plan.approvals?.steps.flatMap((step) => step.approvers) ?? [];
  const newest = (await versionsOf(context, plan.id, fiscalYear))[0];
  const mine = (await context.table.approvals.listApprovalLinks(plan.id, fiscalYear)).find(
    (link) =>
      link.version === Number(form.version) &&
      link.version === newest?.version &&
      !newest.approvedAt &&
      !newest.changesRequestedAt &&
      !link.usedAt &&
      Date.parse(link.expiresAt) >= now.getTime() &&
      approvers.find((approver) => approver.id === link.approverId)?.email.toLowerCase() === viewer.email.toLowerCase(),
  );
  if (!mine) return { done: "already-decided" };
  try {
    const decision = await decideApproval(context, {
      link: mine,
      linkHash: mine.linkHash,
      decision: checked.value.decision,
      comment: checked.value.comment,
      at: now,
      channel: "console",
      auditId: context.newId(),
    });
    return { done: decision.decision === "approve" ? "approved" : "changes-requested" };
  } catch (error) {
    if (error instanceof LinkUsedError) return { done: "already-decided" };
    throw error;
  }
}

/** Starts a round now (the same start as the schedule's and the CLI's), with the plan's calendar deadline. */
export async function startRoundNow(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  now: Date,
): Promise<ActionResult> {
  try {
    const started = await startRound(
      { sfn: context.sfn, collectionArn: context.collectionWorkflowArn, table: context.table },
      { planId: plan.id, fiscalYear, quarter },
    );
    await context.table.console.audit(
      {
        at: now.toISOString(),
        actor: `secretariat:${viewer.email}`,
        channel: "console",
        action: "round-started",
        target: roundId(plan.id, fiscalYear, quarter),
        ...(started.resumed ? { detail: "再開（回答済みの機関には送らない）" } : {}),
      },
      context.newId(),
      { planId: plan.id, fiscalYear },
    );
    return { done: started.resumed ? "round-resumed" : "round-started" };
  } catch (error) {
    if (!(error instanceof RoundNotStartedError)) throw error;
    return { done: error.reason === "closed" ? "round-closed" : "round-running" };
  }
}
