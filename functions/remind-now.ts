import middy from "@middy/core";
import { type RemindNowInput, remindNowInputSchema } from "../domain/workflow-events.ts";
import { AnswerWorkbooks } from "./adapters/answer-workbooks.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { secretsManagerClient } from "./adapters/clients/secrets-manager.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { inboundDomainEnv, linkKeyEnv, mailEnv, publicUrlEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { FormLinks } from "./adapters/form-links.ts";
import { Mailer } from "./adapters/mailer.ts";
import { composeMime } from "./adapters/mime.ts";
import { ReplyAddresses } from "./adapters/reply-addresses.ts";
import { SecretValue } from "./adapters/secrets.ts";
import { openInboundStore, openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";
import { ChaseAnswers, type ManualReminderOutcome } from "./use-cases/chase-answers.ts";

const env = readEnv({ ...tableEnv, ...mailEnv, ...publicUrlEnv, ...linkKeyEnv, ...inboundDomainEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const linkKey = new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN);
const links = new FormLinks(linkKey, env.PUBLIC_BASE_URL);
const replyAddresses = new ReplyAddresses(
  linkKey,
  env.INBOUND_DOMAIN,
  openInboundStore(documentClient, env.TABLE_NAME),
);
const workbooks = new AnswerWorkbooks(table);
const chase = new ChaseAnswers({
  table,
  mailer: new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET, composeMime),
  formUrl: (subject) => links.url(subject),
  replyAddress: (subject) => replyAddresses.addressFor(subject),
  attachments: (request) => workbooks.attachmentsFor(request),
});

/**
 * The secretariat's reminder now (`pdca round remind`, through the RemindNow workflow): one institution, or every
 * one that has not answered, each at most once an hour, with the same personal link as the request.
 */
export async function remindNow(
  input: RemindNowInput,
  now = new Date(),
): Promise<{ outcomes: ManualReminderOutcome[] }> {
  const outcomes = await chase.remindNow(input, input.actor, now);
  logger.info("reminders sent by hand", { sent: outcomes.filter((outcome) => outcome.outcome === "sent").length });
  return { outcomes };
}

export const handler = middy<RemindNowInput, { outcomes: ManualReminderOutcome[] }>()
  .use(logFailures())
  .use(parseEvent(remindNowInputSchema))
  .handler((event) => remindNow(event));
