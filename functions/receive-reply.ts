import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import { readAnswerFile } from "../domain/answer-file/read.ts";
import { type SesReceiptEvent, sesReceiptEventSchema } from "../domain/inbound/inbound-mail.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { secretsManagerClient } from "./adapters/clients/secrets-manager.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import {
  inboundBucketEnv,
  inboundDomainEnv,
  linkKeyEnv,
  mailEnv,
  publicUrlEnv,
  readEnv,
  tableEnv,
  uncheckedMailEnv,
} from "./adapters/env.ts";
import { FormLinks } from "./adapters/form-links.ts";
import { InboundMessages } from "./adapters/inbound-messages.ts";
import { Mailer } from "./adapters/mailer.ts";
import { SecretValue } from "./adapters/secrets.ts";
import { openInboundStore, openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";
import { ReceiveReply, type ReplyOutcome } from "./use-cases/receive-reply.ts";
import { SubmitAnswer } from "./use-cases/submit-answer.ts";

const env = readEnv({
  ...tableEnv,
  ...mailEnv,
  ...publicUrlEnv,
  ...linkKeyEnv,
  ...inboundDomainEnv,
  ...inboundBucketEnv,
  ...uncheckedMailEnv,
});
const table = openTable(documentClient, env.TABLE_NAME);
const links = new FormLinks(new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN), env.PUBLIC_BASE_URL);
const messages = new InboundMessages(s3Client, env.INBOUND_BUCKET, env.INBOUND_PREFIX);
const receiveReply = new ReceiveReply({
  table,
  inbound: openInboundStore(documentClient, env.TABLE_NAME),
  submitAnswer: new SubmitAnswer({ table, newId: randomUUID }),
  readAnswerFile,
  loadMessage: (messageId) => messages.load(messageId),
  mailer: new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET),
  formUrl: (subject) => links.url(subject),
  inboundDomain: env.INBOUND_DOMAIN,
  acceptUnchecked: env.INBOUND_UNCHECKED_MAIL === "accept",
});

/**
 * Reads each reply SES received (functions/use-cases/receive-reply.ts has the steps). A failure is thrown, so that
 * Lambda retries the Event call; the message stays in the bucket whatever happens, and a retried one is not answered
 * twice.
 */
export async function receiveReplies(event: SesReceiptEvent): Promise<{ outcomes: ReplyOutcome[] }> {
  const outcomes: ReplyOutcome[] = [];
  for (const record of event.Records) {
    const outcome = await receiveReply.receive(record);
    logger.info("reply received", { messageId: record.ses.mail.messageId, outcome });
    outcomes.push(outcome);
  }
  return { outcomes };
}

export const handler = middy<SesReceiptEvent, { outcomes: ReplyOutcome[] }>()
  .use(logFailures())
  .use(parseEvent(sesReceiptEventSchema))
  .handler((event) => receiveReplies(event));
