import middy from "@middy/core";
import { chooseClosingTime, chooseDeadline } from "../domain/round.ts";
import type { InstitutionItem, RoundRef, StartRoundInput } from "../domain/workflow-events.ts";
import { startRoundInputSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

/** What the workflow needs next: the round, whether it is already closed, and who still has to answer. */
export interface OpenRoundResult {
  round: RoundRef;
  closed: boolean;
  institutions: InstitutionItem[];
}

/**
 * Opens a quarter's round, idempotently.
 * 1. Load the plan (NotFoundError if unknown).
 * 2. Create the round with its deadline unless it exists; an existing round keeps its first deadline.
 * 3. List every institution with whether it has answered already, so a re-run never asks it again.
 */
export async function openRound(input: StartRoundInput, now = new Date()): Promise<OpenRoundResult> {
  const plan = await table.plans.getPlan(input.planId);
  const deadline = chooseDeadline({
    plan,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    now,
    requested: input.deadline ? new Date(input.deadline) : undefined,
  });
  const closesAt = chooseClosingTime(plan, deadline, input.closesAt ? new Date(input.closesAt) : undefined);
  const round = await table.rounds.openRound({
    planId: plan.id,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    status: "open",
    deadline: deadline.toISOString(),
    closesAt: closesAt.toISOString(),
    openedAt: now.toISOString(),
  });
  const requests = await table.requests.listRequests(plan.id, input.fiscalYear, input.quarter);
  const answered = new Set(requests.filter((request) => request.status === "answered").map((r) => r.institutionId));
  logger.info("round opened", {
    planId: plan.id,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    answered: answered.size,
  });
  return {
    round: {
      planId: plan.id,
      fiscalYear: input.fiscalYear,
      quarter: input.quarter,
      deadline: round.deadline,
      closesAt: round.closesAt ?? chooseClosingTime(plan, new Date(round.deadline)).toISOString(),
    },
    closed: round.status === "closed",
    institutions: plan.institutions.map((institution) => ({
      institutionId: institution.id,
      answered: answered.has(institution.id),
    })),
  };
}

export const handler = middy<StartRoundInput, OpenRoundResult>()
  .use(logFailures())
  .use(parseEvent(startRoundInputSchema))
  .handler((event) => openRound(event));
