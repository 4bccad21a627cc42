import { randomBytes } from "node:crypto";
import middy from "@middy/core";
import { consoleYearUrl } from "../domain/console/session.ts";
import { NotFoundError } from "../domain/errors.ts";
import { hashLinkToken } from "../domain/link-token.ts";
import { draftReadyMail } from "../domain/mail.ts";
import { type ReviewRef, reviewRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, publicUrlEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv, ...publicUrlEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);

/** How long the secretariat's link to a draft works; a later issue replaces it with signing in. */
export const REPORT_LINK_DAYS = 30;

/** The secretariat's link to a draft; the raw token appears only here and in the email. */
export function reportUrl(token: string): string {
  return `${env.PUBLIC_BASE_URL.replace(/\/$/, "")}/reports/${token}/index.html`;
}

/** Emails the secretariat a personal link (256-bit token, only its hash stored) to the new draft. */
export async function notifyDraft(ref: ReviewRef, now = new Date()): Promise<{ version: number; url: string }> {
  const plan = await table.plans.getPlan(ref.planId);
  const review = await table.reviews.findReview(ref.planId, ref.fiscalYear, ref.version);
  if (!review) throw new NotFoundError(`Review v${ref.version}`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + REPORT_LINK_DAYS * 24 * 60 * 60 * 1000);
  await table.reviews.putReportLink(
    {
      planId: ref.planId,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      prefix: review.prefix,
      expiresAt: expiresAt.toISOString(),
    },
    hashLinkToken(token),
  );
  const url = reportUrl(token);
  await mailer.send(
    draftReadyMail({
      plan,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      url,
      expiresAt,
      findings: review.figures.findings.length,
      consoleUrl: consoleYearUrl(env.PUBLIC_BASE_URL, ref.planId, ref.fiscalYear),
    }),
  );
  // The url is not returned into the workflow's history: it carries the token.
  return { version: ref.version, url: "(emailed)" };
}

export const handler = middy<ReviewRef, { version: number; url: string }>()
  .use(logFailures())
  .use(parseEvent(reviewRefSchema))
  .handler((event) => notifyDraft(event));
