import { type CfnResource, Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Policy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Architecture, type ILayerVersion, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import type { CatalogEntry, WorkflowName } from "../../functions/catalog.ts";
import { BUNDLE_TARGET, sharedEsbuildOptions } from "../bundling.ts";

export interface PdcaFunctionProps {
  /** The catalog's name of the function; recorded in the template so the local stack can find its handler. */
  readonly catalogName: string;
  readonly entry: CatalogEntry;
  /** Absolute path of the repository root. */
  readonly projectRoot: string;
  /** @default the catalog entry's timeoutSeconds, else 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default RetentionDays.SIX_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default Architecture.ARM_64 */
  readonly architecture?: Architecture;
  /** @default none */
  readonly layers?: ILayerVersion[];
  /** Packages left out of the bundle because a layer provides them. @default none */
  readonly externalModules?: string[];
}

/** Everything a catalog entry's `access` can name, as the stacks built it. */
export interface PlatformResources {
  readonly table: ITable;
  /** Indexes of the table a reader may query (CDK's own grants add `index/*`, wider than the platform needs). */
  readonly tableIndexes: readonly string[];
  readonly reportsBucket: IBucket;
  /** The key prefix every report and review file lives under. */
  readonly reportsPrefix: string;
  readonly mail: { from: string; identityArn: string; configurationSet: string; configurationSetArn: string };
  readonly workflows: Record<WorkflowName, IStateMachine>;
  /** The public base URL of the HTTP API. */
  readonly publicBaseUrl: string;
  readonly linkKey: ISecret;
  /** The key console sessions are signed with. */
  readonly sessionKey: ISecret;
  /** Addresses that may use the console besides the plans' secretariat contacts, comma-separated. */
  readonly consoleOperators: string;
  /** The published site: its bucket, the key prefix the CDN serves as its root, and its public base URL. */
  readonly site: { bucket: IBucket; prefix: string; url: string };
  /** Replies by mail: the domain of the reply addresses, and the bucket and prefix the receipt rule stores into. */
  readonly inbound: { domain: string; bucket: IBucket; prefix: string };
}

/**
 * A Lambda function with the platform's fixed defaults: Node.js 22 on ARM64 (x86_64 where a binary needs it),
 * esbuild ESM bundle, X-Ray, logs.
 */
export class PdcaFunction extends Construct {
  /** The metadata key under which the catalog name is written on the function resource. */
  static readonly CATALOG_METADATA = "pdca:function";

  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  private readonly entry: CatalogEntry;

  constructor(scope: Construct, id: string, props: PdcaFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, "Function", {
      entry: `${props.projectRoot}/${props.entry.entry}`,
      handler: "handler",
      description: props.entry.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: props.architecture ?? Architecture.ARM_64,
      layers: props.layers,
      timeout: props.timeout ?? Duration.seconds(props.entry.timeoutSeconds ?? 30),
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
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
        externalModules: [...sharedEsbuildOptions.external, ...(props.externalModules ?? [])],
      },
    });
    (this.function.node.defaultChild as CfnResource).addMetadata(PdcaFunction.CATALOG_METADATA, props.catalogName);
  }

  /**
   * Grants exactly what the catalog entry's `access` names, and sets the environment variable that goes with each
   * grant, in one place: the function can reach what it is granted and nothing else.
   */
  grantAccess(resources: PlatformResources): void {
    const { access } = this.entry;
    if (access.table) this.grantTable(resources.table, access.table, resources.tableIndexes);
    if (access.bucket) this.grantReports(resources.reportsBucket, access.bucket, resources.reportsPrefix);
    if (access.mail) {
      this.function.addEnvironment("MAIL_FROM", resources.mail.from);
      this.function.addEnvironment("MAIL_CONFIGURATION_SET", resources.mail.configurationSet);
      // SES authorizes a send on the identity and on the configuration set it goes through.
      this.allow(
        ["ses:SendEmail", "ses:SendRawEmail"],
        [resources.mail.identityArn, resources.mail.configurationSetArn],
      );
    }
    if (access.publicUrl) this.function.addEnvironment("PUBLIC_BASE_URL", resources.publicBaseUrl);
    if (access.site) this.grantSite(resources.site.bucket, resources.site.prefix);
    if (access.siteUrl) this.function.addEnvironment("SITE_BASE_URL", resources.site.url);
    if (access.linkKey) {
      this.function.addEnvironment("LINK_KEY_SECRET_ARN", resources.linkKey.secretArn);
      this.allow(["secretsmanager:GetSecretValue"], [resources.linkKey.secretArn]);
    }
    if (access.sessionKey) {
      this.function.addEnvironment("SESSION_KEY_SECRET_ARN", resources.sessionKey.secretArn);
      this.allow(["secretsmanager:GetSecretValue"], [resources.sessionKey.secretArn]);
    }
    if (access.consoleOperators) this.function.addEnvironment("CONSOLE_OPERATORS", resources.consoleOperators);
    if (access.replyAddress) this.function.addEnvironment("INBOUND_DOMAIN", resources.inbound.domain);
    if (access.inboundMail) this.grantInbound(resources.inbound.bucket, resources.inbound.prefix);
    for (const name of access.startsWorkflows ?? []) {
      const workflow = resources.workflows[name];
      this.function.addEnvironment(`${name.toUpperCase()}_WORKFLOW_ARN`, workflow.stateMachineArn);
      workflow.grantStartExecution(this.function);
      this.allow(["states:ListExecutions"], [workflow.stateMachineArn]);
    }
    if (access.workflowCallback && this.function.role)
      // A policy of its own, not the role's default one: the state machine invokes this function, so a grant in
      // the function's own policy on that state machine would close a dependency cycle in the template.
      new Policy(this, "WorkflowCallback", {
        roles: [this.function.role],
        statements: [
          new PolicyStatement({
            actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
            resources: [resources.workflows[access.workflowCallback].stateMachineArn],
          }),
        ],
      });
  }

  private allow(actions: string[], resources: string[], conditions?: PolicyStatement["conditions"]): void {
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources, conditions }));
  }

  private grantTable(table: ITable, access: "read" | "read-write", indexNames: readonly string[]): void {
    this.function.addEnvironment("TABLE_NAME", table.tableName);
    const read = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];
    // No DeleteItem: nothing the platform stores is ever deleted (versions and audit entries are kept).
    const write = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"];
    this.allow(access === "read" ? read : [...read, ...write], [
      table.tableArn,
      ...indexNames.map((index) => `${table.tableArn}/index/${index}`),
    ]);
  }

  private grantSite(bucket: IBucket, prefix: string): void {
    // The site's files only, under the prefix the CDN serves; no delete and no listing: a published version stays,
    // and the publisher reads the table, not the bucket, to know what is published.
    this.function.addEnvironment("SITE_BUCKET", bucket.bucketName);
    this.function.addEnvironment("SITE_PREFIX", prefix);
    this.allow(["s3:PutObject", "s3:GetObject"], [bucket.arnForObjects(`${prefix}*`)]);
  }

  private grantInbound(bucket: IBucket, prefix: string): void {
    // Read only: the receipt rule writes, the lifecycle rule deletes, and a quarantined message stays as it came.
    this.function.addEnvironment("INBOUND_BUCKET", bucket.bucketName);
    this.function.addEnvironment("INBOUND_PREFIX", prefix);
    this.allow(["s3:GetObject"], [bucket.arnForObjects(`${prefix}*`)]);
    // As for reports: a missing message is NoSuchKey (a retry after the lifecycle), not AccessDenied.
    this.allow(["s3:ListBucket"], [bucket.bucketArn], { StringLike: { "s3:prefix": [`${prefix}*`] } });
  }

  private grantReports(bucket: IBucket, access: "read" | "read-write", prefix: string): void {
    // Objects under the prefix only, and no delete: a version, once written, stays (the bucket is versioned too).
    this.function.addEnvironment("REPORTS_BUCKET", bucket.bucketName);
    this.allow(access === "read" ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"], [
      bucket.arnForObjects(`${prefix}*`),
    ]);
    // Without ListBucket, S3 answers a missing key with AccessDenied instead of NoSuchKey, and a missing report
    // file would be a 500 instead of the "link unavailable" page.
    this.allow(["s3:ListBucket"], [bucket.bucketArn], { StringLike: { "s3:prefix": [`${prefix}*`] } });
  }
}
