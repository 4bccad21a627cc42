import middy from "@middy/core";
import type * as z from "zod/mini";
import { actOnMomentEventSchema, batchOf } from "../domain/workflow-events.ts";
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
import { logFailures, parseEvent } from "./middleware.ts";
import { ChaseAnswers } from "./use-cases/chase-answers.ts";

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

type ActOnMomentEvent = z.output<typeof actOnMomentEventSchema>;

/**
 * Acts on one batch of the round's institutions at one of its moments (functions/use-cases/chase-answers.ts): marks
 * the unanswered overdue at the deadline, mails them at a reminder, overdue notice or escalation, each at most once.
 */
export async function actOnMoment(event: ActOnMomentEvent, now = new Date()) {
  const plan = await table.plans.getPlan(event.round.planId);
  return chase.actOnMoment(event.round, event.moment, batchOf(plan.institutions, event.batch), now);
}

export const handler = middy<ActOnMomentEvent, { marked: number; mailed: number }>()
  .use(logFailures())
  .use(parseEvent(actOnMomentEventSchema))
  .handler((event) => actOnMoment(event));
