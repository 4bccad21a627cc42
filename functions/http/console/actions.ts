import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { approvalDecisionInputSchema, approvalDecisionLabels } from "../../../domain/approvals.ts";
import { type FiscalYear, formatJapaneseDate, type Quarter } from "../../../domain/calendar.ts";
import { checkDeadlineExtension, checkLateAcceptance } from "../../../domain/console/round-actions.ts";
import { LinkUsedError } from "../../../domain/errors.ts";
import type { ConsoleMessageCode } from "../../../domain/html/console/messages.ts";
import { draftExecutionName, roundId } from "../../../domain/keys.ts";
import { type MailMessage, requestTags } from "../../../domain/mail.ts";
import type { Plan } from "../../../domain/plan.ts";
import { deadlineExtendedMail, lateAnswerAcceptedMail } from "../../../domain/reminder-mail.ts";
import type { RoundRequest } from "../../../domain/round.ts";
import { check, type FieldError } from "../../../domain/validation.ts";
import {
  lateApproversDecisionLabels,
  lateApproversDecisionSchema,
  PROCEED_NOT_ALLOWED,
  type RemindNowInput,
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

/** The round a round action acts on, with its requests; a round not started yet cannot be acted on. */
async function roundToActOn(context: ConsoleContext, plan: Plan, fiscalYear: FiscalYear, quarter: Quarter) {
  const [round, requests] = await Promise.all([
    context.table.rounds.findRound(plan.id, fiscalYear, quarter),
    context.table.requests.listRequests(plan.id, fiscalYear, quarter),
  ]);
  return { round, requests };
}

/** Mails an institution what the secretariat changed about its request, and records the change in the year's audit. */
async function tellAndRecord(
  context: ConsoleContext,
  viewer: SignedIn,
  request: RoundRequest,
  mail: MailMessage,
  change: { action: "deadline-extended" | "late-answer-accepted"; until: Date; now: Date },
): Promise<void> {
  await context.mailer.send({ ...mail, tags: requestTags(request) });
  await context.table.console.audit(
    {
      at: change.now.toISOString(),
      actor: `secretariat:${viewer.email}`,
      channel: "console",
      action: change.action,
      target: `${roundId(request.planId, request.fiscalYear, request.quarter)}/${request.institutionId}`,
      detail: `${formatJapaneseDate(change.until, { withTime: true })}まで`,
    },
    context.newId(),
    { planId: request.planId, fiscalYear: request.fiscalYear },
  );
}

/** An action's errors, named after its own form's fields on the round page ("extend-deadline"). */
function ofForm(form: "extend" | "late", errors: readonly FieldError[]): FieldError[] {
  return errors.map((error) => ({ ...error, path: `${form}-${error.path}` }));
}

const NOT_STARTED: FieldError = {
  path: "round",
  ja: "この照会はまだ開始されていません",
  en: "The round has not started",
};

/**
 * Extends the deadline of one institution, or of every one that has not answered, up to the round's close: each
 * request gets its own deadline, is mailed it with its personal link, and the extension is recorded. The round's
 * own schedule is unchanged: its deadline and overdue moments pass over an institution whose deadline is later.
 */
export async function extendDeadline(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const { round, requests } = await roundToActOn(context, plan, fiscalYear, quarter);
  if (!round) return { errors: [NOT_STARTED] };
  const checked = checkDeadlineExtension({ plan, round, requests, form });
  if (!checked.ok) return { errors: ofForm("extend", checked.errors) };
  const { deadline, institutionIds } = checked.value;
  for (const institutionId of institutionIds) {
    const request = requests.find((candidate) => candidate.institutionId === institutionId);
    const institution = plan.institutions.find((candidate) => candidate.id === institutionId);
    // Answered meanwhile: nothing to extend.
    if (!request || !institution || !(await context.table.requests.extendDeadline(request, deadline))) continue;
    const formUrl = await context.links.url(request);
    const closesAt = new Date(round.closesAt ?? round.deadline);
    const mail = deadlineExtendedMail({ plan, institution, fiscalYear, quarter, deadline, closesAt, formUrl });
    await tellAndRecord(context, viewer, request, mail, { action: "deadline-extended", until: deadline, now });
  }
  return { done: "deadline-extended" };
}

/**
 * Accepts one institution's answer after the round closed, until a date: its personal link works again until then
 * (mailed to it), and the acceptance is recorded. The round stays closed for everyone else, and its completeness
 * figures stay those of the close; the answer, once in, is counted by the year's review like any other.
 */
export async function acceptLateAnswer(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const { round, requests } = await roundToActOn(context, plan, fiscalYear, quarter);
  if (!round) return { errors: [NOT_STARTED] };
  const checked = checkLateAcceptance({ plan, round, requests, form, now });
  if (!checked.ok) return { errors: ofForm("late", checked.errors) };
  const { institutionId, until } = checked.value;
  const request = requests.find((candidate) => candidate.institutionId === institutionId);
  const institution = plan.institutions.find((candidate) => candidate.id === institutionId);
  if (!request || !institution || !(await context.table.requests.acceptLateAnswer(request, until)))
    return { done: "already-answered" };
  const formUrl = await context.links.url(request);
  const deadline = new Date(request.deadline);
  const mail = lateAnswerAcceptedMail({ plan, institution, fiscalYear, quarter, deadline, until, formUrl });
  await tellAndRecord(context, viewer, request, mail, { action: "late-answer-accepted", until, now });
  return { done: "late-answer-accepted" };
}

/**
 * Sends a reminder now to one institution or every one that has not answered, through the SendReminderNow workflow
 * (the same as `pdca round remind`): each institution at most once an hour, each mail recorded with the secretariat
 * member as its actor. The page shows the reminders as they are recorded.
 */
export async function remindNow(
  context: ConsoleContext,
  viewer: SignedIn,
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  form: Record<string, string>,
  now: Date,
): Promise<ActionResult> {
  const { round } = await roundToActOn(context, plan, fiscalYear, quarter);
  if (!round) return { errors: [NOT_STARTED] };
  if (round.status !== "open") return { done: "round-closed" };
  const institutionId = form.institution || undefined;
  if (institutionId && !plan.institutions.some((institution) => institution.id === institutionId))
    return {
      errors: [
        {
          path: "remind-institution",
          ja: "機関：この計画の機関を選んでください",
          en: "Institution: choose an institution of the plan",
        },
      ],
    };
  const input: RemindNowInput = {
    planId: plan.id,
    fiscalYear,
    quarter,
    ...(institutionId ? { institutionId } : {}),
    actor: `secretariat:${viewer.email}`,
  };
  await context.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: context.remindWorkflowArn,
      name: `${roundId(plan.id, fiscalYear, quarter)}-remind-${now.getTime()}`.slice(0, 80),
      input: JSON.stringify(input),
    }),
  );
  return { done: "reminder-sent" };
}
