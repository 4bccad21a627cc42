import {
  type ApprovalDecision,
  type ApprovalDecisionKind,
  type ApprovalStep,
  mayProceedWithout,
} from "../../domain/approvals.ts";
import type { LateApproversDecision } from "../../domain/workflow-events.ts";
import type { ApprovalLink, StepDecisionLink } from "../adapters/table/approvals.ts";
import type { Table } from "../adapters/table/index.ts";
import type { WorkflowCallback } from "../adapters/workflow.ts";
import { logger } from "../middleware.ts";

/** What recording a decision needs: the table and the workflow waiting on it. */
export interface DecideDependencies {
  table: Pick<Table, "approvals">;
  workflow: WorkflowCallback;
}

/**
 * Records an approver's decision once (decision, the link's use, the audit entry: LinkUsedError when the link was
 * used first, through whichever channel) and resumes the task waiting for this approver. A request for changes ends
 * the version's circulation, so the other approvers' waits are resumed too: the workflow then tells the secretariat
 * at once instead of waiting for the deadline. The emailed link and the console both decide through here.
 */
export async function decideApproval(
  deps: DecideDependencies,
  input: {
    link: ApprovalLink;
    linkHash: string;
    decision: ApprovalDecisionKind;
    comment: string;
    at: Date;
    channel: string;
    auditId: string;
  },
): Promise<ApprovalDecision> {
  const { link } = input;
  const decision = await deps.table.approvals.recordDecision(input);
  await resumeEach(
    deps.workflow,
    link.taskToken ? [[link.taskToken, { approverId: link.approverId, decided: true }]] : [],
  );
  if (decision.decision === "request-changes") {
    const others = (await deps.table.approvals.listApprovalLinks(link.planId, link.fiscalYear)).filter(
      (other) =>
        other.version === link.version && !other.usedAt && other.taskToken && other.approverId !== link.approverId,
    );
    await resumeEach(
      deps.workflow,
      others.map((other) => [other.taskToken as string, { approverId: other.approverId, decided: false }]),
    );
  }
  return decision;
}

/**
 * The decision is recorded: a resume that fails (throttled, network) must neither turn the person's confirmation into
 * an error page nor stop the other resumes. It is logged as an error, which the alarms count; the wait it missed ends
 * at the step's deadline and the workflow then reads the decision from the table.
 */
async function resumeEach(workflow: WorkflowCallback, resumes: [string, unknown][]): Promise<void> {
  for (const [taskToken, output] of resumes)
    try {
      await workflow.succeed(taskToken, output);
    } catch (error) {
      logger.error("decision recorded; resuming the workflow failed", { error: error as Error });
    }
}

/** What the secretariat's decision did: recorded (with the new deadline when extended), or refused as not allowed. */
export type LateApproversOutcome = { kind: "decided"; deadline?: Date } | { kind: "proceed-not-allowed" };

/**
 * Records the secretariat's decision about late approvers once (LinkUsedError when the mailed link or the console
 * decided first) and resumes the waiting task. Going on without them is refused where it is not allowed
 * (mayProceedWithout: the last step, or a step nobody approved), and nothing is recorded.
 */
export async function decideLateApprovers(
  deps: DecideDependencies,
  input: {
    steps: readonly ApprovalStep[];
    link: StepDecisionLink;
    linkHash: string;
    decision: LateApproversDecision;
    at: Date;
    channel: string;
    auditId: string;
    actor?: string;
  },
): Promise<LateApproversOutcome> {
  const { link, decision, at } = input;
  if (
    decision.decision === "proceed" &&
    !mayProceedWithout(input.steps, link.stepId, link.version, await deps.table.approvals.listDecisions(link))
  )
    return { kind: "proceed-not-allowed" };
  const [step] = (await deps.table.approvals.listSteps(link, [link.stepId])).values();
  const deadline =
    decision.decision === "extend" ? new Date(at.getTime() + decision.days * (step?.dayMs ?? 86_400_000)) : undefined;
  await deps.table.approvals.recordStepDecision({
    ...input,
    decision: deadline && decision.decision === "extend" ? { ...decision, deadline } : { decision: "proceed" },
  });
  await resumeEach(deps.workflow, link.taskToken ? [[link.taskToken, { decision: decision.decision }]] : []);
  return { kind: "decided", deadline };
}
