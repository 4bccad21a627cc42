import middy from "@middy/core";
import { roundsOpenMail } from "../domain/mail.ts";
import { type RoundsCheck, roundsCheckSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);

/** Asks the secretariat to wait for the open rounds or to start the review again with `proceedAnyway`. */
export async function notifyRoundsOpen(check: RoundsCheck): Promise<{ notified: string[] }> {
  const plan = await table.plans.getPlan(check.planId);
  const message = roundsOpenMail({ plan, fiscalYear: check.fiscalYear, notClosed: check.notClosed });
  await mailer.send(message);
  return { notified: message.to };
}

export const handler = middy<RoundsCheck, { notified: string[] }>()
  .use(logFailures())
  .use(parseEvent(roundsCheckSchema))
  .handler((event) => notifyRoundsOpen(event));
