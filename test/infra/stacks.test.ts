import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../functions/catalog.ts";
import { buildApp, type PdcaApp } from "../../infra/app.ts";
import { TemplateResolver } from "../../local/template.ts";

// asl-validator is CommonJS with a function as its export.
const aslValidator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errorsText(separator?: string): string;
};

let built: PdcaApp;
let assemblyDir: string;
let data: Template;
let service: Template;

beforeAll(() => {
  // Bundling is the benchmark's business (bench/bundles.ts); cdk-nag runs as in `cdk synth`.
  assemblyDir = mkdtempSync(join(tmpdir(), "pdca-infra-test-"));
  built = buildApp({ skipBundling: true, outdir: assemblyDir, operatorsEmail: "ops@example.jp" });
  built.app.synth();
  data = Template.fromStack(built.data);
  service = Template.fromStack(built.service);
});

afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

/** A state machine's definition as the template holds it, intrinsic functions resolved as the local stack does. */
function definitionOf(logicalIdPrefix: string) {
  const [entry] = Object.entries(service.findResources("AWS::StepFunctions::StateMachine")).filter(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  const resolver = new TemplateResolver(
    Object.fromEntries(built.app.synth().stacks.map((stack) => [stack.stackName, stack.template])),
    { prefix: "" },
  );
  return JSON.parse(resolver.resolve("PdcaService", entry?.[1].Properties.DefinitionString) as string);
}

describe("data stack", () => {
  it("keeps one on-demand table with point-in-time recovery, deletion protection and the link index, retained", () => {
    data.resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
    data.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: "gsi1", KeySchema: [{ AttributeName: "gsi1pk", KeyType: "HASH" }] }),
        ],
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it("keeps the report bucket private, encrypted, versioned and retained", () => {
    data.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: "Enabled" },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      }),
    });
  });
});

