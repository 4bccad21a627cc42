import { type CfnResource, Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { CatalogEntry } from "../../functions/catalog.ts";
import { BUNDLE_TARGET, sharedEsbuildOptions } from "../bundling.ts";

export interface PdcaFunctionProps {
  /** The catalog's name of the function; recorded in the template so the local stack can find its handler. */
  readonly catalogName: string;
  readonly entry: CatalogEntry;
  /** Absolute path of the repository root. */
  readonly projectRoot: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default RetentionDays.SIX_MONTHS */
  readonly logRetention?: RetentionDays;
}

/** A Lambda function with the platform's fixed defaults: Node.js 22 on ARM64, esbuild ESM bundle, X-Ray, logs. */
export class PdcaFunction extends Construct {
  /** The metadata key under which the catalog name is written on the function resource. */
  static readonly CATALOG_METADATA = "pdca:function";

  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: PdcaFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, "Function", {
      entry: `${props.projectRoot}/${props.entry.entry}`,
      handler: "handler",
      description: props.entry.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      environment: { NODE_OPTIONS: "--enable-source-maps", POWERTOOLS_SERVICE_NAME: "pdca" },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        minify: sharedEsbuildOptions.minify,
        keepNames: sharedEsbuildOptions.keepNames,
        sourceMap: true,
        mainFields: sharedEsbuildOptions.mainFields,
        banner: sharedEsbuildOptions.banner.js,
        externalModules: sharedEsbuildOptions.external,
      },
    });
    (this.function.node.defaultChild as CfnResource).addMetadata(PdcaFunction.CATALOG_METADATA, props.catalogName);
  }

  /**
   * Sets TABLE_NAME and grants exactly the access the catalog names, on the table and its named indexes only
   * (CDK's own grants add `index/*`, wider than the platform needs).
   */
  bindTable(table: ITable, access: "read" | "read-write", indexNames: readonly string[]): void {
    this.function.addEnvironment("TABLE_NAME", table.tableName);
    const read = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];
    // No DeleteItem: nothing the platform stores is ever deleted (versions and audit entries are kept).
    const write = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"];
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: access === "read" ? read : [...read, ...write],
        resources: [table.tableArn, ...indexNames.map((index) => `${table.tableArn}/index/${index}`)],
      }),
    );
  }
}
