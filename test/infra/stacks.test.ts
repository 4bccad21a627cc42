import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogEntry, catalog } from "../../functions/catalog.ts";
import { buildApp, type PdcaApp } from "../../infra/app.ts";
import { TemplateResolver } from "../../local/template.ts";
import { PERMANENT_ERRORS } from "../../workflows/errors.ts";

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

describe("the published site", () => {
  it("keeps its files in a private, encrypted, versioned, retained bucket that refuses plain HTTP", () => {
    const buckets = data.findResources("AWS::S3::Bucket");
    const [siteId, site] = Object.entries(buckets).find(([id]) => id.startsWith("SiteBucket")) ?? [];
    expect(siteId).toBeDefined();
    expect(site).toMatchObject({
      DeletionPolicy: "Retain",
      Properties: {
        VersioningConfiguration: { Status: "Enabled" },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      },
    });
    const policy = Object.values(data.findResources("AWS::S3::BucketPolicy")).find(
      (candidate) => candidate.Properties.Bucket.Ref === siteId,
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    // The only reader it lets in is CloudFront, and only for this distribution.
    const allows = statements.filter((statement) => statement.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: "s3:GetObject",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Condition: { StringEquals: { "AWS:SourceArn": expect.anything() } },
    });
    expect(JSON.stringify(allows[0]?.Condition)).toMatch(/SiteDistribution/);
  });

  it("is served by CloudFront through origin access control, HTTPS only, with security headers and an index page", () => {
    data.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    data.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: "s3", SigningBehavior: "always" }),
    });
    const [distribution] = Object.values(data.findResources("AWS::CloudFront::Distribution"));
    const config = distribution?.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe("index.html");
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(["GET", "HEAD"]);
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    expect(config.Logging).toMatchObject({ Bucket: expect.anything(), Prefix: "cloudfront/" });
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]).toMatchObject({
      OriginPath: "/site",
      OriginAccessControlId: { "Fn::GetAtt": [expect.stringMatching(/OriginAccessControl/), "Id"] },
      S3OriginConfig: { OriginAccessIdentity: "" },
    });
    expect(JSON.stringify(config.Origins[0].DomainName)).toMatch(/SiteBucket/);
    // Its address is an output, for people and for `pdca --target aws`.
    expect(JSON.stringify(data.findOutputs("SiteUrl"))).toMatch(/https:\/\/.*SiteDistribution.*DomainName/);
    data.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'none'"),
          }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: "DENY", Override: true },
        }),
      }),
    });
  });

  it("lets the publisher write the site only under its prefix, and gives the notifier the site's address", () => {
    const publisher = Object.entries(service.findResources("AWS::Lambda::Function")).find(
      ([, fn]) => (fn.Metadata as Record<string, string>)["pdca:function"] === "publishReport",
    );
    const role = publisher?.[1].Properties.Role["Fn::GetAtt"][0] as string;
    const siteStatements = Object.values(service.findResources("AWS::IAM::Policy"))
      .flatMap((policy) =>
        (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === role)
          ? (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
          : [],
      )
      .filter((statement) => JSON.stringify(statement.Resource).includes("SiteBucket"));
    expect(siteStatements).toHaveLength(1);
    expect([siteStatements[0]?.Action].flat().sort()).toEqual(["s3:GetObject", "s3:PutObject"]);
    const resource = siteStatements[0]?.Resource as { "Fn::Join": [string, unknown[]] };
    expect(resource["Fn::Join"][1].at(-1)).toBe("/site/*");
    // Nobody else may touch the site.
    const others = Object.values(service.findResources("AWS::IAM::Policy")).filter(
      (policy) =>
        !(policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === role) &&
        JSON.stringify(policy.Properties.PolicyDocument).includes("SiteBucket"),
    );
    expect(others).toEqual([]);
    expect(publisher?.[1].Properties.Environment.Variables).toMatchObject({
      SITE_PREFIX: "site/",
      SITE_BUCKET: expect.anything(),
    });
    const notifier = Object.values(service.findResources("AWS::Lambda::Function")).find(
      (fn) => (fn.Metadata as Record<string, string>)["pdca:function"] === "notifyPublished",
    );
    expect(JSON.stringify(notifier?.Properties.Environment.Variables.SITE_BASE_URL)).toMatch(
      /SiteDistribution.*DomainName/,
    );
  });
});

