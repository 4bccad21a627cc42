import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LOCAL_ACCOUNT, LOCAL_REGION, localArn, physicalName, type TemplateResolver } from "./template.ts";

/** Calls one function by its ARN, as Lambda would (the local stack maps catalog functions to their handlers). */
export type InvokeByArn = (functionArn: string, event: unknown) => Promise<unknown>;

/** What the local "deploy" remembers of a custom resource, as CloudFormation does between deploys. */
interface DeployedResource {
  type: string;
  physicalResourceId: string;
  properties: Record<string, unknown>;
}

/** One lifecycle call made while playing the template's custom resources. */
export interface CustomResourceCall {
  logicalId: string;
  type: string;
  requestType: "Create" | "Update" | "Delete";
}

/**
 * The environment variable of CDK's provider framework that names the user's onEvent function. The framework's own
 * function only relays CloudFormation's event to it and posts the answer back to CloudFormation; locally there is no
 * CloudFormation to answer, so the event goes straight to the user's function, which is the code that matters.
 */
const USER_ON_EVENT = "USER_ON_EVENT_FUNCTION_ARN";

function isCustomResource(type: string): boolean {
  return type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource";
}

/**
 * Plays the template's custom resources as a deploy would: a resource not deployed before is created, one whose
 * properties changed is updated (with the old properties), one no longer in the template is deleted, and an unchanged
 * one is left alone. With `stateFile`, what was deployed is remembered across restarts, as CloudFormation remembers
 * a stack; without, every start is a first deploy.
 */
export async function playCustomResources(input: {
  resolver: TemplateResolver;
  prefix: string;
  invoke: InvokeByArn;
  stateFile?: string;
}): Promise<CustomResourceCall[]> {
  const { resolver } = input;
  const before: Record<string, DeployedResource> =
    input.stateFile && existsSync(input.stateFile) ? JSON.parse(readFileSync(input.stateFile, "utf8")) : {};
  const after: Record<string, DeployedResource> = {};
  const calls: CustomResourceCall[] = [];
  const functions = new Map(
    resolver
      .resourcesOfType("AWS::Lambda::Function")
      .map((fn) => [
        localArn(
          "AWS::Lambda::Function",
          physicalName({ prefix: input.prefix }, fn.stack, fn.logicalId, "AWS::Lambda::Function"),
        ),
        resolver.resolve(
          fn.stack,
          (fn.properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
        ) as Record<string, string>,
      ]),
  );
  const send = async (logicalId: string, type: string, event: Record<string, unknown>, serviceToken: string) => {
    const handlerArn = functions.get(serviceToken)?.[USER_ON_EVENT] ?? serviceToken;
    const result = (await input.invoke(handlerArn, {
      ServiceToken: serviceToken,
      ResponseURL: "http://127.0.0.1/local-deploy",
      StackId: `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/local/${logicalId}`,
      RequestId: `${logicalId}-${Date.now()}`,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ...event,
    })) as { PhysicalResourceId?: string } | null;
    calls.push({ logicalId, type, requestType: event.RequestType as CustomResourceCall["requestType"] });
    return result?.PhysicalResourceId ?? logicalId;
  };

  for (const type of new Set(
    resolver
      .allResources()
      .filter((resource) => isCustomResource(resource.type))
      .map((resource) => resource.type),
  ))
    for (const resource of resolver.resourcesOfType(type)) {
      const key = `${resource.stack}/${resource.logicalId}`;
      const properties = resolver.resolve(resource.stack, resource.properties) as Record<string, unknown>;
      const serviceToken = String(properties.ServiceToken);
      const previous = before[key];
      if (previous && JSON.stringify(previous.properties) === JSON.stringify(properties)) {
        after[key] = previous;
        continue;
      }
      const physicalResourceId = await send(
        resource.logicalId,
        type,
        previous
          ? {
              RequestType: "Update",
              PhysicalResourceId: previous.physicalResourceId,
              ResourceProperties: properties,
              OldResourceProperties: previous.properties,
            }
          : { RequestType: "Create", ResourceProperties: properties },
        serviceToken,
      );
      after[key] = { type, physicalResourceId, properties };
    }
  for (const [key, previous] of Object.entries(before))
    if (!after[key])
      await send(
        key.split("/").at(-1) ?? key,
        previous.type,
        {
          RequestType: "Delete",
          PhysicalResourceId: previous.physicalResourceId,
          ResourceProperties: previous.properties,
        },
        String(previous.properties.ServiceToken),
      );
  if (input.stateFile) {
    mkdirSync(dirname(input.stateFile), { recursive: true });
    writeFileSync(input.stateFile, `${JSON.stringify(after, null, 2)}\n`);
  }
  return calls;
}
