/**
 * YearEndReview: from the closed year to a draft report, and the draft's circulation for approval.
 *
 * 1. CheckRoundsClosed: list the year's rounds that are not closed.
 * 2. ReadyToReview?: all closed, or the secretariat said to proceed anyway → go on; otherwise
 *    AskSecretariatAboutOpenRounds emails which rounds are open and how to proceed, and the run ends there.
 * 3. ComputeReview: the review against the targets, stored as a new draft version (never overwriting one).
 * 4. RenderDraftReport: HTML with charts, CSV and JSON of every table, under the version's prefix.
 * 5. NotifySecretariatOfDraft: a personal link to the draft, by email.
 * 6. The circulation (承認), a loop around NextApprovalStep, which decides from the table what comes next:
 *    - ask: AskEachApprover (Map) emails each undecided approver of the step a personal link and waits for the
 *      decision until the step's deadline (RequestApproval, a task token parked with the link);
 *    - late: AskSecretariatAboutLateApprovers waits for the secretariat to extend the deadline or go on without
 *      them (its own link; a POST decides);
 *    - changes requested: NotifySecretariatOfChanges, and this version's circulation ends (a revised version is a
 *      new run, circulated with what changed);
 *    - approved by every step: PublishReport writes the version's page, PDF, CSV and JSON into the site bucket
 *      (its permanent folder, the year's page, the site's index), NotifyPublished emails everyone on the plan the
 *      year's address, and the run ends as Published;
 *    - superseded by a newer version, or no approvals in the plan: the run ends.
 */
import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import {
  Choice,
  Condition,
  DefinitionBody,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { FunctionName } from "../functions/catalog.ts";
import { PERMANENT_ERRORS } from "./errors.ts";

type ReviewFunctions = Pick<
  Record<FunctionName, IFunction>,
  | "checkRoundsClosed"
  | "notifyRoundsOpen"
  | "computeReview"
  | "renderDraftReport"
  | "notifyDraft"
  | "nextApprovalStep"
  | "requestApproval"
  | "askAboutLateApprovers"
  | "notifyChangesRequested"
  | "publishReport"
  | "notifyPublished"
>;

/** Builds the YearEndReview definition over the catalog's functions. */
export function yearEndReviewDefinition(parent: Construct, functions: ReviewFunctions): DefinitionBody {
  const scope = new Construct(parent, "YearEndReviewStates");
  const retried = <T extends LambdaInvoke>(invoke: T) =>
    invoke
      .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
      .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });
  const task = (
    id: string,
    lambdaFunction: IFunction,
    input: { payload?: TaskInput; inputPath?: string },
    resultPath?: string,
  ) => retried(new LambdaInvoke(scope, id, { lambdaFunction, ...input, payloadResponseOnly: true, resultPath }));
  /** A task that hands the function a task token and waits until a person's decision resumes it. */
  const waitForPerson = (
    id: string,
    lambdaFunction: IFunction,
    payload: Record<string, unknown>,
    timeoutPath?: string,
  ) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...payload, taskToken: JsonPath.taskToken }),
      taskTimeout: timeoutPath ? Timeout.at(timeoutPath) : undefined,
      resultPath: JsonPath.DISCARD,
    }).addRetry({ errors: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], maxAttempts: 3 });

  // The paths that stop early first.
  const askAboutOpenRounds = task("AskSecretariatAboutOpenRounds", functions.notifyRoundsOpen, {}, "$.notified").next(
    new Succeed(scope, "WaitingForSecretariat"),
  );
  // The stored version's reference is the whole input of the steps after it (InputPath, not Parameters: CDK
  // renders a JSONPath payload of a payload-only invoke as a bare string, which is not valid ASL).
  const draft = { inputPath: "$.draft" };
  const notifyChanges = task("NotifySecretariatOfChanges", functions.notifyChangesRequested, draft, "$.changes").next(
    new Succeed(scope, "ChangesRequested"),
  );
  // Only NextApprovalStep's "approved" leads here, and PublishReport checks the stored approval itself.
  const publish = task("PublishReport", functions.publishReport, draft, "$.published")
    .next(task("NotifyPublished", functions.notifyPublished, draft, "$.announced"))
    .next(new Succeed(scope, "Published"));

  // The circulation's loop.
  const nextStep = task("NextApprovalStep", functions.nextApprovalStep, draft, "$.circulation");
  const requestApproval = waitForPerson(
    "RequestApproval",
    functions.requestApproval,
    {
      ref: JsonPath.objectAt("$.ref"),
      step: JsonPath.objectAt("$.step"),
      deadline: JsonPath.stringAt("$.deadline"),
      approver: JsonPath.objectAt("$.approver"),
    },
    "$.approver.waitSeconds",
  ).addCatch(new Pass(scope, "NoDecisionByTheDeadline"), { errors: ["States.Timeout"], resultPath: JsonPath.DISCARD });
  const askEachApprover = new MapState(scope, "AskEachApprover", {
    itemsPath: "$.circulation.approvers",
    itemSelector: {
      "ref.$": "$.draft",
      "step.$": "$.circulation.step",
      "deadline.$": "$.circulation.deadline",
      "approver.$": "$$.Map.Item.Value",
    },
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(requestApproval);
  const askAboutLate = waitForPerson("AskSecretariatAboutLateApprovers", functions.askAboutLateApprovers, {
    ref: JsonPath.objectAt("$.draft"),
    step: JsonPath.objectAt("$.circulation.step"),
    late: JsonPath.listAt("$.circulation.late"),
    asked: JsonPath.numberAt("$.circulation.asked"),
  });
  const circulation = nextStep.next(
    new Choice(scope, "CirculationStatus?")
      .when(Condition.stringEquals("$.circulation.status", "ask"), askEachApprover.next(nextStep))
      .when(Condition.stringEquals("$.circulation.status", "late"), askAboutLate.next(nextStep))
      .when(Condition.stringEquals("$.circulation.status", "changes-requested"), notifyChanges)
      .when(Condition.stringEquals("$.circulation.status", "approved"), publish)
      .when(Condition.stringEquals("$.circulation.status", "superseded"), new Succeed(scope, "Superseded"))
      .otherwise(new Succeed(scope, "DraftCirculated")),
  );

  // The happy path: review, draft, circulate. No ResultPath on the rounds check: its result replaces the input
  // (aws-local-stepfunctions mishandles an explicit "$"), and carries the input on.
  const checkRounds = task("CheckRoundsClosed", functions.checkRoundsClosed, {});
  const computeReview = task("ComputeReview", functions.computeReview, {}, "$.draft");
  const renderDraft = task("RenderDraftReport", functions.renderDraftReport, draft, "$.rendered");
  const notifyDraft = task("NotifySecretariatOfDraft", functions.notifyDraft, draft, "$.notified");
  return DefinitionBody.fromChainable(
    checkRounds.next(
      new Choice(scope, "ReadyToReview?")
        .when(
          Condition.or(Condition.booleanEquals("$.allClosed", true), Condition.booleanEquals("$.proceedAnyway", true)),
          computeReview.next(renderDraft).next(notifyDraft).next(circulation),
        )
        .otherwise(askAboutOpenRounds),
    ),
  );
}
