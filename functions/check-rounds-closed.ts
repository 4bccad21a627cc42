import middy from "@middy/core";
import { QUARTERS } from "../domain/calendar.ts";
import type { RoundsCheck, StartReviewInput } from "../domain/workflow-events.ts";
import { startReviewInputSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

/** Lists the year's rounds that are not closed (open, or never started), so the review knows whether to wait. */
export async function checkRoundsClosed(input: StartReviewInput): Promise<RoundsCheck> {
  await table.plans.getPlan(input.planId);
  const rounds = await table.rounds.listRounds(input.planId, input.fiscalYear);
  const notClosed = QUARTERS.flatMap((quarter): RoundsCheck["notClosed"] => {
    const round = rounds.find((candidate) => candidate.quarter === quarter);
    if (!round) return [{ quarter, status: "not-started" as const }];
    return round.status === "closed" ? [] : [{ quarter, status: "open" as const }];
  });
  return { ...input, allClosed: notClosed.length === 0, notClosed };
}

export const handler = middy<StartReviewInput, RoundsCheck>()
  .use(logFailures())
  .use(parseEvent(startReviewInputSchema))
  .handler((event) => checkRoundsClosed(event));
