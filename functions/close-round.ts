import middy from "@middy/core";
import type * as z from "zod/mini";
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
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);

type CloseRoundEvent = z.output<typeof closeRoundEventSchema>;

/**
 * Closes a round once every institution answered or ran out of time.
 * 1. Mark the round closed first: every answer that commits from here on is refused (its transaction checks the
 *    round), so nothing can be stored after the count below.
 * 2. Read the round's requests consistently and compute completeness: every answer stored before the close is in
 *    it. The table is the record; the Map's results are not trusted for counting.
 * 3. Store the completeness once (a retried close keeps the first), and email the secretariat a summary (with who
 *    was reminded or escalated, and when) unless one went out already: a retry after a failed send still sends it,
 *    a second close sends nothing.
 */
export async function closeRound(event: CloseRoundEvent, now = new Date()): Promise<Completeness> {
  const { planId, fiscalYear, quarter } = event.round;
  const plan = await table.plans.getPlan(planId);
  const closedNow = await table.rounds.markClosed(planId, fiscalYear, quarter, now);
  const requests = await table.requests.listRequests(planId, fiscalYear, quarter);
  const counted = completenessOf(
    plan.institutions.map((institution) => institution.id),
    requests,
  );
  await table.rounds.recordCompleteness(planId, fiscalYear, quarter, counted);
  const round = await table.rounds.findRound(planId, fiscalYear, quarter);
  const completeness = round?.completeness ?? counted;
  if (round && !round.summarySentAt) {
    const chased = (await table.reminders.listReminders(planId, fiscalYear, quarter)).flatMap((reminder) =>
      reminder.sentAt ? [{ institutionId: reminder.institutionId, kind: reminder.kind, sentAt: reminder.sentAt }] : [],
    );
    await mailer.send(roundSummaryMail({ plan, fiscalYear, quarter, completeness, chased }));
    await table.rounds.markSummarySent(planId, fiscalYear, quarter, now);
  }
  logger.info("round closed", { planId, fiscalYear, quarter, closedNow, ...completeness });
  return completeness;
}

export const handler = middy<CloseRoundEvent, Completeness>()
  .use(logFailures())
  .use(parseEvent(closeRoundEventSchema))
  .handler((event) => closeRound(event));
