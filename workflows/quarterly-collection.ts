/**
 * QuarterlyCollection: one quarter's round of 照会 / 回答.
 *
 * 1. OpenRound: open the round idempotently (an existing round keeps its deadline) and list the institutions,
 *    each with whether it has answered already.
 * 2. RoundAlreadyClosed?: a closed round is left alone (its links are dead; reopening is the secretariat's call).
 * 3. EmailEachInstitution (Map, at most 10 at once, so SES is not flooded): skip institutions that answered
 *    already, so a re-run never asks them again; SendRequest emails the personal link (once, ever); a send that
 *    keeps failing is RecordRequestFailure, and the round goes on.
 * 4. AwaitEachAnswer (Map; waits hold no email slot, so every institution is asked at once whatever the count):
 *    - CheckRequest: answered already, never asked, or waiting, with the seconds left to the deadline counted
 *      when this wait starts (a Map runs a limited number of iterations at once; a later one must not overshoot);
 *    - WaitForAnswer: park the task token with the request until the deadline;
 *    - on States.Timeout, MarkRequestOverdue, then WaitForLateAnswer until the round closes, then RecordNoAnswer.
 * 5. WaitUntilDeadline: answers can be corrected until the round closes, so it never closes before its deadline.
 * 6. CloseRound: close the round, then store completeness from the table and email the secretariat a summary.
 * 7. RememberRoundCases: the answers are final; their cases prefill the next round's forms.
 * 8. FourthQuarter?: the Q4 round's close starts the year's YearEndReview (StartYearEndReview).
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
import { PERMANENT_ERRORS } from "./errors.ts";

/** Institutions asked at once; well under SES's send rate and Lambda's burst, plenty for a few dozen partners. */
export const MAX_CONCURRENT_REQUESTS = 10;

/** Builds the QuarterlyCollection definition over the catalog's functions. */
export function quarterlyCollectionDefinition(
  parent: Construct,
  functions: Pick<
    Record<FunctionName, IFunction>,
    | "openRound"
    | "sendRequest"
    | "checkRequest"
    | "markOverdue"
    | "closeRound"
    | "rememberRoundCases"
    | "startYearEndReview"
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
  const recordWaitFailure = new Pass(scope, "RecordWaitFailure", {
    comment: "The wait could not be set up; the answer still counts from the table if it comes.",
    parameters: { "institutionId.$": "$.institution.institutionId", status: "failed", "error.$": "$.failure" },
  });
  const recordNoAnswer = new Pass(scope, "RecordNoAnswer", {
    comment: "The round closed with no answer from this institution.",
    parameters: { "institutionId.$": "$.institution.institutionId", status: "missing" },
  });
  const answeredAtDeadline = new Pass(scope, "AnsweredAtTheDeadline", {
    parameters: { "institutionId.$": "$.institution.institutionId", status: "answered" },
  });
  /** Parks a task token with the request (sendRequest emails nobody here: the request went out) and waits. */
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
      .addCatch(recordWaitFailure, { errors: ["States.ALL"], resultPath: "$.failure" });
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
  const noWaitNeeded = new Pass(scope, "NoWaitNeeded", { parameters: { "check.$": "$.check" } });
  const roundAlreadyClosed = new Succeed(scope, "LeaveClosedRoundAlone");

  // The happy path.
  const openRound = new LambdaInvoke(scope, "OpenRound", {
    lambdaFunction: functions.openRound,
    payloadResponseOnly: true,
  });
  const sendRequest = new LambdaInvoke(scope, "SendRequest", {
    lambdaFunction: functions.sendRequest,
    payload: TaskInput.fromObject(roundAndInstitution),
    payloadResponseOnly: true,
    resultPath: JsonPath.DISCARD,
  })
    .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
    .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(5), maxAttempts: 4, backoffRate: 2 })
    .addCatch(recordFailure, { errors: ["States.ALL"], resultPath: "$.failure" });
  const emailOne = new Choice(scope, "AlreadyAnswered?")
    .when(Condition.booleanEquals("$.institution.answered", true), skipAnswered)
    .otherwise(sendRequest);
  const item = { "round.$": "$.round", "institution.$": "$$.Map.Item.Value" };
  const emailEach = new MapState(scope, "EmailEachInstitution", {
    itemsPath: "$.institutions",
    itemSelector: item,
    maxConcurrency: MAX_CONCURRENT_REQUESTS,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(emailOne);

  const checkRequest = new LambdaInvoke(scope, "CheckRequest", {
    lambdaFunction: functions.checkRequest,
    payload: TaskInput.fromObject(roundAndInstitution),
    payloadResponseOnly: true,
    resultPath: "$.check",
  });
  const waitOne = checkRequest.next(
    new Choice(scope, "StillWaiting?")
      .when(
        Condition.stringEquals("$.check.status", "waiting"),
        waitForAnswer("WaitForAnswer", "$.check.waitSeconds", markOverdue),
      )
      .otherwise(noWaitNeeded),
  );
  const awaitEach = new MapState(scope, "AwaitEachAnswer", {
    itemsPath: "$.institutions",
    itemSelector: item,
    // Each iteration's outcome is in the table; carrying them would add bytes per institution to the round's state.
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(waitOne);
  // Answers may be corrected until the round closes, so a round everyone answered early still closes at its deadline.
  const waitUntilDeadline = new Wait(scope, "WaitUntilDeadline", { time: WaitTime.timestampPath("$.round.deadline") });
  const closeRound = new LambdaInvoke(scope, "CloseRound", {
    lambdaFunction: functions.closeRound,
    payload: TaskInput.fromObject({ round: JsonPath.objectAt("$.round") }),
    payloadResponseOnly: true,
    resultPath: "$.completeness",
  });
  const rememberCases = new LambdaInvoke(scope, "RememberRoundCases", {
    lambdaFunction: functions.rememberRoundCases,
    payload: TaskInput.fromObject({ round: JsonPath.objectAt("$.round") }),
    payloadResponseOnly: true,
    resultPath: "$.remembered",
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
  for (const task of [openRound, checkRequest, closeRound, rememberCases, markOverdue, startReview])
    task
      .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
      .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });

  return DefinitionBody.fromChainable(
    openRound.next(
      new Choice(scope, "RoundAlreadyClosed?")
        .when(Condition.booleanEquals("$.closed", true), roundAlreadyClosed)
        .otherwise(
          emailEach
            .next(awaitEach)
            .next(waitUntilDeadline)
            .next(closeRound)
            .next(rememberCases)
            .next(
              new Choice(scope, "FourthQuarter?")
                .when(Condition.numberEquals("$.round.quarter", 4), startReview)
                .otherwise(new Succeed(scope, "RoundClosed")),
            ),
        ),
    ),
  );
}
