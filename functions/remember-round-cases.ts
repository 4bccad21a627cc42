import middy from "@middy/core";
import type * as z from "zod/mini";
import { closeRoundEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

type RoundEvent = z.output<typeof closeRoundEventSchema>;

/** What remembering a round's cases did. */
export interface RememberedCases {
  answers: number;
  written: number;
  keptNewer: number;
}

/**
 * After a round closes its answers are final: remembers each one's cases for the next forms' prefill. The form
 * already tried when each answer came in; this is the step that makes it certain, retried by the workflow until it
 * succeeds. Idempotent, and a case a newer answer described keeps that answer's details.
 */
export async function rememberRoundCases(event: RoundEvent): Promise<RememberedCases> {
  const { planId, fiscalYear, quarter } = event.round;
  const result: RememberedCases = { answers: 0, written: 0, keptNewer: 0 };
  await table.submissions.forEachLatestSubmissionOfRound(planId, fiscalYear, quarter, async (submission) => {
    const remembered = await table.knownCases.rememberCases(planId, submission.institutionId, submission.report.cases, {
      fiscalYear,
      quarter,
      submittedAt: submission.submittedAt,
    });
    result.answers++;
    result.written += remembered.written;
    result.keptNewer += remembered.keptNewer;
  });
  logger.info("round's cases remembered", { planId, fiscalYear, quarter, ...result });
  return result;
}

export const handler = middy<RoundEvent, RememberedCases>()
  .use(logFailures())
  .use(parseEvent(closeRoundEventSchema))
  .handler((event) => rememberRoundCases(event));
