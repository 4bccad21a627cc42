import middy from "@middy/core";
import type * as z from "zod/mini";
import { secondsUntil } from "../domain/round.ts";
import { checkRequestEventSchema, type RequestCheck } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

type CheckRequestEvent = z.output<typeof checkRequestEventSchema>;

/**
 * Reads one request right before the workflow waits for its answer: answered already, never asked (its email
 * failed), or waiting, with the seconds left until the deadline counted from now. The wait may start long after
 * the round did (a Map runs a bounded number of waits at once), so the round's own count would overshoot.
 */
export async function checkRequest(event: CheckRequestEvent, now = new Date()): Promise<RequestCheck> {
  const { round, institution } = event;
  const request = await table.requests.findRequest(
    round.planId,
    round.fiscalYear,
    round.quarter,
    institution.institutionId,
  );
  const status = request?.status === "answered" ? "answered" : request?.emailedAt ? "waiting" : "not-asked";
  return { institutionId: institution.institutionId, status, waitSeconds: secondsUntil(new Date(round.deadline), now) };
}

export const handler = middy<CheckRequestEvent, RequestCheck>()
  .use(logFailures())
  .use(parseEvent(checkRequestEventSchema))
  .handler((event) => checkRequest(event));
