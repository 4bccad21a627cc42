import middy from "@middy/core";
import type * as z from "zod/mini";
import { secondsUntil } from "../domain/round.ts";
import { markOverdueEventSchema, type OverdueResult } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

type MarkOverdueEvent = z.output<typeof markOverdueEventSchema>;

/**
 * Runs when an institution's wait reached the deadline: marks its request overdue, unless the answer landed in the
 * meantime (stored, but its resume was lost), in which case the answer stands. An overdue institution may still
 * answer, late, until the round closes: the result says how long the workflow waits for that.
 */
export async function markOverdue(event: MarkOverdueEvent, now = new Date()): Promise<OverdueResult> {
  const { round, institution } = event;
  const marked = await table.requests.markOverdue({ ...round, institutionId: institution.institutionId });
  logger.info("deadline reached", { institutionId: institution.institutionId, overdue: marked });
  return {
    institutionId: institution.institutionId,
    status: marked ? "overdue" : "answered",
    lateWaitSeconds: secondsUntil(new Date(round.closesAt), now),
  };
}

export const handler = middy<MarkOverdueEvent, OverdueResult>()
  .use(logFailures())
  .use(parseEvent(markOverdueEventSchema))
  .handler((event) => markOverdue(event));
