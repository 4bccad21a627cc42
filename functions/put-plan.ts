import middy from "@middy/core";
import type * as z from "zod/mini";
import { InvalidInputError } from "../domain/errors.ts";
import { checkPlan } from "../domain/plan.ts";
import { planResourceEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

type PlanResourceEvent = z.output<typeof planResourceEventSchema>;

/** The physical id of a plan's resource: one per plan id, so renaming a plan makes a new resource. */
export function planResourceId(planId: string): string {
  return `plan:${planId}`;
}

/**
 * Writes a plan file into the table when the stack deploys (a CloudFormation custom resource, one per file under
 * plans/). Create and Update put the plan, checked again here so that a deploy never stores a plan the platform
 * would refuse; Delete keeps it, because the rounds, answers and reviews of its years refer to it.
 */
export async function putPlan(event: PlanResourceEvent): Promise<{ PhysicalResourceId: string }> {
  const { PlanId: planId, Plan: text } = event.ResourceProperties;
  const physicalResourceId = planResourceId(planId);
  if (event.RequestType === "Delete") {
    logger.info("plan resource removed; the plan is kept", { planId });
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    throw new InvalidInputError([{ path: "Plan", ja: "計画がJSONとして読めません", en: "The plan is not JSON" }]);
  }
  const checked = checkPlan(content);
  if (!checked.ok) throw new InvalidInputError(checked.errors);
  if (checked.value.id !== planId)
    throw new InvalidInputError([
      {
        path: "PlanId",
        ja: "計画IDが計画の内容と一致しません",
        en: `does not match the plan's id (${checked.value.id})`,
      },
    ]);
  await table.plans.putPlan(checked.value);
  logger.info("plan deployed", { planId, requestType: event.RequestType });
  return { PhysicalResourceId: physicalResourceId };
}

export const handler = middy<PlanResourceEvent, { PhysicalResourceId: string }>()
  .use(logFailures())
  .use(parseEvent(planResourceEventSchema))
  .handler((event) => putPlan(event));
