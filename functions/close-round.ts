import middy from "@middy/core";
import type * as z from "zod";
import { roundSummaryMail } from "../domain/mail.ts";
import { type Completeness, completenessOf } from "../domain/round.ts";
import { closeRoundEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM);

type CloseRoundEvent = z.output<typeof closeRoundEventSchema>;

/**
 * Closes a round once every institution answered or ran out of time.
 * 1. Read the round's requests (the table is the record; the Map's results are not trusted for counting).
 * 2. Compute completeness and close the round with it; links stop working from here.
 * 3. Email the secretariat a summary unless one went out already: a retry after a failed send still sends it,
 *    a second close of a summarised round sends nothing.
 */
export async function closeRound(event: CloseRoundEvent, now = new Date()): Promise<Completeness> {
  const { planId, fiscalYear, quarter } = event.round;
  const plan = await table.plans.getPlan(planId);
  const requests = await table.requests.listRequests(planId, fiscalYear, quarter);
  const completeness = completenessOf(
    plan.institutions.map((institution) => institution.id),
    requests,
  );
  const { closedNow } = await table.rounds.closeRound(planId, fiscalYear, quarter, completeness, now);
  const round = await table.rounds.findRound(planId, fiscalYear, quarter);
  if (round && !round.summarySentAt) {
    // The stored completeness (from the first close) is what the summary reports.
    await mailer.send(
      roundSummaryMail({ plan, fiscalYear, quarter, completeness: round.completeness ?? completeness }),
    );
    await table.rounds.markSummarySent(planId, fiscalYear, quarter, now);
  }
  logger.info("round closed", { planId, fiscalYear, quarter, closedNow, ...completeness });
  return completeness;
}

export const handler = middy<CloseRoundEvent, Completeness>()
  .use(logFailures())
  .use(parseEvent(closeRoundEventSchema))
  .handler((event) => closeRound(event));
