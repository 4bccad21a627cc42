import middy from "@middy/core";
import { approvalRequestMail } from "../domain/approval-mail.ts";
import { approvalWaitEnds } from "../domain/circulation.ts";
import { NotFoundError } from "../domain/errors.ts";
import { approvalLinkToken, hashLinkToken } from "../domain/link-token.ts";
import { type RequestApprovalEvent, requestApprovalEventSchema } from "../domain/workflow-events.ts";
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
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);
const workflow = new WorkflowCallback(sfnClient);
const linkKey = new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN);

/** An approver's personal link: the raw token appears only here and in the email. */
export function approvalUrl(token: string): string {
  return `${env.PUBLIC_BASE_URL.replace(/\/$/, "")}/approvals/${token}`;
}

/**
 * Asks one approver to decide on a draft version within a step, and parks the workflow's task token with the
 * approver's link while it waits (until the step's deadline). Safe to repeat.
 * 1. Nothing to ask (domain/circulation.ts approvalWaitEnds: decided already, changes requested in the step, or the
 *    deadline passed): resume the task at once, mailing nobody.
 * 2. Bind the approver's link (derived from the link key, the same on every call; only its hash is stored) with
 *    the task and the step's deadline as its expiry.
 * 3. Email it the first time; after an extension (the deadline moved since the last mail), a reminder with the new
 *    deadline; otherwise nothing.
 */
export async function requestApproval(event: RequestApprovalEvent, now = new Date()): Promise<void> {
  const { ref, step: stepRef, approver: item, taskToken } = event;
  const plan = await table.plans.getPlan(ref.planId);
  const step = plan.approvals?.steps.find((candidate) => candidate.id === stepRef.id);
  const approver = step?.approvers.find((candidate) => candidate.id === item.approverId);
  if (!step || !approver) throw new NotFoundError(`Approver ${item.approverId} of step ${stepRef.id}`);
  const ended = approvalWaitEnds({
    stepId: step.id,
    approverId: approver.id,
    version: ref.version,
    decisions: await table.approvals.listDecisions(ref),
    deadline: event.deadline,
    now,
  });
  const resume = (decided: boolean) => workflow.succeed(taskToken, { approverId: approver.id, decided });
  if (ended) {
    logger.info("approval wait ended without asking", { ...ref, stepId: step.id, approverId: approver.id, ended });
    return void (await resume(ended === "decided"));
  }
  const subject = { ...ref, stepId: step.id, approverId: approver.id };
  const token = approvalLinkToken(await linkKey.get(), subject);
  const linkHash = hashLinkToken(token);
  const bound = await table.approvals.bindApprovalLink(
    {
      planId: ref.planId,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      stepId: step.id,
      approverId: approver.id,
      expiresAt: event.deadline,
      taskToken,
    },
    linkHash,
  );
  if (!bound) return void (await resume(true));
  const link = await table.approvals.getApprovalLink(ref, linkHash);
  const firstMail = !link?.emailedAt;
  if (!firstMail && link?.emailedFor === event.deadline) return;
  const earlier = (await table.approvals.listApprovalLinks(ref.planId, ref.fiscalYear))
    .filter((candidate) => candidate.approverId === approver.id && candidate.version < ref.version)
    .map((candidate) => candidate.version);
  await mailer.send(
    approvalRequestMail({
      plan,
      approver,
      step,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      deadline: new Date(event.deadline),
      url: approvalUrl(token),
      reminder: !firstMail,
      previousVersion: earlier.length ? Math.max(...earlier) : undefined,
    }),
  );
  await table.approvals.markApprovalEmailed(ref, linkHash, now);
  logger.info(firstMail ? "approval requested" : "approval reminder sent", { ...subject });
}

export const handler = middy<RequestApprovalEvent, void>()
  .use(logFailures())
  .use(parseEvent(requestApprovalEventSchema))
  .handler((event) => requestApproval(event));
