/**
 * YearEndReview, its first part: from the closed year to a draft report in the secretariat's mailbox.
 *
 * 1. CheckRoundsClosed: list the year's rounds that are not closed.
 * 2. ReadyToReview?: all closed, or the secretariat said to proceed anyway → go on; otherwise
 *    AskSecretariatAboutOpenRounds emails which rounds are open and how to proceed, and the run ends there.
 * 3. ComputeReview: the review against the targets, stored as a new draft version (never overwriting one).
 * 4. RenderDraftReport: HTML with charts, CSV and JSON of every table, under the version's prefix.
 * 5. NotifySecretariatOfDraft: a personal link to the draft, by email.
 *
 * Approval rounds and publication follow in a later issue; they continue from DraftCirculated.
 */
import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Choice, Condition, DefinitionBody, JsonPath, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { FunctionName } from "../functions/catalog.ts";
import { PERMANENT_ERRORS } from "./errors.ts";

type ReviewFunctions = Pick<
  Record<FunctionName, IFunction>,
  "checkRoundsClosed" | "notifyRoundsOpen" | "computeReview" | "renderDraftReport" | "notifyDraft"
>;

/** Builds the YearEndReview definition over the catalog's functions. */
export function yearEndReviewDefinition(parent: Construct, functions: ReviewFunctions): DefinitionBody {
  const scope = new Construct(parent, "YearEndReviewStates");
  const task = (
    id: string,
    lambdaFunction: IFunction,
    input: { payload?: TaskInput; inputPath?: string },
    resultPath?: string,
  ) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction,
      ...input,
      payloadResponseOnly: true,
      resultPath,
    })
      .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
      .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });

  // The path that stops early first.
  const askAboutOpenRounds = task("AskSecretariatAboutOpenRounds", functions.notifyRoundsOpen, {}, "$.notified").next(
    new Succeed(scope, "WaitingForSecretariat"),
  );

  // No ResultPath: the result replaces the input (aws-local-stepfunctions mishandles an explicit "$").
  const checkRounds = task("CheckRoundsClosed", functions.checkRoundsClosed, {});
  // The year and the secretariat's notes (always present: the rounds check passes its input on, notes defaulted).
  const year = TaskInput.fromObject({
    planId: JsonPath.stringAt("$.planId"),
    fiscalYear: JsonPath.numberAt("$.fiscalYear"),
    notes: JsonPath.objectAt("$.notes"),
  });
  // The stored version's reference is the whole input of the steps after it (InputPath, not Parameters: CDK
  // renders a JSONPath payload of a payload-only invoke as a bare string, which is not valid ASL).
  const draft = { inputPath: "$.draft" };
  const computeReview = task("ComputeReview", functions.computeReview, { payload: year }, "$.draft");
  const renderDraft = task("RenderDraftReport", functions.renderDraftReport, draft, "$.rendered");
  const notifyDraft = task("NotifySecretariatOfDraft", functions.notifyDraft, draft, "$.notified");

  return DefinitionBody.fromChainable(
    checkRounds.next(
      new Choice(scope, "ReadyToReview?")
        .when(
          Condition.or(Condition.booleanEquals("$.allClosed", true), Condition.booleanEquals("$.proceedAnyway", true)),
          computeReview.next(renderDraft).next(notifyDraft).next(new Succeed(scope, "DraftCirculated")),
        )
        .otherwise(askAboutOpenRounds),
    ),
  );
}
