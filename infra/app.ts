import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, type AppProps, type CfnElement, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Plan } from "../domain/plan.ts";
import { parsePlanText } from "../domain/plan-file.ts";
import type { FieldError } from "../domain/validation.ts";
import { DataStack, SITE_ROOT } from "./data-stack.ts";
import { ServiceStack } from "./service-stack.ts";

/** The repository root, whatever the current directory. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A plan file that does not pass the plan schema, with each wrong field named in Japanese and English. */
export interface BrokenPlanFile {
  file: string;
  errors: FieldError[];
}

/** Every plan file (YAML or JSON) in `directory`, checked: the valid plans, and the broken files with their errors. */
export function readPlans(directory = join(PROJECT_ROOT, "plans")): { plans: Plan[]; broken: BrokenPlanFile[] } {
  const plans: Plan[] = [];
  const broken: BrokenPlanFile[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()) {
    const checked = parsePlanText(readFileSync(join(directory, file), "utf8"));
    if (checked.ok) plans.push(checked.value);
    else broken.push({ file, errors: checked.errors });
  }
  return { plans, broken };
}

/** The broken files and each wrong field, in plain words (Japanese, then the field and the English). */
export function describeBrokenPlans(broken: readonly BrokenPlanFile[]): string {
  return broken
    .map(
      ({ file, errors }) =>
        `${file}（${errors.length}件の誤り / ${errors.length} error${errors.length === 1 ? "" : "s"}）\n${errors
          .map((error) => `  ・${error.ja}\n    ${error.path ? `${error.path}: ` : ""}${error.en}`)
          .join("\n")}`,
    )
    .join("\n");
}

/**
 * Every plan under plans/, checked. A broken plan stops the synth, and so a deploy, with its errors: a deploy must
 * never go out silently without one of its plans (the local stack reads them with readPlans instead).
 */
export function loadPlans(directory = join(PROJECT_ROOT, "plans")): Plan[] {
  const { plans, broken } = readPlans(directory);
  if (broken.length > 0)
    throw new Error(
      `計画ファイルに誤りがあるため、合成（cdk synth）を中止しました / Synth stopped: a plan file has errors\n${describeBrokenPlans(broken)}`,
    );
  return plans;
}

export interface PdcaApp {
  app: App;
  data: DataStack;
  service: ServiceStack;
}

/** Options of the app that tests and the local stack set. */
export interface BuildAppOptions {
  /** Skip esbuild bundling (the local stack and template tests run handlers from source). @default false */
  skipBundling?: boolean;
  /** Run cdk-nag's AwsSolutions pack. @default true */
  nag?: boolean;
  outdir?: string;
  mailFrom?: string;
  /** The domain of the reply addresses. @default the context value `inboundDomain`, else `reply.` + mailFrom's domain */
  inboundDomain?: string;
  /** Where alarms are emailed. @default the context value `operatorsEmail`, else none */
  operatorsEmail?: string;
  /** Who may use the console besides the plans' secretariat contacts (comma-separated). @default the context value `consoleOperators`, else nobody */
  consoleOperators?: string;
  /** The plans deployed into the table, whose rounds are scheduled. @default every plan under plans/, a broken one stopping the synth */
  plans?: readonly Plan[];
}

/** Builds the CDK app: the data stack and the service stack joined by typed props. */
export function buildApp(options: BuildAppOptions = {}): PdcaApp {
  const context: AppProps["context"] = {
    // One stack exports the table to the other; keep the producer protected while a consumer uses it.
    "@aws-cdk/core:defaultCrossStackReferences": "strong",
    ...(options.skipBundling ? { "aws:cdk:bundling-stacks": [] } : {}),
  };
  const app = new App({ outdir: options.outdir, context });
  const env = { region: process.env.CDK_DEFAULT_REGION ?? "ap-northeast-1", account: process.env.CDK_DEFAULT_ACCOUNT };
  const data = new DataStack(app, "PdcaData", {
    env,
    description: "PDCA review platform: table, report bucket and the published site",
  });
  const service = new ServiceStack(app, "PdcaService", {
    env,
    description: "PDCA review platform: functions, workflows, form API, schedules",
    table: data.table,
    reportsBucket: data.reportsBucket,
    linkKey: data.linkKey,
    sessionKey: data.sessionKey,
    site: { bucket: data.siteBucket, prefix: SITE_ROOT, url: data.siteUrl },
    plans: options.plans ?? loadPlans(),
    projectRoot: PROJECT_ROOT,
    mailFrom: options.mailFrom ?? app.node.tryGetContext("mailFrom") ?? "noreply@example.jp",
    inboundDomain: options.inboundDomain ?? app.node.tryGetContext("inboundDomain"),
    operatorsEmail: options.operatorsEmail ?? app.node.tryGetContext("operatorsEmail"),
    consoleOperators: options.consoleOperators ?? app.node.tryGetContext("consoleOperators") ?? "",
  });
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    suppressJustifiedFindings(data, service);
  }
  return { app, data, service };
}

