import middy from "@middy/core";
import * as z from "zod/mini";
import { roundId } from "../domain/keys.ts";
import { sesEventSchema, snsEventSchema, undeliverableOf } from "../domain/mail-feedback.ts";
import { undeliverableMail } from "../domain/reminder-mail.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);

type SnsEvent = z.output<typeof snsEventSchema>;

/**
 * SES's bounce and complaint events, through the configuration set's SNS topic:
 * 1. Read each record's SES event (domain/mail-feedback.ts); one not about a request's addresses is logged and left.
 * 2. Mark each address undeliverable on its request, once: SNS delivers at least once, so a repeat finds it marked.
 * 3. For an address newly marked, write the audit entry and tell the secretariat at once, naming the address. The
 *    mailer skips marked addresses for the rest of the round (functions/adapters/mailer.ts).
 */
export async function recordMailFeedback(event: SnsEvent, now = new Date()): Promise<{ marked: string[] }> {
  const marked: string[] = [];
  for (const record of event.Records) {
    const parsed = z.safeParse(sesEventSchema, JSON.parse(record.Sns.Message));
    const found = parsed.success ? undeliverableOf(parsed.data) : undefined;
    if (!found) {
      logger.warn("mail feedback not about a request's address", { messageId: record.Sns.MessageId });
      continue;
    }
    const { request } = found;
    const plan = await table.plans.getPlan(request.planId);
    const institution = plan.institutions.find((candidate) => candidate.id === request.institutionId);
    for (const address of found.addresses) {
      if (!(await table.requests.markUndeliverable(request, address))) continue;
      marked.push(address);
      await table.submissions.recordAudit(request.planId, request.fiscalYear, now, {
        id: `undeliverable-${record.Sns.MessageId}-${address}`,
        actor: "ses",
        channel: "email",
        action: found.reason === "bounce" ? "bounce" : "complaint",
        target: `${roundId(request.planId, request.fiscalYear, request.quarter)}/${request.institutionId}`,
      });
      if (institution)
        await mailer.send(
          undeliverableMail({ plan, institution, ...request, address, reason: found.reason, detail: found.detail }),
        );
      logger.warn("address undeliverable", { institutionId: request.institutionId, reason: found.reason });
    }
  }
  return { marked };
}

export const handler = middy<SnsEvent, { marked: string[] }>()
  .use(logFailures())
  .use(parseEvent(snsEventSchema))
  .handler((event) => recordMailFeedback(event));
