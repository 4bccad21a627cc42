import middy from "@middy/core";
import { decideCirculation } from "../domain/circulation.ts";
import { NotFoundError } from "../domain/errors.ts";
import { type CirculationRef, type CirculationStatus, circulationRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

/**
 * Decides what a draft version's circulation for approval does next, from the table (domain/circulation.ts), and
 * records what that decision starts.
 * 1. Read the plan's approval steps, the newest version, the steps begun and the decisions made on this version.
 * 2. A step whose turn has come is begun with its deadline (once: a retry keeps the first), then decide again.
 * 3. Approved by every step: the version is marked approved; changes requested: its circulation is marked ended.
 * Safe to repeat: it only reads, and writes what is written once.
 */
export async function nextApprovalStep(ref: CirculationRef, now = new Date()): Promise<CirculationStatus> {
  const plan = await table.plans.getPlan(ref.planId);
  const latest = await table.reviews.findLatestReview(ref.planId, ref.fiscalYear);
  if (!latest) throw new NotFoundError(`Review of ${ref.planId} ${ref.fiscalYear}`);
  const stepIds = plan.approvals?.steps.map((step) => step.id) ?? [];
  const decisions = await table.approvals.listDecisions(ref);
  for (let turn = 0; turn <= stepIds.length; turn++) {
    const decided = decideCirculation({
      approvals: plan.approvals,
      version: ref.version,
      latestVersion: latest.version,
      steps: await table.approvals.listSteps(ref, stepIds),
      decisions,
      now,
      stepSeconds: ref.stepSeconds,
    });
    switch (decided.kind) {
      case "start-step":
        await table.approvals.startStep(ref, {
          stepId: decided.step.id,
          startedAt: now.toISOString(),
          deadline: decided.deadline.toISOString(),
          proceededWithout: [],
          lateDecisions: 0,
          dayMs: decided.dayMs,
        });
        logger.info("approval step begun", { ...ref, stepId: decided.step.id, deadline: decided.deadline });
        continue;
      case "ask":
        return { status: "ask", step: stepRef(decided.step), deadline: decided.deadline, approvers: decided.approvers };
      case "late":
        return {
          status: "late",
          step: stepRef(decided.step),
          late: decided.late,
          asked: decided.asked,
          waitSeconds: decided.waitSeconds,
        };
      case "approved":
        await table.reviews.markApproved(ref.planId, ref.fiscalYear, ref.version, decided.approvedAt);
        return { status: "approved", approvedAt: decided.approvedAt };
      case "changes-requested":
        await table.reviews.markChangesRequested(ref.planId, ref.fiscalYear, ref.version, now.toISOString());
        return { status: "changes-requested" };
      default:
        return { status: decided.kind };
    }
  }
  throw new Error(`The circulation of v${ref.version} began more steps than the plan has`);
}

function stepRef(step: { id: string; name: string }) {
  return { id: step.id, name: step.name };
}

export const handler = middy<CirculationRef, CirculationStatus>()
  .use(logFailures())
  .use(parseEvent(circulationRefSchema))
  .handler((event) => nextApprovalStep(event));
