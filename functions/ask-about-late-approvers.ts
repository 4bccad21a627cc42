import middy from "@middy/core";
import { lateApproversMail } from "../domain/approval-mail.ts";
import { mayProceedWithout } from "../domain/approvals.ts";
import { NotFoundError } from "../domain/errors.ts";
import { hashLinkToken, stepDecisionToken } from "../domain/link-token.ts";
import { type AskAboutLateApproversEvent, askAboutLateApproversEventSchema } from "../domain/workflow-events.ts";
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

/**
 * Tells the secretariat which approvers did not decide by the step's deadline, with its own link to extend the
 * deadline or go on without them, and parks the workflow's task token with that link until it decides (a POST on
 * that page, never a GET). Safe to repeat: the link is derived from the step and the count of times asked, and is
 * mailed once.
 */
export async function askAboutLateApprovers(event: AskAboutLateApproversEvent, now = new Date()): Promise<void> {
  const { ref, step: stepRef, late, asked, taskToken } = event;
  const plan = await table.plans.getPlan(ref.planId);
  const step = plan.approvals?.steps.find((candidate) => candidate.id === stepRef.id);
  if (!step) throw new NotFoundError(`Approval step ${stepRef.id}`);
  const token = stepDecisionToken(await linkKey.get(), { ...ref, stepId: step.id, asked });
  const linkHash = hashLinkToken(token);
  const bound = await table.approvals.bindStepDecisionLink(
    { planId: ref.planId, fiscalYear: ref.fiscalYear, version: ref.version, stepId: step.id, late, asked, taskToken },
    linkHash,
  );
  if (!bound) return void (await workflow.succeed(taskToken, { decided: true }));
  const link = await table.approvals.getStepDecisionLink(ref, linkHash);
  if (link?.emailedAt) return;
  await mailer.send(
    lateApproversMail({
      plan,
      step,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      late: step.approvers.filter((approver) => late.includes(approver.id)),
      mayProceed: mayProceedWithout(
        plan.approvals?.steps ?? [],
        step.id,
        ref.version,
        await table.approvals.listDecisions(ref),
      ),
      url: `${env.PUBLIC_BASE_URL.replace(/\/$/, "")}/decisions/${token}`,
    }),
  );
  await table.approvals.markStepDecisionEmailed(ref, linkHash, now);
  logger.info("secretariat asked about late approvers", { ...ref, stepId: step.id, late });
}

export const handler = middy<AskAboutLateApproversEvent, void>()
  .use(logFailures())
  .use(parseEvent(askAboutLateApproversEventSchema))
  .handler((event) => askAboutLateApprovers(event));
