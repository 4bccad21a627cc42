import * as z from "zod/mini";

/** Reads and checks the environment a handler needs, once, at module scope; a missing variable fails cold start. */
export function readEnv<S extends z.core.$ZodLooseShape>(shape: S): z.output<z.ZodMiniObject<S>> {
  const parsed = z.safeParse(z.object(shape), process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new Error(`Missing or invalid environment variables: ${names}`);
  }
  return parsed.data;
}

const nonEmpty = z.string().check(z.minLength(1));

export const tableEnv = { TABLE_NAME: nonEmpty };
/** The sender, and on AWS the SES configuration set that reports bounces and complaints (absent locally). */
export const mailEnv = { MAIL_FROM: z.email(), MAIL_CONFIGURATION_SET: z.optional(nonEmpty) };
/** The public base URL of the HTTP API (forms, report links), for the links a function writes into mail. */
export const publicUrlEnv = { PUBLIC_BASE_URL: z.url() };
export const bucketEnv = { REPORTS_BUCKET: nonEmpty };
/** The workflows a function starts, named by the catalog's `startsWorkflows`. */
export const reviewWorkflowEnv = { REVIEW_WORKFLOW_ARN: nonEmpty };
export const collectionWorkflowEnv = { COLLECTION_WORKFLOW_ARN: nonEmpty };
export const remindWorkflowEnv = { REMIND_WORKFLOW_ARN: nonEmpty };
/** The secret console sessions are signed with (functions/console-http.ts). */
export const sessionKeyEnv = { SESSION_KEY_SECRET_ARN: nonEmpty };
/** Addresses named at deploy time that may use the console besides the plans' secretariat contacts. */
export const operatorsEnv = { CONSOLE_OPERATORS: z._default(z.string(), "") };
/** The secret that form links are derived from (functions/send-request.ts). */
export const linkKeyEnv = { LINK_KEY_SECRET_ARN: nonEmpty };
/** The domain that receives replies to request mail (`answer+<token>@<domain>`), for the Reply-To a mailer writes. */
export const inboundDomainEnv = { INBOUND_DOMAIN: nonEmpty };
/** The bucket the receipt rule stores each received message in, and the key prefix it stores them under. */
export const inboundBucketEnv = { INBOUND_BUCKET: nonEmpty, INBOUND_PREFIX: z.string().check(z.regex(/^([^/]+\/)*$/)) };
/**
 * Only the local stack sets this: its SMTP listener checks neither SPF nor DKIM, and reports both as DISABLED; with
 * "accept", such a reply from a contact is read (and its receipt says it was not checked). Never set on AWS.
 */
export const uncheckedMailEnv = { INBOUND_UNCHECKED_MAIL: z._default(z.enum(["accept", "quarantine"]), "quarantine") };
/** The site bucket and the key prefix its CDN serves as the site's root (the catalog's `site`). */
export const siteEnv = { SITE_BUCKET: nonEmpty, SITE_PREFIX: z.string().check(z.regex(/^([^/]+\/)*$/)) };
/** The published site's public base URL (the CDN's address on AWS), for the links a function writes into mail. */
export const siteUrlEnv = { SITE_BASE_URL: z.url() };
/** A Chromium to print with instead of the npm one (e.g. Debian's /usr/bin/chromium); unset in Lambda. */
export const chromiumEnv = { CHROMIUM_PATH: z.optional(nonEmpty) };
