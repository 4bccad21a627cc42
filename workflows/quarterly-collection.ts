/**
 * QuarterlyCollection: one quarter's round of 照会 / 回答.
 *
 * 1. OpenRound: open the round idempotently (an existing round keeps its deadline) and list the institutions,
 *    each with whether it has answered already.
 * 2. RoundAlreadyClosed?: a closed round is left alone (its links are dead; reopening is the secretariat's call).
 * 3. AskEachInstitution (Map, bounded concurrency), per institution:
 *    - AlreadyAnswered?: skip it, so a re-run never asks an institution that answered;
 *    - SendRequestAndWaitForAnswer: email the personal link and wait on the task token until the deadline;
 *    - on States.Timeout, MarkRequestOverdue, then WaitForLateAnswer until the round closes (the same function as
 *      the request parks a new task token and emails nobody twice), then RecordNoAnswer if nothing came;
 *    - on any other failure, RecordRequestFailure; the round goes on.
 * 4. WaitUntilDeadline: answers can be corrected until the round closes, so it never closes before its deadline.
 * 5. CloseRound: store completeness from the table and email the secretariat a summary.
 * 6. FourthQuarter?: the Q4 round's close starts the year's YearEndReview (StartYearEndReview).
 *
 * Kept to what aws-local-stepfunctions runs, so the one definition serves AWS and the local stack: JSONPath only,
 * inline Map, Lambda tasks only, no HeartbeatSeconds.
 */
import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import {
  Choice,
  Condition,
  DefinitionBody,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { FunctionName } from "../functions/catalog.ts";

/** Institutions asked at once; well under SES's send rate and Lambda's burst, plenty for a few dozen partners. */
export const MAX_CONCURRENT_REQUESTS = 10;

/** Errors a task must not retry: the input is wrong and will stay wrong. */
const PERMANENT_ERRORS = ["InvalidInputError", "NotFoundError"];

/** Builds the QuarterlyCollection definition over the catalog's functions. */
export function quarterlyCollectionDefinition(
  parent: Construct,
  functions: Pick<
    Record<FunctionName, IFunction>,
    "openRound" | "sendRequest" | "markOverdue" | "closeRound" | "startYearEndReview"
  >,
): DefinitionBody {
  // The states get their own scope so their ids ("OpenRound") never collide with the functions' ids.
  const scope = new Construct(parent, "QuarterlyCollectionStates");

  const roundAndInstitution = {
    round: JsonPath.objectAt("$.round"),
    institution: JsonPath.objectAt("$.institution"),
  };

  // Failure and late paths first.
  const recordFailure = new Pass(scope, "RecordRequestFailure", {
    comment: "The request could not be sent; the institution counts as missing and the round goes on.",
    parameters: { "institutionId.$": "$.institution.institutionId", status: "failed", "error.$": "$.failure" },
  });
  const recordNoAnswer = new Pass(scope, "RecordNoAnswer", {
    comment: "The round closed with no answer from this institution.",
    parameters: { "institutionId.$": "$.institution.institutionId", status: "missing" },
  });
  const answeredAtDeadline = new Pass(scope, "AnsweredAtTheDeadline", {
    parameters: { "institutionId.$": "$.institution.institutionId", status: "answered" },
  });
  /** Parks a task token with the request (sendRequest emails only the first time) and waits until the timeout. */
  const waitForAnswer = (id: string, timeoutSecondsPath: string, onTimeout: IChainable) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction: functions.sendRequest,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...roundAndInstitution, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.at(timeoutSecondsPath),
      resultPath: "$.answer",
    })
      .addRetry({ errors: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], maxAttempts: 3 })
      .addCatch(onTimeout, { errors: ["States.Timeout"], resultPath: "$.timeout" })
      .addCatch(recordFailure, { errors: ["States.ALL"], resultPath: "$.failure" });
  const waitForLateAnswer = waitForAnswer("WaitForLateAnswer", "$.overdue.lateWaitSeconds", recordNoAnswer);
  const markOverdue = new LambdaInvoke(scope, "MarkRequestOverdue", {
    lambdaFunction: functions.markOverdue,
    payload: TaskInput.fromObject(roundAndInstitution),
    payloadResponseOnly: true,
    resultPath: "$.overdue",
  });
  markOverdue.next(
    new Choice(scope, "AnsweredMeanwhile?")
      .when(Condition.stringEquals("$.overdue.status", "answered"), answeredAtDeadline)
      .otherwise(waitForLateAnswer),
  );
  const skipAnswered = new Pass(scope, "SkipAnsweredInstitution", {
    parameters: { "institutionId.$": "$.institution.institutionId", status: "answered-before" },
  });
  const roundAlreadyClosed = new Succeed(scope, "LeaveClosedRoundAlone");

  // The happy path.
  const openRound = new LambdaInvoke(scope, "OpenRound", {
    lambdaFunction: functions.openRound,
    payloadResponseOnly: true,
  });
  const sendAndWait = waitForAnswer("SendRequestAndWaitForAnswer", "$.round.waitSeconds", markOverdue);
  const askOne = new Choice(scope, "AlreadyAnswered?")
    .when(Condition.booleanEquals("$.institution.answered", true), skipAnswered)
    .otherwise(sendAndWait);
  const askEach = new MapState(scope, "AskEachInstitution", {
    itemsPath: "$.institutions",
    itemSelector: { "round.$": "$.round", "institution.$": "$$.Map.Item.Value" },
    maxConcurrency: MAX_CONCURRENT_REQUESTS,
    resultPath: "$.answers",
  }).itemProcessor(askOne);
  // Answers may be corrected until the round closes, so a round everyone answered early still closes at its deadline.
  const waitUntilDeadline = new Wait(scope, "WaitUntilDeadline", { time: WaitTime.timestampPath("$.round.deadline") });
  const closeRound = new LambdaInvoke(scope, "CloseRound", {
    lambdaFunction: functions.closeRound,
    payload: TaskInput.fromObject({ round: JsonPath.objectAt("$.round") }),
    payloadResponseOnly: true,
    resultPath: "$.completeness",
  });
  const startReview = new LambdaInvoke(scope, "StartYearEndReview", {
    lambdaFunction: functions.startYearEndReview,
    payload: TaskInput.fromObject({
      planId: JsonPath.stringAt("$.round.planId"),
      fiscalYear: JsonPath.numberAt("$.round.fiscalYear"),
    }),
    payloadResponseOnly: true,
    resultPath: "$.review",
  });
  for (const task of [openRound, closeRound, markOverdue, startReview])
    task
      .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
      .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });

  return DefinitionBody.fromChainable(
    openRound.next(
      new Choice(scope, "RoundAlreadyClosed?")
        .when(Condition.booleanEquals("$.closed", true), roundAlreadyClosed)
        .otherwise(
          askEach
            .next(waitUntilDeadline)
            .next(closeRound)
            .next(
              new Choice(scope, "FourthQuarter?")
                .when(Condition.numberEquals("$.round.quarter", 4), startReview)
                .otherwise(new Succeed(scope, "RoundClosed")),
            ),
        ),
    ),
  );
}
