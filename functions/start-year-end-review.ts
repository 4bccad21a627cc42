import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import middy from "@middy/core";
import { reviewExecutionName } from "../domain/keys.ts";
import { type StartReviewInput, startReviewInputSchema } from "../domain/workflow-events.ts";
import { sfnClient } from "./adapters/clients/sfn.ts";
import { readEnv, reviewWorkflowEnv } from "./adapters/env.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv(reviewWorkflowEnv);

/**
 * Starts the YearEndReview when the Q4 round closes. A review already running (or run) under the same name is
 * left alone: the closing of a round must not fail because the secretariat started the review first.
 */
export async function startYearEndReview(input: StartReviewInput): Promise<{ started: boolean }> {
  try {
    await sfnClient.send(
      new StartExecutionCommand({
        stateMachineArn: env.REVIEW_WORKFLOW_ARN,
        name: reviewExecutionName(input.planId, input.fiscalYear),
        input: JSON.stringify(input),
      }),
    );
    return { started: true };
  } catch (error) {
    if ((error as Error).name !== "ExecutionAlreadyExists") throw error;
    logger.info("year-end review already started", { ...input });
    return { started: false };
  }
}

export const handler = middy<StartReviewInput, { started: boolean }>()
  .use(logFailures())
  .use(parseEvent(startReviewInputSchema))
  .handler((event) => startYearEndReview(event));
