import middy from "@middy/core";
import type * as z from "zod/mini";
import { NotFoundError } from "../domain/errors.ts";
import { formLinkToken, hashLinkToken } from "../domain/link-token.ts";
import { requestMail } from "../domain/mail.ts";
import { answeredOutput, sendRequestEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { secretsManagerClient } from "./adapters/clients/secrets-manager.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { sfnClient } from "./adapters/clients/sfn.ts";
import { linkKeyEnv, mailEnv, publicUrlEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { SecretValue } from "./adapters/secrets.ts";
import { openTable } from "./adapters/table/index.ts";
import { WorkflowCallback } from "./adapters/workflow.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv, ...publicUrlEnv, ...linkKeyEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM);
const workflow = new WorkflowCallback(sfnClient);
const linkKey = new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN);

type SendRequestEvent = z.output<typeof sendRequestEventSchema>;

/** The personal form link: the raw token appears only here and in the email. */
export function formUrl(token: string): string {
  return `${env.PUBLIC_BASE_URL.replace(/\/$/, "")}/forms/${token}`;
}

/**
 * Asks one institution for its quarter's answer (without `taskToken`), or parks the workflow's task token with the
 * request while the workflow waits for the answer (with it). Either call is safe to repeat.
 * 1. Create the request unless it exists.
 * 2. Already answered (a re-run, or an answer that raced the wait): resume the task at once, if there is one.
 * 3. Never emailed: bind the request's link (derived from the link key and the request, so it is the same link
 *    every time; only its hash is stored), and the task if any, then email every contact. A call repeated after the
 *    mail went out but before it was recorded sends the same link again, never a new one; a call after it was
 *    recorded sends nothing.
 * 4. Emailed and a task given: bind the task; the emailed link stays valid. Binding is conditional on the request
 *    being unanswered: if the answer came first, the task is resumed here.
 */
export async function sendRequest(event: SendRequestEvent, now = new Date()): Promise<void> {
  const { round, institution: item, taskToken } = event;
  const plan = await table.plans.getPlan(round.planId);
  const institution = plan.institutions.find((candidate) => candidate.id === item.institutionId);
  if (!institution) throw new NotFoundError(`Institution ${item.institutionId}`);
  const request = await table.requests.ensureRequest({
    planId: round.planId,
    fiscalYear: round.fiscalYear,
    quarter: round.quarter,
    institutionId: institution.id,
    status: "pending",
    deadline: round.deadline,
  });
  const resumeAnswered = async () => {
    if (!taskToken) return;
    const answered = await table.requests.findRequest(round.planId, round.fiscalYear, round.quarter, institution.id);
    await workflow.succeed(taskToken, answeredOutput(answered ?? { institutionId: institution.id }));
  };
  if (request.status === "answered") return resumeAnswered();
  if (request.emailedAt) {
    if (taskToken && !(await table.requests.bindTask(request, taskToken))) return resumeAnswered();
    return;
  }
  const token = formLinkToken(await linkKey.get(), {
    planId: round.planId,
    fiscalYear: round.fiscalYear,
    quarter: round.quarter,
    institutionId: institution.id,
  });
  if (!(await table.requests.bindLink(request, hashLinkToken(token), taskToken))) return resumeAnswered();
  await mailer.send(
    requestMail({
      plan,
      institution,
      fiscalYear: round.fiscalYear,
      quarter: round.quarter,
      deadline: new Date(round.deadline),
      formUrl: formUrl(token),
    }),
  );
  await table.requests.markEmailed(request, now);
  logger.info("request emailed", { institutionId: institution.id, recipients: institution.contacts.length });
}

export const handler = middy<SendRequestEvent, void>()
  .use(logFailures())
  .use(parseEvent(sendRequestEventSchema))
  .handler((event) => sendRequest(event));