/** Each suppression says why the finding does not apply here. */
function suppressJustifiedFindings(data: DataStack, service: ServiceStack): void {
  Validations.of(data.linkKey).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "The link key signs every form link already emailed; rotating it on a schedule would kill the links of an open round. It is replaced deliberately, between rounds, if ever it leaks.",
  });
  Validations.of(data.sessionKey).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "Rotating the session key only signs every console user out; it is replaced deliberately (a new deploy of the secret) rather than on a schedule, which would need a rotation function for no gain.",
  });
  Validations.of(data.reportsBucket).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "Reports are written only by the platform's functions, whose calls CloudTrail records; access logs would add a bucket with no reader.",
  });
  Validations.of(data.siteBucket).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "Every public read comes through CloudFront, whose access logs (SiteLogsBucket) record it; the only writer is the platform's publisher, whose calls CloudTrail records.",
  });
  Validations.of(data.siteLogsBucket).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "This is the bucket of the CDN's access logs; logging the access to it would need yet another bucket, with no reader.",
  });
  const distributionFindings = [
    {
      id: "AwsSolutions-CFR1",
      reason:
        "The reports are published for anyone, as the plan's progress must be (seed 000 VI); a country restriction would serve no reader.",
    },
    {
      id: "AwsSolutions-CFR2",
      reason:
        "The site is static files served by GET and HEAD from a private bucket: no form, script or API for a web ACL's rules to protect; CloudFront's standard Shield covers floods.",
    },
    {
      id: "AwsSolutions-CFR4",
      reason:
        "The site is served on CloudFront's default *.cloudfront.net certificate, whose policy CloudFront fixes; a prefecture's own domain with its ACM certificate (TLSv1.2_2021) is a deploy-time choice this template cannot make without that domain.",
    },
  ];
  for (const finding of distributionFindings) Validations.of(data.siteDistribution).acknowledge(finding);
  // The state machine may invoke each function's versions and aliases (`<arn>:*`), as CDK's LambdaInvoke grants.
  for (const fn of Object.values(service.functions)) {
    const logicalId = service.getLogicalId(fn.function.node.defaultChild as CfnElement);
    for (const machine of [service.collection, service.review, service.remindNow])
      Validations.of(machine).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: "Invoking a function's versions and aliases is the Step Functions Lambda integration's standard grant.",
      });
  }
  // The provider framework may invoke the plan writer's versions and aliases, as CDK's Provider grants.
  Validations.of(service.planData).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${service.getLogicalId(service.functions.putPlan.function.node.defaultChild as CfnElement)}.Arn>:*]`,
    reason: "Invoking a function's versions and aliases is the provider framework's standard grant, as CDK writes it.",
  });
  // cdk-nag names the bucket by the data stack's export of its ARN; CDK derives that name from the bucket's path,
  // so it only changes if the bucket moves (the nag test would then fail and show the new name).
  Validations.of(service).acknowledge({
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::PdcaData:ExportsOutputFnGetAttReportsBucket4E7C5994ArnE53B5D91/reports/*]",
    reason:
      "Report files are objects under reports/<plan>/<year>/v<n>/; the grant covers that prefix and nothing else.",
  });
  Validations.of(service).acknowledge({
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::PdcaData:ExportsOutputFnGetAttSiteBucket397A1860ArnB404F589/site/*]",
    reason:
      "The published site is the objects under site/ (the index, each year's page, each version's folder); the publisher's grant covers that prefix and nothing else.",
  });
  Validations.of(service.inboundMail.bucket).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "Only SES writes this bucket (for this account's rule alone) and only the reply reader reads it; each message is recorded in the table with its outcome, and CloudTrail records the reads. Access logs would add a bucket with no reader.",
  });
  Validations.of(service.functions.receiveReply).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${service.getLogicalId(service.inboundMail.bucket.node.defaultChild as CfnElement)}.Arn>/inbound/*]`,
    reason:
      "Received messages are objects under inbound/<SES message id>; the reader's grant covers that prefix, read only.",
  });
  const serviceFindings = [
    {
      id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason:
        "AWSLambdaBasicExecutionRole only lets a function write its own logs; it is the standard managed policy for that.",
    },
    {
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's PutTraceSegments and the state machine's log delivery actions have no resource-level permissions; CDK generates both.",
    },
    {
      id: "AwsSolutions-APIG4",
      reason:
        "The form routes are authorized by the 256-bit link token in the path, checked against its stored hash; a person with the emailed link has no other credential.",
    },
    {
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the platform's pinned runtime (aws-local-stepfunctions and the local stack run on 22); the move to a newer runtime is a deliberate upgrade.",
    },
  ];
  for (const finding of serviceFindings) Validations.of(service).acknowledge(finding);
}
