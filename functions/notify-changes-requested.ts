import middy from "@middy/core";
import { changesRequestedMail } from "../domain/approval-mail.ts";
import { consoleYearUrl } from "../domain/console/session.ts";
import { type CirculationRef, circulationRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { mailEnv, publicUrlEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { Mailer } from "./adapters/mailer.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...mailEnv, ...publicUrlEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const mailer = new Mailer(sesClient, env.MAIL_FROM, env.MAIL_CONFIGURATION_SET);

/** Emails the secretariat every request for changes on a version, with the approvers' comments and how to revise. */
export async function notifyChangesRequested(ref: CirculationRef): Promise<{ requests: number }> {
  const plan = await table.plans.getPlan(ref.planId);
  const approvers = new Map(plan.approvals?.steps.flatMap((step) => step.approvers.map((a) => [a.id, a] as const)));
  const requests = (await table.approvals.listDecisions(ref))
    .filter((decision) => decision.decision === "request-changes")
    .flatMap((decision) => {
      const approver = approvers.get(decision.approverId);
      return approver ? [{ approver, comment: decision.comment }] : [];
    });
  await mailer.send(
    changesRequestedMail({
      plan,
      fiscalYear: ref.fiscalYear,
      version: ref.version,
      requests,
      consoleUrl: consoleYearUrl(env.PUBLIC_BASE_URL, ref.planId, ref.fiscalYear),
    }),
  );
  return { requests: requests.length };
}

export const handler = middy<CirculationRef, { requests: number }>()
  .use(logFailures())
  .use(parseEvent(circulationRefSchema))
  .handler((event) => notifyChangesRequested(event));
