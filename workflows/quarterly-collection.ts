/**
 * QuarterlyCollection: one quarter's round of 照会 / 回答.
 *
 * 1. OpenRound: open the round idempotently (an existing round keeps its deadline, close and clock) and list the
 *    batches of institutions the Maps iterate over (batch numbers only: the state holds no bytes per institution).
 * 2. RoundAlreadyClosed?: a closed round is left alone (its links are dead; reopening is the secretariat's call).
 * 3. EmailEachInstitution (Map over batches, a few at once so SES is not flooded): SendRequest emails each
 *    institution of its batch its personal link, skipping whoever answered or was emailed before.
 * 4. The round-level loop; nothing waits per institution (answers land in the table through the form):
 *    - NextMoment: the round's next moment from the plan and the table (domain/round-schedule.ts): a reminder, the
 *      deadline, an overdue notice, the escalation, or the close; a mail moment moved into business hours;
 *    - WaitForMoment: a Wait state until that moment (TimestampPath);
 *    - IsClose?: at the close, leave the loop;
 *    - ActOnEachBatch (Map over batches): ActOnMoment marks every unanswered request overdue at the deadline, or
 *      mails every unanswered institution at a reminder, overdue notice or escalation, each at most once per moment
 *      (a conditional record in the table); then NextMoment after this one.
 * 5. CloseRound: close the round, store completeness from the table and email the secretariat a summary.
 * 6. RememberRoundCases: the answers are final; their cases prefill the next round's forms.
 * 7. FourthQuarter?: the Q4 round's close starts the year's YearEndReview (StartYearEndReview), even when step 6
 *    kept failing (CasesRemembered? then fails the run, for the operators' alarm).
 *
 * A round's history grows with its batches times its moments, not with its institutions times their waits
 * (test/workflows/capacity.test.ts measures it; bench/round-cost.ts prices it). Kept to what aws-local-stepfunctions
 * runs, so the one definition serves AWS and the local stack: JSONPath only, inline Map, Lambda tasks only, no
 * HeartbeatSeconds.
 */
import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  Map as MapState,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { FunctionName } from "../functions/catalog.ts";
import { PERMANENT_ERRORS } from "./errors.ts";

/**
 * Batches mailed at once. Each batch mails its institutions one after the other (domain/workflow-events.ts
 * INSTITUTIONS_PER_BATCH), so a round sends a few mails a second: within SES's usual sending rate, with the rest
 * retried by the batch's own Retry.
 */
export const MAX_CONCURRENT_BATCHES = 2;

