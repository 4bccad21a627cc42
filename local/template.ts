import { PdcaFunction } from "../infra/constructs/pdca-function.ts";

/** A synthesized CloudFormation template, as much of it as the local stack reads. */
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

export const LOCAL_REGION = "ap-northeast-1";
export const LOCAL_ACCOUNT = "000000000000";

/** The physical names the local stack gives the template's resources. */
export interface LocalNames {
  /** Table and bucket names are prefixed, so tests sharing one DynamoDB Local never meet. */
  prefix: string;
}

/** The synthesized stacks of the app, by stack name. */
export type Assembly = Record<string, Template>;

/** The local physical name of a resource: its stack and logical id, lower-cased for bucket rules. */
export function physicalName(names: LocalNames, stackName: string, logicalId: string, type: string): string {
  const name = `${names.prefix}${stackName}-${logicalId}`;
  return type === "AWS::S3::Bucket"
    ? name
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, "-")
        .slice(0, 63)
    : name;
}

/** The ARN a local resource answers to. */
export function localArn(type: string, name: string): string {
  switch (type) {
    case "AWS::Lambda::Function":
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
    case "AWS::StepFunctions::StateMachine":
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
    case "AWS::S3::Bucket":
      return `arn:aws:s3:::${name}`;
    case "AWS::SecretsManager::Secret":
      return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}`;
    case "AWS::IAM::Role":
      return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;
    case "AWS::Logs::LogGroup":
      return `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${name}:*`;
    default:
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${type}/${name}`;
  }
}

/**
 * Resolves the intrinsic functions CDK writes (Ref, Fn::GetAtt, Fn::Join, Fn::ImportValue, Fn::Select,
 * Fn::Split) against the local names, so a definition string or an environment variable reads as it would on AWS.
 */
export class TemplateResolver {
  private readonly exports = new Map<string, { stack: string; value: unknown }>();

  constructor(
    private readonly assembly: Assembly,
    private readonly names: LocalNames,
  ) {
    for (const [stack, template] of Object.entries(assembly))
      for (const output of Object.values(template.Outputs ?? {}))
        if (output.Export) this.exports.set(output.Export.Name, { stack, value: output.Value });
  }

  private typeOf(stack: string, logicalId: string): string {
    const resource = this.assembly[stack]?.Resources[logicalId];
    if (!resource) throw new Error(`${stack} has no resource ${logicalId}`);
    return resource.Type;
  }

  /** Resolves a value found in `stack`'s template. */
  resolve(stack: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [key, argument] = first;
      switch (key) {
        case "Ref":
          return this.ref(stack, argument as string);
        case "Fn::GetAtt": {
          const [logicalId, attribute] = argument as [string, string];
          const type = this.typeOf(stack, logicalId);
          const name = physicalName(this.names, stack, logicalId, type);
          if (attribute === "Arn") return localArn(type, name);
          if (attribute === "Name") return name;
          return `${name}.${attribute}`;
        }
        case "Fn::Join": {
          const [separator, parts] = argument as [string, unknown[]];
          return parts.map((part) => String(this.resolve(stack, part))).join(separator);
        }
        case "Fn::ImportValue": {
          const exported = this.exports.get(String(this.resolve(stack, argument)));
          if (!exported) throw new Error(`No stack exports ${JSON.stringify(argument)}`);
          return this.resolve(exported.stack, exported.value);
        }
        case "Fn::Select": {
          const [index, list] = argument as [number, unknown];
          return (this.resolve(stack, list) as unknown[])[index];
        }
        case "Fn::Split": {
          const [separator, source] = argument as [string, unknown];
          return String(this.resolve(stack, source)).split(separator);
        }
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(stack, item)]));
  }

  private ref(stack: string, logicalId: string): string {
    switch (logicalId) {
      case "AWS::Partition":
        return "aws";
      case "AWS::Region":
        return LOCAL_REGION;
      case "AWS::AccountId":
        return LOCAL_ACCOUNT;
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return stack;
    }
    const type = this.typeOf(stack, logicalId);
    const name = physicalName(this.names, stack, logicalId, type);
    // As on AWS, a state machine's and a secret's Ref is its ARN; other resources' is their name.
    return type === "AWS::StepFunctions::StateMachine" || type === "AWS::SecretsManager::Secret"
      ? localArn(type, name)
      : name;
  }

  /** Each stack's outputs, resolved against the local names. */
  outputs(): Array<{ stackName: string; outputs: Record<string, string> }> {
    return Object.entries(this.assembly).map(([stackName, template]) => ({
      stackName,
      outputs: Object.fromEntries(
        Object.entries(template.Outputs ?? {})
          // CDK's cross-stack exports are plumbing between the stacks, not outputs a person reads.
          .filter(([key]) => !key.startsWith("ExportsOutput"))
          .map(([key, output]) => [key, String(this.resolve(stackName, output.Value))]),
      ),
    }));
  }

  /** Every resource across the app's stacks, with its type. */
  allResources(): Array<{ stack: string; logicalId: string; type: string }> {
    return Object.entries(this.assembly).flatMap(([stack, template]) =>
      Object.entries(template.Resources).map(([logicalId, resource]) => ({ stack, logicalId, type: resource.Type })),
    );
  }

  /** Every resource of a type across the app's stacks. */
  resourcesOfType(type: string): Array<{
    stack: string;
    logicalId: string;
    properties: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }> {
    return Object.entries(this.assembly).flatMap(([stack, template]) =>
      Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === type)
        .map(([logicalId, resource]) => ({
          stack,
          logicalId,
          properties: resource.Properties ?? {},
          metadata: resource.Metadata ?? {},
        })),
    );
  }

  /** The catalog name of each function, by its local ARN (the function construct records it as metadata). */
  functionsByArn(): Map<string, { catalogName: string; environment: Record<string, string> }> {
    const functions = new Map<string, { catalogName: string; environment: Record<string, string> }>();
    for (const fn of this.resourcesOfType("AWS::Lambda::Function")) {
      const catalogName = fn.metadata[PdcaFunction.CATALOG_METADATA];
      if (typeof catalogName !== "string") continue;
      const variables =
        (fn.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment = this.resolve(fn.stack, variables) as Record<string, string>;
      const arn = localArn(
        "AWS::Lambda::Function",
        physicalName(this.names, fn.stack, fn.logicalId, "AWS::Lambda::Function"),
      );
      functions.set(arn, { catalogName, environment });
    }
    return functions;
  }
}
