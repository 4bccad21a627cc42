import { ChaseAnswers } from "../use-cases/chase-answers.ts";
import { AnswerWorkbooks } from "./answer-workbooks.ts";
import { documentClient } from "./clients/dynamodb.ts";
import { secretsManagerClient } from "./clients/secrets-manager.ts";
import { sesClient } from "./clients/ses.ts";
import { inboundDomainEnv, linkKeyEnv, mailEnv, publicUrlEnv, readEnv, tableEnv } from "./env.ts";
import { FormLinks } from "./form-links.ts";
import { Mailer } from "./mailer.ts";
import { composeMime } from "./mime.ts";
import { ReplyAddresses } from "./reply-addresses.ts";
import { SecretValue } from "./secrets.ts";
import { openInboundStore, openTable, type Table } from "./table/index.ts";

/**
 * The chasing of answers as the functions that mail institutions again build it (ActOnMoment, RemindNow): each
 * mail carries the request's own form link, its reply address and the quarter's prefilled workbook. The table is
 * returned with it for the handler's own reads.
 */
export function chaseAnswersFromEnv(): { chase: ChaseAnswers; table: Table } {
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
  return { chase, table };
}
