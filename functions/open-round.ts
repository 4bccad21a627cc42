import middy from "@middy/core";
import {
  calendarDeadlineOf,
  chooseClosingTime,
  chooseDeadline,
  compressedClock,
  toReal,
} from "../domain/round-schedule.ts";
import type { RoundRef, StartRoundInput } from "../domain/workflow-events.ts";
import { batchesOf, startRoundInputSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

/**
 * What the workflow needs next: the round, whether it is already closed, the batches of institutions its Maps
 * iterate over (numbers only: no bytes per institution in the round's state), and where its moments start from.
 */
export interface OpenRoundResult {
  round: RoundRef;
  closed: boolean;
  batches: number[];
  next: { id: "opened"; kind: "opened"; at: string };
}

/**
 * Opens a quarter's round, idempotently.
 * 1. Load the plan (NotFoundError if unknown).
 * 2. Choose the deadline and close: the secretariat's, else the plan's calendar on business days; a compressed
 *    round runs the plan's calendar on a clock of its own (domain/round-schedule.ts), stored with the round.
 * 3. Create the round unless it exists; an existing round keeps its first deadline, close and clock.
 */
export async function openRound(input: StartRoundInput, now = new Date()): Promise<OpenRoundResult> {
  const plan = await table.plans.getPlan(input.planId);
  const { fiscalYear, quarter } = input;
  const clock = input.compressed
    ? compressedClock(plan, fiscalYear, quarter, now, input.compressed.deadlineSeconds)
    : undefined;
  const deadline = clock
    ? toReal(clock, calendarDeadlineOf(plan, fiscalYear, quarter))
    : chooseDeadline({
        plan,
        fiscalYear,
        quarter,
        now,
        requested: input.deadline ? new Date(input.deadline) : undefined,
      });
  const closesAt = clock
    ? toReal(clock, chooseClosingTime(plan, calendarDeadlineOf(plan, fiscalYear, quarter)))
    : chooseClosingTime(plan, deadline, input.closesAt ? new Date(input.closesAt) : undefined);
  const round = await table.rounds.openRound({
    planId: plan.id,
    fiscalYear,
    quarter,
    status: "open",
    deadline: deadline.toISOString(),
    closesAt: closesAt.toISOString(),
    openedAt: now.toISOString(),
    ...(clock ? { clock } : {}),
  });
  logger.info("round opened", { planId: plan.id, fiscalYear, quarter, deadline: round.deadline });
  return {
    round: {
      planId: plan.id,
      fiscalYear: input.fiscalYear,
      quarter: input.quarter,
      deadline: round.deadline,
      closesAt: round.closesAt ?? chooseClosingTime(plan, new Date(round.deadline)).toISOString(),
    },
    closed: round.status === "closed",
    batches: batchesOf(plan.institutions.length),
    next: { id: "opened", kind: "opened", at: now.toISOString() },
  };
}

export const handler = middy<StartRoundInput, OpenRoundResult>()
  .use(logFailures())
  .use(parseEvent(startRoundInputSchema))
  .handler((event) => openRound(event));
