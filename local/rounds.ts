import type { Plan } from "../domain/plan.ts";
import { type Checked, check, type FieldLabels } from "../domain/validation.ts";
import { type StartRoundInput, startRoundInputSchema } from "../domain/workflow-events.ts";

/**
 * The round a newcomer starts by hand (the README's walkthrough, the start banner, the status page's default): the
 * first quarter of the plan's last fiscal year, so that simulating the years before it, in order, never meets it.
 */
export function tryOutRound(plan: Plan): { fiscalYear: number; quarter: 1; deadlineMinutes: number } {
  return { fiscalYear: plan.period.lastFiscalYear, quarter: 1, deadlineMinutes: 10 };
}

/** The command that starts the try-out round, as the README and the start banner print it. */
export function tryOutCommand(plan: Plan): string {
  const round = tryOutRound(plan);
  return `npm run pdca -- round start --plan ${plan.id} --fiscal-year ${round.fiscalYear} --quarter ${round.quarter} --deadline-minutes ${round.deadlineMinutes}`;
}

/** A round as a person asks for it, on the command line or the status page. */
export interface RoundRequest {
  planId: unknown;
  fiscalYear: unknown;
  quarter: unknown;
  /** ISO 8601 with offset. @default the plan's calendar */
  deadline?: string;
  /** The deadline this many minutes from now, closing LATE_MINUTES_WHEN_TRYING_OUT later (for trying it out). */
  deadlineMinutes?: number;
  /** When late answers stop. @default the plan's late window */
  closesAt?: string;
}

/**
 * The workflow's input for a round a person asked for: a deadline in minutes compresses the round's own calendar
 * (domain/round-schedule.ts) so that its deadline comes that many minutes after the round opens; every wrong field
 * is named.
 */
export function roundInput(request: RoundRequest, labels: FieldLabels): Checked<StartRoundInput> {
  const minutes = request.deadlineMinutes;
  return check(
    startRoundInputSchema,
    {
      planId: request.planId,
      fiscalYear: request.fiscalYear,
      quarter: request.quarter,
      ...(minutes !== undefined
        ? { compressed: { deadlineSeconds: Math.round(minutes * 60) } }
        : { deadline: request.deadline, closesAt: request.closesAt }),
    },
    labels,
  );
}