/** Builds the QuarterlyCollection definition over the catalog's functions. */
export function quarterlyCollectionDefinition(
  parent: Construct,
  functions: Pick<
    Record<FunctionName, IFunction>,
    | "openRound"
    | "sendRequest"
    | "nextMoment"
    | "actOnMoment"
    | "closeRound"
    | "rememberRoundCases"
    | "startYearEndReview"
  >,
): DefinitionBody {
  // The states get their own scope so their ids ("OpenRound") never collide with the functions' ids.
  const scope = new Construct(parent, "QuarterlyCollectionStates");
  const round = JsonPath.objectAt("$.round");
  const retried = <T extends LambdaInvoke>(task: T, interval: Duration): T =>
    task
      .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
      .addRetry({ errors: ["States.ALL"], interval, maxAttempts: 4, backoffRate: 2 }) as T;

  const openRound = new LambdaInvoke(scope, "OpenRound", {
    lambdaFunction: functions.openRound,
    payloadResponseOnly: true,
  });
  // A batch that keeps failing fails the round: its institutions would otherwise go unasked without anyone knowing
  // (the operators' alarm on failed executions says so, and a restart resumes the round without asking anyone twice).
  const sendRequests = retried(
    new LambdaInvoke(scope, "SendRequest", {
      lambdaFunction: functions.sendRequest,
      payload: TaskInput.fromObject({ round, batch: JsonPath.numberAt("$.batch") }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
      // An iteration ends with its batch number alone: the Map gathers every iteration's output before it discards
      // them, and that array must stay small however many batches there are.
      outputPath: "$.batch",
    }),
    Duration.seconds(5),
  );
  const batchItem = { "round.$": "$.round", "batch.$": "$$.Map.Item.Value" };
  const emailEach = new MapState(scope, "EmailEachInstitution", {
    itemsPath: "$.batches",
    itemSelector: batchItem,
    maxConcurrency: MAX_CONCURRENT_BATCHES,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(sendRequests);

  const nextMoment = retried(
    new LambdaInvoke(scope, "NextMoment", {
      lambdaFunction: functions.nextMoment,
      payload: TaskInput.fromObject({ round, after: JsonPath.stringAt("$.next.id") }),
      payloadResponseOnly: true,
      resultPath: "$.next",
    }),
    Duration.seconds(2),
  );
  const waitForMoment = new Wait(scope, "WaitForMoment", { time: WaitTime.timestampPath("$.next.at") });
  const actOnMoment = retried(
    new LambdaInvoke(scope, "ActOnMoment", {
      lambdaFunction: functions.actOnMoment,
      payload: TaskInput.fromObject({
        round,
        moment: JsonPath.objectAt("$.moment"),
        batch: JsonPath.numberAt("$.batch"),
      }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
      outputPath: "$.batch",
    }),
    Duration.seconds(5),
  );
  const actOnEach = new MapState(scope, "ActOnEachBatch", {
    itemsPath: "$.batches",
    itemSelector: { ...batchItem, "moment.$": "$.next" },
    maxConcurrency: MAX_CONCURRENT_BATCHES,
    // Each batch's outcome is in the table; carrying it would add bytes per batch to the round's state.
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(actOnMoment);

  const closeRound = retried(
    new LambdaInvoke(scope, "CloseRound", {
      lambdaFunction: functions.closeRound,
      payload: TaskInput.fromObject({ round }),
      payloadResponseOnly: true,
      resultPath: "$.completeness",
    }),
    Duration.seconds(2),
  );
  const rememberCases = retried(
    new LambdaInvoke(scope, "RememberRoundCases", {
      lambdaFunction: functions.rememberRoundCases,
      payload: TaskInput.fromObject({ round }),
      payloadResponseOnly: true,
      resultPath: "$.remembered",
    }),
    Duration.seconds(2),
  );
  const startReview = retried(
    new LambdaInvoke(scope, "StartYearEndReview", {
      lambdaFunction: functions.startYearEndReview,
      payload: TaskInput.fromObject({
        planId: JsonPath.stringAt("$.round.planId"),
        fiscalYear: JsonPath.numberAt("$.round.fiscalYear"),
      }),
      payloadResponseOnly: true,
      resultPath: "$.review",
    }),
    Duration.seconds(2),
  );
  retried(openRound, Duration.seconds(2));

  // Remembering the cases only prefills the next forms: when it keeps failing, the year's review still starts (the
  // answers it reads are in the table), and the run then fails, so that the operators' alarm says what was missed.
  const casesRemembered = new Choice(scope, "CasesRemembered?")
    .when(
      Condition.isPresent("$.rememberFailed"),
      new Fail(scope, "CasesNotRemembered", {
        error: "CasesNotRemembered",
        cause: "The round closed, but its cases were not remembered for the next forms' prefill",
      }),
    )
    .otherwise(new Succeed(scope, "RoundClosed"));
  const fourthQuarter = new Choice(scope, "FourthQuarter?")
    .when(Condition.numberEquals("$.round.quarter", 4), startReview.next(casesRemembered))
    .otherwise(casesRemembered);
  rememberCases.addCatch(fourthQuarter, { errors: ["States.ALL"], resultPath: "$.rememberFailed" });
  const close = closeRound.next(rememberCases).next(fourthQuarter);
  nextMoment
    .next(waitForMoment)
    .next(
      new Choice(scope, "IsClose?")
        .when(Condition.stringEquals("$.next.kind", "close"), close)
        .otherwise(actOnEach.next(nextMoment)),
    );

  return DefinitionBody.fromChainable(
    openRound.next(
      new Choice(scope, "RoundAlreadyClosed?")
        .when(Condition.booleanEquals("$.closed", true), new Succeed(scope, "LeaveClosedRoundAlone"))
        .otherwise(emailEach.next(nextMoment)),
    ),
  );
}
