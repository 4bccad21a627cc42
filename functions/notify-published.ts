import middy from "@middy/core";
import { publishedMail } from "../domain/approval-mail.ts";
import { NotFoundError } from "../domain/errors.ts";
import { yearPagePath } from "../domain/site/pages.ts";
import { type CirculationRef, circulationRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, readEnv, siteUrlEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv, ...siteUrlEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM);

/**
 * Emails everyone on the plan (its contacts, the secretariat and the approvers) the address of the year's report once
 * a version is published: the year's page, which shows the latest published version.
 * 1. Read the plan and the version; one not published yet is not announced (NotFoundError).
 * 2. Send the domain's message with the site's address of the year, to each person on their own, so that nobody
 *    receives the addresses of everyone else on the plan.
 */
export async function notifyPublished(ref: CirculationRef): Promise<{ recipients: number; url: string }> {
  const plan = await table.plans.getPlan(ref.planId);
  const stored = await table.reviews.findReview(ref.planId, ref.fiscalYear, ref.version);
  if (!stored?.publishedAt || !stored.approvedAt) throw new NotFoundError(`Published v${ref.version}`);
  const url = new URL(yearPagePath(ref.planId, ref.fiscalYear), `${env.SITE_BASE_URL.replace(/\/$/, "")}/`).href;
  const message = publishedMail({
    plan,
    fiscalYear: ref.fiscalYear,
    version: ref.version,
    approvedAt: new Date(stored.approvedAt),
    url,
  });
  for (const to of message.to) await mailer.send({ ...message, to: [to] });
  return { recipients: message.to.length, url };
}

export const handler = middy<CirculationRef, { recipients: number; url: string }>()
  .use(logFailures())
  .use(parseEvent(circulationRefSchema))
  .handler((event) => notifyPublished(event));
