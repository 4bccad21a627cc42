import { mayProceedWithout } from "../../../domain/approvals.ts";
import { type FiscalYear, QUARTERS, type Quarter } from "../../../domain/calendar.ts";
import { type AuditFilter, filterAudit } from "../../../domain/console/audit.ts";
import type { PlanAtAGlance } from "../../../domain/html/console/dashboard.ts";
import type { RoundView } from "../../../domain/html/console/round.ts";
import type { DraftVersion, StepView, YearView } from "../../../domain/html/console/year.ts";
import type { Plan } from "../../../domain/plan.ts";
import { REVIEW_FILE } from "../../../domain/report/files.ts";
import type { Review } from "../../../domain/review/types.ts";
import type { Round } from "../../../domain/round.ts";
import { targetYearFor } from "../../../domain/targets.ts";
import { reviewFromTable } from "../../adapters/review-source.ts";
import type { ConsoleContext } from "./context.ts";

/** Every round of a plan, oldest first. */
export async function roundsOf(context: ConsoleContext, plan: Plan): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let year = plan.period.firstFiscalYear; year <= plan.period.lastFiscalYear; year++)
    rounds.push(...(await context.table.rounds.listRounds(plan.id, year)));
  return rounds.sort((a, b) => a.fiscalYear - b.fiscalYear || a.quarter - b.quarter);
}

/** The dashboard's figures of one plan: its latest round and the cases of that round's year against the target. */
export async function planAtAGlance(context: ConsoleContext, plan: Plan, now: Date): Promise<PlanAtAGlance> {
  const round = (await roundsOf(context, plan)).at(-1);
  if (!round) return { plan };
  const requests = await context.table.requests.listRequests(plan.id, round.fiscalYear, round.quarter);
  const { review } = await reviewFromTable(context.table, plan, round.fiscalYear, now);
  const year = review.supportedCases.find(
    (candidate) => candidate.fiscalYear === targetYearFor(plan, round.fiscalYear),
  );
  return {
    plan,
    latest: { round, requests },
    year: year ? { fiscalYear: round.fiscalYear, total: year.total } : undefined,
  };
}

/** Every draft version of a year, newest first. */
export async function versionsOf(context: ConsoleContext, planId: string, fiscalYear: number): Promise<DraftVersion[]> {
  const latest = await context.table.reviews.findLatestReview(planId, fiscalYear);
  const versions: DraftVersion[] = [];
  for (let version = latest?.version ?? 0; version >= 1; version--) {
    const stored = await context.table.reviews.findReview(planId, fiscalYear, version);
    if (stored)
      versions.push({
        version: stored.version,
        createdAt: stored.createdAt,
        status: stored.status,
        approvedAt: stored.approvedAt,
        changesRequestedAt: stored.changesRequestedAt,
        publishedAt: stored.publishedAt,
      });
  }
  return versions;
}

/** What a year's page shows: versions, the newest one's steps, what waits on the secretariat or on the viewer. */
export async function yearView(
  context: ConsoleContext,
  plan: Plan,
  fiscalYear: number,
  viewerEmail: string,
  now: Date,
): Promise<YearView> {
  const versions = await versionsOf(context, plan.id, fiscalYear);
  const newest = versions[0];
  const steps: StepView[] = [];
  let lateApprovers: YearView["lateApprovers"];
  let myApproval: YearView["myApproval"];
  let notes = { findings: [] as string[], decisions: [] as string[] };
  if (newest) {
    const ref = { planId: plan.id, fiscalYear, version: newest.version };
    const stored = await context.table.reviews.findReview(plan.id, fiscalYear, newest.version);
    const file = stored ? await context.reports.getFile(`${stored.prefix}${REVIEW_FILE}`) : undefined;
    const review = file ? (JSON.parse(file.body) as Partial<Review>) : {};
    notes = { findings: review.secretariatFindings ?? [], decisions: review.decisions ?? [] };
    const approvalSteps = plan.approvals?.steps ?? [];
    const records = await context.table.approvals.listSteps(
      ref,
      approvalSteps.map((step) => step.id),
    );
    const decisions = await context.table.approvals.listDecisions(ref);
    for (const step of approvalSteps) {
      const record = records.get(step.id);
      steps.push({
        step,
        deadline: record?.deadline,
        proceededWithout: record?.proceededWithout ?? [],
        decisions: decisions.filter((decision) => decision.stepId === step.id),
      });
    }
    const circulating = !newest.approvedAt && !newest.changesRequestedAt;
    if (circulating) {
      const waiting = await context.table.approvals.openStepDecisionLinks(ref);
      const step = approvalSteps.find((candidate) => candidate.id === waiting[0]?.stepId);
      if (waiting[0] && step)
        lateApprovers = {
          stepId: step.id,
          stepName: step.name,
          late: step.approvers.filter((approver) => waiting[0]?.late.includes(approver.id)),
          mayProceed: mayProceedWithout(approvalSteps, step.id, newest.version, decisions),
        };
      const mine = (await context.table.approvals.listApprovalLinks(plan.id, fiscalYear)).find((link) => {
        const approver = approvalSteps
          .flatMap((s) => s.approvers)
          .find((candidate) => candidate.id === link.approverId);
        return (
          link.version === newest.version &&
          !link.usedAt &&
          Date.parse(link.expiresAt) >= now.getTime() &&
          approver?.email.toLowerCase() === viewerEmail.toLowerCase()
        );
      });
      const mineStep = approvalSteps.find((candidate) => candidate.id === mine?.stepId);
      if (mine && mineStep) myApproval = { stepName: mineStep.name, version: mine.version };
    }
  }
  return { plan, fiscalYear, versions, steps, lateApprovers, myApproval, notes };
}

/** A round's page: the round, every request, and the answer versions of the institution asked about. */
export async function roundView(
  context: ConsoleContext,
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  institutionId: string | undefined,
): Promise<Omit<RoundView, "now">> {
  const [round, requests, reminders] = await Promise.all([
    context.table.rounds.findRound(plan.id, fiscalYear, quarter),
    context.table.requests.listRequests(plan.id, fiscalYear, quarter),
    context.table.reminders.listReminders(plan.id, fiscalYear, quarter),
  ]);
  const institution = plan.institutions.find((candidate) => candidate.id === institutionId);
  const compared = institution
    ? {
        institutionId: institution.id,
        versions: await context.table.submissions.listSubmissionVersions(plan.id, fiscalYear, quarter, institution.id),
      }
    : undefined;
  return { plan, fiscalYear, quarter, round, requests, reminders, compared };
}

/** The audit entries of a plan's year (or the console's own), filtered. */
export async function auditEntries(
  context: ConsoleContext,
  plan: Plan | undefined,
  fiscalYear: number | undefined,
  filter: AuditFilter,
) {
  const entries =
    plan && fiscalYear !== undefined
      ? await context.table.submissions.listAudit(plan.id, fiscalYear)
      : await context.table.console.listAudit();
  return filterAudit(entries, filter);
}

/** The quarters of a year, for the audit page's filter. */
export const AUDIT_QUARTERS = QUARTERS;
