import middy from "@middy/core";
import type * as z from "zod";
import { markOverdueEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { PlanRepository } from "./adapters/table.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const repository = new PlanRepository(documentClient, env.TABLE_NAME);

type MarkOverdueEvent = z.output<typeof markOverdueEventSchema>;

/**
 * Runs when an institution's wait reached the deadline: marks its request overdue, unless the answer landed in the
 * meantime (stored, but its resume was lost), in which case the answer stands. An overdue institution may still
 * answer, late, until the round closes.
 */
export async function markOverdue(event: MarkOverdueEvent): Promise<{ institutionId: string; status: string }> {
  const { round, institution } = event;
  const marked = await repository.markOverdue({ ...round, institutionId: institution.institutionId });
  logger.info("deadline reached", { institutionId: institution.institutionId, overdue: marked });
  return { institutionId: institution.institutionId, status: marked ? "overdue" : "answered" };
}

export const handler = middy<MarkOverdueEvent, { institutionId: string; status: string }>()
  .use(logFailures())
  .use(parseEvent(markOverdueEventSchema))
  .handler((event) => markOverdue(event));
