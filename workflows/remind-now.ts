/**
 * RemindNow: the secretariat's reminder, sent now (`pdca round remind`).
 *
 * 1. RemindInstitutions: one institution, or every one of the round that has not answered, gets a reminder with its
 *    personal link, each at most once an hour (functions/remind-now.ts); the output lists what happened to each.
 *
 * A workflow of one task, so that the CLI reaches the function the same way locally and on AWS (StartExecution on the
 * stack's own Step Functions, found from its outputs), and the person running it needs no grant on the link key or
 * SES: the function's own grants apply. Same limits as the other workflows: JSONPath, Lambda tasks only.
 */
import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { DefinitionBody } from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { FunctionName } from "../functions/catalog.ts";
import { PERMANENT_ERRORS } from "./errors.ts";

/** Builds the RemindNow definition over the catalog's function. */
export function remindNowDefinition(
  parent: Construct,
  functions: Pick<Record<FunctionName, IFunction>, "remindNow">,
): DefinitionBody {
  const scope = new Construct(parent, "RemindNowStates");
  const remind = new LambdaInvoke(scope, "RemindInstitutions", {
    lambdaFunction: functions.remindNow,
    payloadResponseOnly: true,
  })
    .addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 })
    // A retry sends nothing twice: each institution's hour is taken, and each mail claimed, before it goes.
    .addRetry({ errors: ["States.ALL"], interval: Duration.seconds(2), maxAttempts: 2, backoffRate: 2 });
  return DefinitionBody.fromChainable(remind);
}