describe("service stack", () => {
  it("runs every catalog function on Node.js 22, ARM64, with its catalog name recorded", () => {
    const functions = service.findResources("AWS::Lambda::Function", { Properties: { Runtime: "nodejs22.x" } });
    const names = Object.values(functions).map((fn) => (fn.Metadata as Record<string, string>)["pdca:function"]);
    expect(names.sort()).toEqual(Object.keys(catalog).sort());
    for (const fn of Object.values(functions)) expect(fn.Properties.Architectures).toEqual(["arm64"]);
  });

  it("grants each function only what the catalog names: mail only to the mailers, callbacks only to the resumers", () => {
    const policies = service.findResources("AWS::IAM::Policy");
    const actionsByRole = new Map<string, Set<string>>();
    for (const policy of Object.values(policies)) {
      const statements = policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>;
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        const actions = actionsByRole.get(role.Ref) ?? new Set<string>();
        for (const statement of statements) for (const action of [statement.Action].flat()) actions.add(action);
        actionsByRole.set(role.Ref, actions);
      }
    }
    const roleOf = (prefix: string) => [...actionsByRole.keys()].find((role) => role.startsWith(prefix)) as string;
    const can = (prefix: string, action: string) => actionsByRole.get(roleOf(prefix))?.has(action) ?? false;
    expect(can("SendRequest", "ses:SendEmail")).toBe(true);
    expect(can("CloseRound", "ses:SendEmail")).toBe(true);
    expect(can("OpenRound", "ses:SendEmail")).toBe(false);
    expect(can("FormHttp", "ses:SendEmail")).toBe(false);
    // Nothing waits for an answer any more: the form resumes no task.
    expect(can("FormHttp", "states:SendTaskSuccess")).toBe(false);
    expect(can("SendRequest", "states:SendTaskSuccess")).toBe(false);
    expect(can("ActOnMoment", "ses:SendEmail")).toBe(true);
    expect(can("RecordMailFeedback", "ses:SendEmail")).toBe(true);
    expect(can("NextMoment", "ses:SendEmail")).toBe(false);
    expect(can("NextMoment", "dynamodb:PutItem")).toBe(false);
    expect(can("OpenRound", "dynamodb:Query")).toBe(true);
    expect(can("OpenRound", "dynamodb:DeleteTable")).toBe(false);
    expect(can("RenderDraftReport", "s3:PutObject")).toBe(true);
    expect(can("ReportHttp", "s3:GetObject")).toBe(true);
    expect(can("ReportHttp", "s3:PutObject")).toBe(false);
    expect(can("CheckRoundsClosed", "dynamodb:PutItem")).toBe(false);
    expect(can("StartYearEndReview", "states:StartExecution")).toBe(true);
    expect(can("StartYearEndReview", "dynamodb:GetItem")).toBe(false);
    expect([...actionsByRole.values()].some((actions) => actions.has("s3:DeleteObject"))).toBe(false);
  });

  it("lets the resumers call back only the workflow the catalog names, and points each starter at its workflow", () => {
    // Each callback grant, by the role it is on: the approval pages and their mailers resume the review; the
    // collection parks no task, so nothing calls it back.
    const callbackTargets = Object.fromEntries(
      Object.values(service.findResources("AWS::IAM::Policy")).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
          .filter((statement) => [statement.Action].flat().includes("states:SendTaskSuccess"))
          .map((statement) => [
            JSON.stringify(policy.Properties.Roles).replace(/.*"Ref":"([A-Za-z]+?)Function.*/, "$1"),
            JSON.stringify(statement.Resource).replace(/.*"Ref":"([A-Za-z]+?)[0-9A-F]{8}".*/, "$1"),
          ]),
      ),
    );
    expect(callbackTargets).toEqual({
      RequestApproval: "YearEndReview",
      AskAboutLateApprovers: "YearEndReview",
      ApprovalHttp: "YearEndReview",
    });
    const starter = Object.values(service.findResources("AWS::Lambda::Function")).find(
      (fn) => (fn.Metadata as Record<string, string>)["pdca:function"] === "startYearEndReview",
    );
    expect(JSON.stringify(starter?.Properties.Environment.Variables.WORKFLOW_ARN)).toMatch(/"Ref":"YearEndReview/);
    const sender = Object.values(service.findResources("AWS::Lambda::Function")).find(
      (fn) => (fn.Metadata as Record<string, string>)["pdca:function"] === "sendRequest",
    );
    expect(sender?.Properties.Environment.Variables.PUBLIC_BASE_URL).toBeDefined();
  });

  it("waits for the round's moments as a whole, with no task per institution, in a valid definition", () => {
    const definition = definitionOf("QuarterlyCollection");
    // Requests go out a few batches at once; the Maps iterate over batch numbers, never institutions.
    const emailEach = definition.States.EmailEachInstitution;
    expect(emailEach).toMatchObject({ Type: "Map", ItemsPath: "$.batches", MaxConcurrency: 2, Next: "NextMoment" });
    expect(emailEach.ItemProcessor.States.SendRequest.Resource).toMatch(/^arn:aws:lambda:/);
    // The round-level loop: the next moment, a Wait until it, then the close or one act on every batch.
    expect(definition.States.NextMoment.Next).toBe("WaitForMoment");
    expect(definition.States.WaitForMoment).toMatchObject({
      Type: "Wait",
      TimestampPath: "$.next.at",
      Next: "IsClose?",
    });
    expect(definition.States["IsClose?"].Choices[0]).toMatchObject({
      Variable: "$.next.kind",
      StringEquals: "close",
      Next: "CloseRound",
    });
    expect(definition.States["IsClose?"].Default).toBe("ActOnEachBatch");
    expect(definition.States.ActOnEachBatch).toMatchObject({ Type: "Map", ItemsPath: "$.batches", Next: "NextMoment" });
    // No state waits for a task token, and none has a heartbeat (the local engine runs neither).
    const text = JSON.stringify(definition);
    expect(text).not.toContain("waitForTaskToken");
    expect(text).not.toContain("HeartbeatSeconds");
    expect(definition.QueryLanguage ?? "JSONPath").toBe("JSONPath");
    const validation = aslValidator(definition);
    expect(validation.errorsText("\n")).toBe("");
    expect(validation.isValid).toBe(true);
    // The validator does refuse a broken definition, so the pass above means something.
    expect(aslValidator({ ...definition, StartAt: "NoSuchState" }).isValid).toBe(false);
    expect(aslValidator(definitionOf("SendReminderNow")).isValid).toBe(true);
  });

  it("sends mail through an SES configuration set whose bounces and complaints reach the feedback function", () => {
    service.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(["bounce", "complaint"]),
        SnsDestination: Match.anyValue(),
      }),
    });
    service.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "lambda" });
    const mailers = Object.values(service.findResources("AWS::Lambda::Function")).filter(
      (fn) => fn.Properties.Environment?.Variables?.MAIL_FROM,
    );
    expect(mailers.length).toBeGreaterThanOrEqual(5);
    for (const fn of mailers) expect(fn.Properties.Environment.Variables.MAIL_CONFIGURATION_SET).toBeDefined();
  });

  it("reviews the year after its rounds close, or tells the secretariat which are open, in a valid definition", () => {
    const definition = definitionOf("YearEndReview");
    expect(aslValidator(definition).isValid).toBe(true);
    expect(definition.StartAt).toBe("CheckRoundsClosed");
    const ready = definition.States["ReadyToReview?"];
    expect(ready.Default).toBe("AskSecretariatAboutOpenRounds");
    expect(ready.Choices[0].Next).toBe("ComputeReview");
    expect(definition.States.ComputeReview.Next).toBe("RenderDraftReport");
    expect(definition.States.RenderDraftReport.Next).toBe("NotifySecretariatOfDraft");
    // The Q4 round's close starts it.
    const collection = definitionOf("QuarterlyCollection");
    expect(collection.States["FourthQuarter?"].Choices[0]).toMatchObject({
      Variable: "$.round.quarter",
      NumericEquals: 4,
      Next: "StartYearEndReview",
    });
  });

  it("schedules every round of the reference plan at 09:00 Japan time with a deterministic execution name", () => {
    const schedules = Object.values(service.findResources("AWS::Scheduler::Schedule"));
    expect(schedules).toHaveLength(20);
    const resolver = new TemplateResolver(
      Object.fromEntries(built.app.synth().stacks.map((stack) => [stack.stackName, stack.template])),
      {
        prefix: "",
      },
    );
    const resolved = schedules.map((schedule) => resolver.resolve("PdcaService", schedule.Properties)) as Array<{
      ScheduleExpression: string;
      ScheduleExpressionTimezone: string;
      Target: { Arn: string; Input: string };
    }>;
    const q1 = resolved.find((schedule) => schedule.ScheduleExpression === "at(2019-07-01T09:00:00)");
    expect(q1?.ScheduleExpressionTimezone).toBe("Asia/Tokyo");
    expect(q1?.Target.Arn).toBe("arn:aws:scheduler:::aws-sdk:sfn:startExecution");
    const input = JSON.parse(q1?.Target.Input ?? "{}");
    expect(input.Name).toBe("hokkaido-kita-no-monozukuri-2019-Q1");
    expect(JSON.parse(input.Input)).toEqual({ planId: "hokkaido-kita-no-monozukuri", fiscalYear: 2019, quarter: 1 });
    expect(input.StateMachineArn).toMatch(/:stateMachine:.*QuarterlyCollection/);
    // Q4 of FY2019 goes out in April 2020, the month after the quarter.
    expect(resolved.map((schedule) => schedule.ScheduleExpression)).toContain("at(2020-04-01T09:00:00)");
  });

  it("serves GET and POST /forms/{token} from the form function, throttled and logged", () => {
    service.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "GET /forms/{token}" });
    service.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "POST /forms/{token}" });
    service.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    service.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "example.jp" });
  });

  it("sends every alarm to the operators' encrypted topic, and counts the errors the HTTP functions answer with a page", () => {
    const topics = Object.keys(service.findResources("AWS::SNS::Topic")).filter((id) => id.startsWith("Alarms"));
    expect(topics).toHaveLength(1);
    service.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    service.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.jp" });
    const alarms = Object.values(service.findResources("AWS::CloudWatch::Alarm"));
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
    const filters = Object.values(service.findResources("AWS::Logs::MetricFilter"));
    expect(filters.map((filter) => filter.Properties.FilterPattern)).toEqual(Array(3).fill('{ $.level = "ERROR" }'));
    expect(filters.map((filter) => JSON.stringify(filter.Properties.LogGroupName))).toEqual([
      expect.stringMatching(/FormHttpLogs/),
      expect.stringMatching(/ReportHttpLogs/),
      expect.stringMatching(/ApprovalHttpLogs/),
    ]);
  });

  it("writes each plan file into the table on deploy, as a custom resource handled by putPlan", () => {
    const plans = Object.values(service.findResources("Custom::PdcaPlan"));
    expect(plans).toHaveLength(1);
    const properties = plans[0]?.Properties as { PlanId: string; Plan: string; ServiceToken: unknown };
    expect(properties.PlanId).toBe("hokkaido-kita-no-monozukuri");
    expect(JSON.parse(properties.Plan)).toMatchObject({
      id: "hokkaido-kita-no-monozukuri",
      institutions: expect.any(Array),
    });
    // The provider framework's function calls putPlan: its environment names putPlan's ARN.
    const framework = Object.values(service.findResources("AWS::Lambda::Function")).find((fn) =>
      JSON.stringify(fn.Properties.Environment ?? {}).includes("USER_ON_EVENT_FUNCTION_ARN"),
    );
    expect(JSON.stringify(framework?.Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN)).toMatch(
      /PutPlanFunction/,
    );
    expect(JSON.stringify(properties.ServiceToken)).toMatch(/Provider/);
  });

  it("passes AWS's CloudFormation linter (cfn-lint) on both templates", () => {
    const templates = ["PdcaData", "PdcaService"].map((stack) => join(assemblyDir, `${stack}.template.json`));
    // W3005: CDK writes a DependsOn on each function's role that its GetAtt already implies; harmless, and CDK's.
    const run = spawnSync("cfn-lint", ["--ignore-checks", "W3005", "--", ...templates], { encoding: "utf8" });
    if (run.error) throw new Error(`cfn-lint is not installed (pip install cfn-lint): ${run.error.message}`);
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
    // The linter does judge: a template with a typo in a resource type fails it.
    const broken = join(assemblyDir, "broken.template.json");
    writeFileSync(broken, JSON.stringify({ Resources: { Table: { Type: "AWS::DynamoDB::Tabel", Properties: {} } } }));
    expect(spawnSync("cfn-lint", ["--", broken], { encoding: "utf8" }).status).not.toBe(0);
  }, 60_000);

  it("passes cdk-nag's AwsSolutions pack with only justified acknowledgements", () => {
    // cdk-nag 3 runs as a CDK policy-validation plugin: its verdict is the assembly's validation report.
    const report = JSON.parse(readFileSync(join(assemblyDir, "validation-report.json"), "utf8")) as {
      pluginReports: Array<{
        pluginName: string;
        conclusion: string;
        violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
      }>;
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === "AwsSolutions");
    expect(nag).toBeDefined();
    const violations = nag?.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
    );
    expect(violations).toEqual([]);
    expect(nag?.conclusion).toBe("success");
  });
});
