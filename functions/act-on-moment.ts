import middy from "@middy/core";
import type * as z from "zod/mini";
import { actOnMomentEventSchema, batchOf } from "../domain/workflow-events.ts";
import { chaseAnswersFromEnv } from "./adapters/chase-from-env.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const { chase, table } = chaseAnswersFromEnv();

type ActOnMomentEvent = z.output<typeof actOnMomentEventSchema>;

/**
 * Acts on one batch of the round's institutions at one of its moments (functions/use-cases/chase-answers.ts): marks
 * the unanswered overdue at the deadline, mails them at a reminder, overdue notice or escalation, each at most once.
 */
export async function actOnMoment(event: ActOnMomentEvent, now = new Date()) {
  const plan = await table.plans.getPlan(event.round.planId);
  return chase.actOnMoment(event.round, event.moment, batchOf(plan.institutions, event.batch), now);
}

export const handler = middy<ActOnMomentEvent, { marked: number; mailed: number }>()
  .use(logFailures())
  .use(parseEvent(actOnMomentEventSchema))
  .handler((event) => actOnMoment(event));
