import { type ApprovalDecision, type ApprovalStep, type Approvals, stepOutcome } from "./approvals.ts";
import { secondsUntil } from "./round.ts";

/** What the table holds of one approval step of one version. */
export interface StepRecord {
  stepId: string;
  startedAt: string;
  deadline: string;
  /** Approvers the secretariat decided to go on without. */
  proceededWithout: string[];
  /** How many times the secretariat has decided about this step's late approvers. */
  lateDecisions: number;
  /** How long "a day" of this step is: a day, or shorter when the circulation is tried out in seconds. */
  dayMs: number;
}

/** What the circulation of one version does next. */
export type CirculationDecision =
  /** The step has not begun: store its start and deadline, then decide again. */
  | { kind: "start-step"; step: ApprovalStep; deadline: Date; dayMs: number }
  | { kind: "ask"; step: ApprovalStep; deadline: string; approvers: Array<{ approverId: string; waitSeconds: number }> }
  | { kind: "late"; step: ApprovalStep; late: string[]; asked: number; waitSeconds: number }
  | { kind: "changes-requested" }
  | { kind: "approved"; approvedAt: string }
  | { kind: "superseded" }
  | { kind: "no-approvals" };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How many of a step's days the secretariat's decision about late approvers is waited for before the circulation
 * is looked at again. Nothing else ends that wait when a newer version supersedes this one (the secretariat's link
 * is then refused); looking again ends it as superseded, or waits again on the same link, mailing nobody.
 */
export const LATE_DECISION_RECHECK_DAYS = 3;

/**
 * The circulation of one draft version (承認), decided from what is stored: the steps run in the plan's order; a
 * step begins when the one before it is approved, with a deadline of its days (or `stepSeconds`, when trying it
 * out); a request for changes ends the circulation; approvers undecided at the deadline go to the secretariat, who
 * extends the deadline or goes on without them; a newer version supersedes this one.
 */
export function decideCirculation(input: {
  approvals: Approvals | undefined;
  version: number;
  latestVersion: number;
  steps: ReadonlyMap<string, StepRecord>;
  decisions: readonly ApprovalDecision[];
  now: Date;
  stepSeconds?: number;
}): CirculationDecision {
  const { approvals, version, now } = input;
  if (!approvals) return { kind: "no-approvals" };
  if (version < input.latestVersion) return { kind: "superseded" };
  let approvedAt = "";
  for (const step of approvals.steps) {
    const record = input.steps.get(step.id);
    if (!record) {
      const length = input.stepSeconds !== undefined ? input.stepSeconds * 1000 : step.deadlineDays * DAY_MS;
      return {
        kind: "start-step",
        step,
        deadline: new Date(now.getTime() + length),
        dayMs: Math.max(1000, Math.round(length / step.deadlineDays)),
      };
    }
    const outcome = stepOutcome(step, version, input.decisions, record.proceededWithout);
    if (outcome.kind === "changes-requested") return { kind: "changes-requested" };
    if (outcome.kind === "waiting") {
      if (now.getTime() < Date.parse(record.deadline))
        return {
          kind: "ask",
          step,
          deadline: record.deadline,
          approvers: outcome.undecided.map((approverId) => ({
            approverId,
            waitSeconds: secondsUntil(new Date(record.deadline), now),
          })),
        };
      return {
        kind: "late",
        step,
        late: outcome.undecided,
        asked: record.lateDecisions + 1,
        waitSeconds: Math.max(1, Math.round((LATE_DECISION_RECHECK_DAYS * record.dayMs) / 1000)),
      };
    }
    const decidedAt = input.decisions
      .filter((decision) => decision.stepId === step.id && decision.version === version)
      .map((decision) => decision.decidedAt)
      .sort()
      .at(-1);
    approvedAt = decidedAt ?? now.toISOString();
  }
  return { kind: "approved", approvedAt };
}

/** Why an approver's wait ends as soon as it begins, with no mail. */
export type ApprovalWaitEnd = "decided" | "changes-requested" | "past-deadline";

/**
 * Whether RequestApproval asks an approver (undefined), or ends their wait at once without mail: they decided on
 * this version already; someone in the step asked for changes on it (its circulation ends, and nobody should be
 * asked to approve it); or the step's deadline passed (a Map iteration or a retry can start that late, and a link
 * mailed then would be dead on arrival). NextApprovalStep then decides from the table, as after any wait.
 */
export function approvalWaitEnds(input: {
  stepId: string;
  approverId: string;
  version: number;
  decisions: readonly ApprovalDecision[];
  deadline: string;
  now: Date;
}): ApprovalWaitEnd | undefined {
  const mine = input.decisions.filter(
    (decision) => decision.stepId === input.stepId && decision.version === input.version,
  );
  if (mine.some((decision) => decision.approverId === input.approverId)) return "decided";
  if (mine.some((decision) => decision.decision === "request-changes")) return "changes-requested";
  if (input.now.getTime() >= Date.parse(input.deadline)) return "past-deadline";
  return undefined;
}
