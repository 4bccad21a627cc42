import middy from "@middy/core";
import type * as z from "zod/mini";
import { NotFoundError } from "../domain/errors.ts";
import { hashLinkToken } from "../domain/link-token.ts";
import { requestMail } from "../domain/mail.ts";
import type { Institution, Plan } from "../domain/plan.ts";
import { batchOf, type RoundRef, sendRequestEventSchema } from "../domain/workflow-events.ts";
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

const env = readEnv({ ...tableEnv, ...mailEnv, ...publicUrlEnv, ...linkKeyEnv, ...inboundDomainEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET, composeMime);
const linkKey = new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN);
const links = new FormLinks(linkKey, env.PUBLIC_BASE_URL);
const replyAddresses = new ReplyAddresses(
  linkKey,
  env.INBOUND_DOMAIN,
  openInboundStore(documentClient, env.TABLE_NAME),
);
const workbooks = new AnswerWorkbooks(table);

type SendRequestEvent = z.output<typeof sendRequestEventSchema>;

/**
 * Asks one institution for its quarter's answer. Safe to repeat:
 * 1. Create the request unless it exists.
 * 2. Answered already, or emailed already: nothing to do.
 * 3. Bind the request's link (derived from the link key and the request, so it is the same link every time; only
 *    its hash is stored), unless the answer landed first, then email every contact. A call repeated after the mail
 *    went out but before it was recorded sends the same link again, never a new one; a call after it was recorded
 *    sends nothing. The quarter's workbook, prefilled, goes with it (adapters/answer-workbooks.ts), and the mail's
 *    Reply-To is the request's reply address (derived the same way, its hash bound too), so a reply with the
 *    workbook attached is an answer (functions/receive-reply.ts).
 */
export async function sendRequest(plan: Plan, round: RoundRef, institution: Institution, now: Date): Promise<void> {
  const request = await table.requests.ensureRequest({
    planId: round.planId,
    fiscalYear: round.fiscalYear,
    quarter: round.quarter,
    institutionId: institution.id,
    status: "pending",
    deadline: round.deadline,
  });
  if (request.status === "answered" || request.emailedAt) return;
  const token = await links.token(request);
  if (!(await table.requests.bindLink(request, hashLinkToken(token)))) return;
  const mailed = {
    plan,
    institution,
    fiscalYear: round.fiscalYear,
    quarter: round.quarter,
    deadline: new Date(round.deadline),
  };
  await mailer.send(
    {
      ...requestMail({
        ...mailed,
        formUrl: await links.url(request),
        replyAddress: await replyAddresses.addressFor(request),
      }),
      attachments: await workbooks.attachmentsFor(mailed),
    },
    { skip: request.undeliverable },
  );
  await table.requests.markEmailed(request, now);
  logger.info("request emailed", { institutionId: institution.id, recipients: institution.contacts.length });
}

/**
 * Asks one batch of the plan's institutions (workflow-events.ts INSTITUTIONS_PER_BATCH), one after the other so SES
 * is not flooded. A failure fails the batch; the workflow's retry asks again and skips whoever was emailed.
 */
export async function sendRequests(event: SendRequestEvent, now = new Date()): Promise<{ asked: number }> {
  const plan = await table.plans.getPlan(event.round.planId);
  const institutions = batchOf(plan.institutions, event.batch);
  if (institutions.length === 0) throw new NotFoundError(`Batch ${event.batch} of plan ${plan.id}`);
  for (const institution of institutions) await sendRequest(plan, event.round, institution, now);
  return { asked: institutions.length };
}

export const handler = middy<SendRequestEvent, { asked: number }>()
  .use(logFailures())
  .use(parseEvent(sendRequestEventSchema))
  .handler((event) => sendRequests(event));
