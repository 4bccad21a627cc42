import middy from "@middy/core";
import { type RemindNowInput, remindNowInputSchema } from "../domain/workflow-events.ts";
import { chaseAnswersFromEnv } from "./adapters/chase-from-env.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";
import type { ManualReminderOutcome } from "./use-cases/chase-answers.ts";

const { chase } = chaseAnswersFromEnv();

/**
 * The secretariat's reminder now (`pdca round remind`, through the RemindNow workflow): one institution, or every
 * one that has not answered, each at most once an hour, with the same personal link as the request.
 */
export async function remindNow(
  input: RemindNowInput,
  now = new Date(),
): Promise<{ outcomes: ManualReminderOutcome[] }> {
  const outcomes = await chase.remindNow(input, input.actor, now);
  logger.info("reminders sent by hand", { sent: outcomes.filter((outcome) => outcome.outcome === "sent").length });
  return { outcomes };
}

export const handler = middy<RemindNowInput, { outcomes: ManualReminderOutcome[] }>()
  .use(logFailures())
  .use(parseEvent(remindNowInputSchema))
  .handler((event) => remindNow(event));
