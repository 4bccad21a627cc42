import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { LocalDistribution } from "./engines/cdn.ts";
import type { LocalSecret } from "./engines/secrets-manager.ts";
import type { LocalReceiptRule } from "./engines/smtp.ts";
import type { LocalRoute } from "./http-api.ts";
import type { LocalStateMachine, LocalStepFunctions } from "./step-functions/runner.ts";
import { physicalName, type TemplateResolver } from "./template.ts";

/** Calls one function by its ARN, as Lambda would (the local stack maps the catalog's functions to their handlers). */
type InvokeArn = (functionArn: string, payload: unknown) => Promise<unknown>;

/** The AWS::StepFunctions::StateMachine properties the local API reports, as the template declares them. */
interface StateMachineTemplateProps {
  RoleArn?: string;
  LoggingConfiguration?: {
    Level?: string;
    IncludeExecutionData?: boolean;
    Destinations?: Array<{ CloudWatchLogsLogGroup?: { LogGroupArn?: string } }>;
  };
  TracingConfiguration?: { Enabled?: boolean };
}

/** The secrets the template declares, with the length its GenerateSecretString asks for. */
export function declaredSecrets(resolver: TemplateResolver, prefix: string): LocalSecret[] {
  return resolver.resourcesOfType("AWS::SecretsManager::Secret").map((secret) => ({
    arn: resolver.resolve(secret.stack, { Ref: secret.logicalId }) as string,
    name: physicalName({ prefix }, secret.stack, secret.logicalId, "AWS::SecretsManager::Secret"),
    length: (secret.properties.GenerateSecretString as { PasswordLength?: number } | undefined)?.PasswordLength ?? 32,
  }));
}

/**
 * The site's distribution as the template declares it (the published reports' CDN): the bucket its origin reads,
 * by the logical id in its origin's domain name, the origin path and the root object; undefined without one.
 */
export function declaredDistribution(
  resolver: TemplateResolver,
  buckets: Record<string, string>,
): LocalDistribution | undefined {
  const [distribution] = resolver.resourcesOfType("AWS::CloudFront::Distribution");
  if (!distribution) return undefined;
  const config = distribution.properties.DistributionConfig as {
    Origins: Array<{ DomainName: { "Fn::GetAtt": [string, string] }; OriginPath?: string }>;
    DefaultRootObject?: string;
  };
  const [origin] = config.Origins;
  const bucket = origin ? buckets[origin.DomainName["Fn::GetAtt"][0]] : undefined;
  if (!origin || !bucket) throw new Error("The site's distribution has no bucket origin the local stack knows");
  const path = (origin.OriginPath ?? "").replace(/^\//, "");
  return {
    bucket,
    originPrefix: path ? `${path}/` : "",
    defaultRootObject: config.DefaultRootObject ?? "index.html",
  };
}

/** The HTTP API's routes as the template declares them, each calling its integration's function. */
export function declaredRoutes(resolver: TemplateResolver, invoke: InvokeArn): LocalRoute[] {
  const integrations = new Map(
    resolver
      .resourcesOfType("AWS::ApiGatewayV2::Integration")
      .map((integration) => [
        resolver.resolve(integration.stack, { Ref: integration.logicalId }) as string,
        resolver.resolve(integration.stack, integration.properties.IntegrationUri) as string,
      ]),
  );
  return resolver.resourcesOfType("AWS::ApiGatewayV2::Route").map((route) => {
    const target = resolver.resolve(route.stack, route.properties.Target) as string;
    const functionArn = integrations.get(target.replace("integrations/", "")) ?? "";
    return {
      routeKey: route.properties.RouteKey as string,
      invoke: (event: APIGatewayProxyEventV2) =>
        invoke(functionArn, event) as Promise<APIGatewayProxyStructuredResultV2>,
    };
  });
}

/** Puts the template's state machines on the local runner; returns the three workflows the platform runs. */
export function registerStateMachines(
  resolver: TemplateResolver,
  stepFunctions: LocalStepFunctions,
): { collection: LocalStateMachine; review: LocalStateMachine; remind: LocalStateMachine } {
  for (const machine of resolver.resourcesOfType("AWS::StepFunctions::StateMachine")) {
    const definition = JSON.parse(resolver.resolve(machine.stack, machine.properties.DefinitionString) as string);
    const arn = resolver.resolve(machine.stack, { Ref: machine.logicalId }) as string;
    const declared = resolver.resolve(machine.stack, machine.properties) as StateMachineTemplateProps;
    stepFunctions.addStateMachine(arn, arn.split(":").at(-1) ?? machine.logicalId, definition, {
      roleArn: declared.RoleArn,
      loggingConfiguration: declared.LoggingConfiguration && {
        level: declared.LoggingConfiguration.Level,
        includeExecutionData: declared.LoggingConfiguration.IncludeExecutionData,
        destinations: declared.LoggingConfiguration.Destinations?.map((destination) => ({
          cloudWatchLogsLogGroup: { logGroupArn: destination.CloudWatchLogsLogGroup?.LogGroupArn },
        })),
      },
      tracingConfiguration: declared.TracingConfiguration && { enabled: declared.TracingConfiguration.Enabled },
    });
  }
  const collection = stepFunctions.stateMachines().find((machine) => machine.name.includes("QuarterlyCollection"));
  const review = stepFunctions.stateMachines().find((machine) => machine.name.includes("YearEndReview"));
  const remind = stepFunctions.stateMachines().find((machine) => machine.name.includes("SendReminderNow"));
  if (!collection || !review || !remind)
    throw new Error("The template lacks the QuarterlyCollection, YearEndReview or SendReminderNow workflow");
  return { collection, review, remind };
}

/** The template's SES receipt rules with an S3 action and a Lambda action, resolved to the local names. */
export function declaredReceiptRules(resolver: TemplateResolver): LocalReceiptRule[] {
  return resolver.resourcesOfType("AWS::SES::ReceiptRule").flatMap((resource) => {
    const { Rule } = resolver.resolve(resource.stack, resource.properties) as {
      Rule: {
        Name?: string;
        Enabled?: boolean;
        Recipients?: string[];
        Actions?: Array<{
          S3Action?: { BucketName: string; ObjectKeyPrefix?: string };
          LambdaAction?: { FunctionArn: string };
        }>;
      };
    };
    const s3 = Rule.Actions?.find((action) => action.S3Action)?.S3Action;
    const lambda = Rule.Actions?.find((action) => action.LambdaAction)?.LambdaAction;
    if (!Rule.Enabled || !s3 || !lambda) return [];
    return [
      {
        ruleName: Rule.Name ?? resource.logicalId,
        recipients: Rule.Recipients ?? [],
        bucket: s3.BucketName,
        prefix: s3.ObjectKeyPrefix ?? "",
        functionArn: lambda.FunctionArn,
      },
    ];
  });
}