describe("service stack", () => {
  it("runs every catalog function on Node.js 22, ARM64 but for the printer, with its catalog name recorded", () => {
    const functions = service.findResources("AWS::Lambda::Function", { Properties: { Runtime: "nodejs22.x" } });
    const names = Object.values(functions).map((fn) => (fn.Metadata as Record<string, string>)["pdca:function"]);
    expect(names.sort()).toEqual(Object.keys(catalog).sort());
    for (const fn of Object.values(functions))
      if ((fn.Metadata as Record<string, string>)["pdca:function"] !== "publishReport")
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
  });

  it("prints on x86_64 with the browser layer, 2 GB and two minutes, the layer's packages left out of the bundle", () => {
    const printer = Object.values(service.findResources("AWS::Lambda::Function")).find(
      (fn) => (fn.Metadata as Record<string, string>)["pdca:function"] === "publishReport",
    );
    expect(printer?.Properties).toMatchObject({ Architectures: ["x86_64"], MemorySize: 2048, Timeout: 120 });
    const [layerId, layer] = Object.entries(service.findResources("AWS::Lambda::LayerVersion"))[0] ?? [];
    expect(printer?.Properties.Layers).toEqual([{ Ref: layerId }]);
    expect(layer?.Properties).toMatchObject({
      CompatibleArchitectures: ["x86_64"],
      CompatibleRuntimes: ["nodejs22.x"],
    });
  });

  it("grants each function exactly what its catalog entry names, read from the template's policies", () => {
    const actionsByRole = new Map<string, Set<string>>();
    for (const policy of Object.values(service.findResources("AWS::IAM::Policy"))) {
      const statements = policy.Properties.PolicyDocument.Statement as Array<{
        Action: string | string[];
        Resource: unknown;
      }>;
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        const actions = actionsByRole.get(role.Ref) ?? new Set<string>();
        for (const statement of statements) {
          // An S3 action counts for the bucket it names: the reports' and the published site's are granted apart.
          const resource = JSON.stringify(statement.Resource);
          const bucket = /ReportsBucket/.test(resource)
            ? "@reports"
            : /SiteBucket/.test(resource)
              ? "@site"
              : /InboundMailBucket/.test(resource)
                ? "@inbound"
                : "";
          for (const action of [statement.Action].flat()) actions.add(`${action}${bucket}`);
        }
        actionsByRole.set(role.Ref, actions);
      }
    }
    const functions = Object.values(service.findResources("AWS::Lambda::Function"));
    // Every grant a catalog entry can name, and the actions that show it in the template.
    const grants = {
      tableRead: ["dynamodb:GetItem", "dynamodb:Query"],
      tableWrite: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
      mail: ["ses:SendEmail"],
      callback: ["states:SendTaskSuccess"],
      starts: ["states:StartExecution"],
      secret: ["secretsmanager:GetSecretValue"],
      bucketRead: ["s3:GetObject@reports"],
      bucketWrite: ["s3:PutObject@reports"],
      siteWrite: ["s3:PutObject@site"],
      inboundRead: ["s3:GetObject@inbound"],
    };
    for (const [name, entry] of Object.entries(catalog)) {
      const fn = functions.find(
        (candidate) => (candidate.Metadata as Record<string, string>)["pdca:function"] === name,
      );
      if (!fn) throw new Error(`no function for ${name} in the template`);
      const roleId = (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
      const actions = actionsByRole.get(roleId) ?? new Set<string>();
      const access: CatalogEntry["access"] = entry.access;
      const expected = {
        tableRead: access.table !== undefined,
        tableWrite: access.table === "read-write",
        mail: access.mail === true,
        callback: access.workflowCallback !== undefined,
        starts: (access.startsWorkflows?.length ?? 0) > 0,
        secret: access.linkKey === true || access.sessionKey === true,
        bucketRead: access.bucket !== undefined,
        bucketWrite: access.bucket === "read-write",
        siteWrite: access.site === "write",
        inboundRead: access.inboundMail === "read",
      };
      const granted = Object.fromEntries(
        Object.entries(grants).map(([grant, names]) => [grant, names.every((action) => actions.has(action))]),
      );
      expect(granted, name).toEqual(expected);
      // Nothing the platform stores is ever deleted, by any function.
      // The reply address's domain goes to every function that writes a Reply-To, and to no other.
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect("INBOUND_DOMAIN" in variables, `${name} INBOUND_DOMAIN`).toBe(access.replyAddress === true);
      // Nobody may write the received messages but SES, nor delete them but the lifecycle rule.
      expect(
        [...actions].some((granted) => /^s3:(Put|Delete)Object.*@inbound$/.test(granted)),
        `${name} writes inbound`,
      ).toBe(false);
      for (const action of ["s3:DeleteObject", "dynamodb:DeleteItem", "dynamodb:DeleteTable"])
        expect(
          [...actions].some((granted) => granted.startsWith(action)),
          `${name} ${action}`,
        ).toBe(false);
    }
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
      ConsoleHttp: "YearEndReview",
    });
    const starter = Object.values(service.findResources("AWS::Lambda::Function")).find(
      (fn) => (fn.Metadata as Record<string, string>)["pdca:function"] === "startYearEndReview",
    );
    expect(JSON.stringify(starter?.Properties.Environment.Variables.REVIEW_WORKFLOW_ARN)).toMatch(
      /"Ref":"YearEndReview/,
    );
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
    expect(ready.Choices[0].Next).toBe("NameThisRun");
    // The run's id reaches ComputeReview as a value ("id.$" would have been rendered "id.$.$", which AWS rejects).
    expect(definition.States.NameThisRun).toMatchObject({
      Type: "Pass",
      Parameters: { "id.$": "$$.Execution.Id" },
      ResultPath: "$.run",
      Next: "ComputeReview",
    });
    expect(definition.States.ComputeReview.Next).toBe("RenderDraftReport");
    expect(definition.States.RenderDraftReport.Next).toBe("NotifySecretariatOfDraft");
    // Approved by every step: published, then announced.
    const status = definition.States["CirculationStatus?"];
    const approved = status.Choices.find((choice: { StringEquals?: string }) => choice.StringEquals === "approved");
    expect(approved.Next).toBe("PublishReport");
    expect(definition.States.PublishReport).toMatchObject({ InputPath: "$.draft", ResultPath: "$.published" });
    expect(definition.States.PublishReport.Next).toBe("NotifyPublished");
    expect(definition.States.NotifyPublished.Next).toBe("Published");
    expect(definition.States.Published.Type).toBe("Succeed");
    expect(definition.States.Approved).toBeUndefined();
    // The Q4 round's close starts it.
    const collection = definitionOf("QuarterlyCollection");
    expect(collection.States["FourthQuarter?"].Choices[0]).toMatchObject({
      Variable: "$.round.quarter",
      NumericEquals: 4,
      Next: "StartYearEndReview",
    });
    // Remembering the round's cases failing for good does not keep the review from starting, and still fails the run.
    expect(collection.States.RememberRoundCases.Catch).toEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.rememberFailed", Next: "FourthQuarter?" },
    ]);
    expect(collection.States.StartYearEndReview.Next).toBe("CasesRemembered?");
    expect(collection.States["FourthQuarter?"].Default).toBe("CasesRemembered?");
    expect(collection.States["CasesRemembered?"]).toMatchObject({
      Choices: [{ Variable: "$.rememberFailed", IsPresent: true, Next: "CasesNotRemembered" }],
      Default: "RoundClosed",
    });
    expect(collection.States.CasesNotRemembered).toMatchObject({ Type: "Fail", Error: "CasesNotRemembered" });
  });

  it("retries a failed mail of a wait for a person as any other task, and never retries the wait's timeout", () => {
    const states = definitionOf("YearEndReview").States;
    const requestApproval = states.AskEachApprover.ItemProcessor.States.RequestApproval;
    const askAboutLate = states.AskSecretariatAboutLateApprovers;
    // What every other task of the review gets: CDK's retry of Lambda's own errors, permanent errors never retried,
    // anything else with backoff.
    const [service, permanent, transient] = states.NextApprovalStep.Retry;
    expect(permanent).toEqual({ ErrorEquals: PERMANENT_ERRORS, MaxAttempts: 0 });
    expect(transient).toEqual({ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 });
    for (const wait of [requestApproval, askAboutLate]) {
      expect(wait.Resource).toBe("arn:aws:states:::lambda:invoke.waitForTaskToken");
      // States.ALL matches States.Timeout too: a retry would wait a whole period more instead of ending the wait.
      expect(wait.Retry).toEqual([
        service,
        { ...permanent, ErrorEquals: ["States.Timeout", ...PERMANENT_ERRORS] },
        transient,
      ]);
    }
    expect(requestApproval.Catch).toEqual([
      { ErrorEquals: ["States.Timeout"], ResultPath: null, Next: "NoDecisionByTheDeadline" },
    ]);
  });

  it("looks at the circulation again when the secretariat has not decided about late approvers for a while", () => {
    const states = definitionOf("YearEndReview").States;
    const askAboutLate = states.AskSecretariatAboutLateApprovers;
    expect(askAboutLate.TimeoutSecondsPath).toBe("$.circulation.waitSeconds");
    expect(askAboutLate.Next).toBe("NextApprovalStep");
    expect(askAboutLate.Catch).toEqual([
      { ErrorEquals: ["States.Timeout"], ResultPath: null, Next: "NoDecisionAboutLateApproversYet" },
    ]);
    expect(states.NoDecisionAboutLateApproversYet).toMatchObject({ Type: "Pass", Next: "NextApprovalStep" });
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
    // The answer file beside the form, from a function of its own (it carries the spreadsheet library).
    for (const method of ["GET", "POST"])
      service.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: `${method} /forms/{token}/file`,
        Target: { "Fn::Join": ["", ["integrations/", { Ref: Match.stringLikeRegexp("AnswerFileIntegration") }]] },
      });
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
    expect(filters.map((filter) => filter.Properties.FilterPattern)).toEqual(Array(6).fill('{ $.level = "ERROR" }'));
    expect(filters.map((filter) => JSON.stringify(filter.Properties.LogGroupName))).toEqual([
      expect.stringMatching(/FormHttpLogs/),
      expect.stringMatching(/AnswerFileHttpLogs/),
      expect.stringMatching(/ReportHttpLogs/),
      expect.stringMatching(/ApprovalHttpLogs/),
      expect.stringMatching(/ConsoleHttpLogs/),
      expect.stringMatching(/ReceiveReplyLogs/),
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

  it("receives replies by an SES rule that stores them in a private, encrypted, expiring bucket, then calls receiveReply", () => {
    const [ruleSetId] = Object.keys(service.findResources("AWS::SES::ReceiptRuleSet"));
    const [functionId] = Object.entries(service.findResources("AWS::Lambda::Function")).find(
      ([, fn]) => (fn.Metadata as Record<string, string>)["pdca:function"] === "receiveReply",
    ) ?? [""];
    const [bucketId] = Object.keys(service.findResources("AWS::S3::Bucket", {}));
    expect(ruleSetId && functionId && bucketId).toBeTruthy();
    service.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, Prefix: "inbound/" })] },
    });
    service.hasResource("AWS::S3::Bucket", { DeletionPolicy: "Retain" });
    // The S3 action first (the Lambda action's event has no body), then the function, asynchronously.
    const [rule] = Object.values(service.findResources("AWS::SES::ReceiptRule"));
    expect(rule?.Properties.RuleSetName).toEqual({ Ref: ruleSetId });
    expect(rule?.Properties.Rule).toMatchObject({
      Enabled: true,
      Recipients: ["reply.example.jp"],
      ScanEnabled: true,
      TlsPolicy: "Require",
      Actions: [
        { S3Action: { BucketName: { Ref: bucketId }, ObjectKeyPrefix: "inbound/" } },
        { LambdaAction: { FunctionArn: { "Fn::GetAtt": [functionId, "Arn"] }, InvocationType: "Event" } },
      ],
    });
    // SES checks both permissions when the rule is saved: the rule must come after them.
    const dependsOn = [rule?.DependsOn ?? []].flat();
    expect(dependsOn.some((id: string) => /InboundMailBucketPolicy/.test(id))).toBe(true);
    expect(dependsOn.some((id: string) => /AllowSesToInvoke/.test(id))).toBe(true);
    // Only SES, for this account and this very rule, may write the bucket and invoke the function.
    const ruleArn = Match.objectLike({ "Fn::Join": Match.arrayWith([Match.arrayWith([{ Ref: ruleSetId }])]) });
    service.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "ses.amazonaws.com" },
            Action: "s3:PutObject",
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" }, "aws:SourceArn": ruleArn } },
          }),
        ]),
      },
    });
    service.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [functionId, "Arn"] },
      Principal: "ses.amazonaws.com",
      SourceAccount: { Ref: "AWS::AccountId" },
      SourceArn: ruleArn,
    });
    // The rule set is activated by a deploy step the stack prints; the reply domain is verified and given its MX.
    const outputs = service.findOutputs("*");
    expect(JSON.stringify(outputs.ActivateInboundRuleSet?.Value)).toContain("set-active-receipt-rule-set");
    expect(JSON.stringify(outputs.InboundMxRecord?.Value)).toContain("inbound-smtp.");
    service.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "reply.example.jp" });
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
