import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from "aws-cdk-lib";
import { type CfnStage, HttpApi, HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Architecture } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { Universal } from "aws-cdk-lib/aws-scheduler-targets";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { EmailIdentity, Identity } from "aws-cdk-lib/aws-ses";
import { LogLevel, StateMachine, StateMachineType } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { jstParts, QUARTERS } from "../domain/calendar.ts";
import { LINK_INDEX, roundId } from "../domain/keys.ts";
import type { Plan } from "../domain/plan.ts";
import { requestTimeOf } from "../domain/round-schedule.ts";
import { type CatalogEntry, catalog, type FunctionName, functionNames } from "../functions/catalog.ts";
import { quarterlyCollectionDefinition } from "../workflows/quarterly-collection.ts";
import { remindNowDefinition } from "../workflows/remind-now.ts";
import { yearEndReviewDefinition } from "../workflows/year-end-review.ts";
import { InboundMail } from "./constructs/inbound-mail.ts";
import { MailFeedback } from "./constructs/mail-feedback.ts";
import { OperatorAlarms } from "./constructs/operator-alarms.ts";
import { PdcaFunction, type PlatformResources } from "./constructs/pdca-function.ts";
import { PDF_RENDERER_PACKAGES, PdfRendererLayer } from "./constructs/pdf-renderer-layer.ts";
import { PlanData } from "./constructs/plan-data.ts";

const GET = HttpMethod.GET;
const POST = HttpMethod.POST;
const YEAR = "/console/plans/{plan}/years/{year}";

/** The console's routes: every page a GET, every action a POST. */
const CONSOLE_ROUTES: ReadonlyArray<readonly [string, readonly HttpMethod[]]> = [
  ["/console", [GET]],
  ["/console/sign-in", [GET, POST]],
  ["/console/sign-in/{token}", [GET, POST]],
  ["/console/sign-out", [POST]],
  ["/console/audit", [GET]],
  ["/console/audit.csv", [GET]],
  ["/console/plans/{plan}", [GET]],
  [YEAR, [GET]],
  [`${YEAR}/drafts`, [POST]],
  [`${YEAR}/late-approvers`, [POST]],
  [`${YEAR}/approval`, [POST]],
  [`${YEAR}/versions/{version}/{file}`, [GET]],
  [`${YEAR}/versions/{version}/data/{file}`, [GET]],
  [`${YEAR}/rounds/{quarter}`, [GET]],
  [`${YEAR}/rounds/{quarter}/start`, [POST]],
  [`${YEAR}/rounds/{quarter}/extend`, [POST]],
  [`${YEAR}/rounds/{quarter}/remind`, [POST]],
  [`${YEAR}/rounds/{quarter}/accept-late`, [POST]],
];

export interface ServiceStackProps extends StackProps {
  /** The single table, from the data stack. */
  readonly table: ITableV2;
  /** Draft and approved reports, from the data stack. */
  readonly reportsBucket: IBucket;
  /** The key form links are derived from, from the data stack. */
  readonly linkKey: ISecret;
  /** The key the console's session cookies are signed with. */
  readonly sessionKey: ISecret;
  /** Who may use the console besides the plans' secretariat contacts (comma-separated addresses). */
  readonly consoleOperators: string;
  /** The published site from the data stack: its bucket, the prefix the CDN serves, and its public base URL. */
  readonly site: PlatformResources["site"];
  /** Plans written into the table on deploy, and whose quarterly rounds are scheduled. */
  readonly plans: readonly Plan[];
  /** Absolute path of the repository root, for bundling. */
  readonly projectRoot: string;
  /** The address mail is sent from; its domain is verified in SES. */
  readonly mailFrom: string;
  /** The domain that receives replies to the request mail (answer+<token>@ it). @default `reply.` + mailFrom's domain */
  readonly inboundDomain?: string;
  /** Where the operators' alarms are emailed. @default no subscription (the topic's ARN is an output) */
  readonly operatorsEmail?: string;
}

/** The key prefix under which every report and review file lives (domain/report/files.ts writes below it). */
export const REPORTS_ROOT = "reports/";

/** "at(2019-07-01T09:00:00)" in Japan time, the form EventBridge Scheduler reads with a time zone. */
function atJst(instant: Date): string {
  const { year, month, day } = jstParts(instant);
  const hour = new Date(instant.getTime() + 9 * 3600_000).getUTCHours();
  const pad = (value: number) => String(value).padStart(2, "0");
  return `at(${year}-${pad(month)}-${pad(day)}T${pad(hour)}:00:00)`;
}

/**
 * The stateless half: the catalog's functions with least-privilege grants, the QuarterlyCollection state machine,
 * its schedules, the form's HTTP API, the SES identity and the alarms.
 */
export class ServiceStack extends Stack {
  readonly functions: Record<FunctionName, PdcaFunction>;
  readonly collection: StateMachine;
  readonly review: StateMachine;
  readonly remindNow: StateMachine;
  readonly mailFeedback: MailFeedback;
  readonly inboundMail: InboundMail;
  readonly api: HttpApi;
  readonly alarms: OperatorAlarms;
  readonly planData: PlanData;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);

    // 1. Functions from the catalog; each is granted what its entry names once the workflows and the API exist.
    const mailDomain = props.mailFrom.split("@")[1] ?? props.mailFrom;
    const identity = new EmailIdentity(this, "MailIdentity", { identity: Identity.domain(mailDomain) });
    // The browser for the functions that print, in a layer of its own (built offline at synth).
    const printing = functionNames.some((name) => (catalog[name] as CatalogEntry).browser)
      ? new PdfRendererLayer(this, "PdfRenderer", { projectRoot: props.projectRoot })
      : undefined;
    this.functions = Object.fromEntries(
      functionNames.map((name) => {
        const entry: CatalogEntry = catalog[name];
        const browser = entry.browser && printing;
        return [
          name,
          new PdcaFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
            catalogName: name,
            entry,
            projectRoot: props.projectRoot,
            // Chromium needs the memory (a report prints in about a second with 2 GB) and a cold start's unpacking.
            ...(browser
              ? {
                  architecture: Architecture.X86_64,
                  layers: [browser.layer],
                  externalModules: [...PDF_RENDERER_PACKAGES],
                  memorySize: 2048,
                  timeout: Duration.seconds(120),
                }
              : {}),
          }),
        ];
      }),
    ) as Record<FunctionName, PdcaFunction>;
    const fnOf = (name: FunctionName): IFunction => this.functions[name].function;

    // 2. The workflows, each from the one definition the local stack also runs.
    const reviewLogs = new LogGroup(this, "ReviewLogs", { retention: RetentionDays.SIX_MONTHS });
    this.review = new StateMachine(this, "YearEndReview", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: yearEndReviewDefinition(this, {
        checkRoundsClosed: fnOf("checkRoundsClosed"),
        notifyRoundsOpen: fnOf("notifyRoundsOpen"),
        computeReview: fnOf("computeReview"),
        renderDraftReport: fnOf("renderDraftReport"),
        notifyDraft: fnOf("notifyDraft"),
        nextApprovalStep: fnOf("nextApprovalStep"),
        requestApproval: fnOf("requestApproval"),
        askAboutLateApprovers: fnOf("askAboutLateApprovers"),
        notifyChangesRequested: fnOf("notifyChangesRequested"),
        publishReport: fnOf("publishReport"),
        notifyPublished: fnOf("notifyPublished"),
      }),
      tracingEnabled: true,
      logs: { destination: reviewLogs, level: LogLevel.ALL, includeExecutionData: false },
      // A draft's circulation waits on people: two steps of a few weeks, an extension or two, and revisions.
      timeout: Duration.days(180),
    });
    const workflowLogs = new LogGroup(this, "CollectionLogs", { retention: RetentionDays.SIX_MONTHS });
    this.collection = new StateMachine(this, "QuarterlyCollection", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: quarterlyCollectionDefinition(this, {
        openRound: fnOf("openRound"),
        sendRequest: fnOf("sendRequest"),
        nextMoment: fnOf("nextMoment"),
        actOnMoment: fnOf("actOnMoment"),
        closeRound: fnOf("closeRound"),
        rememberRoundCases: fnOf("rememberRoundCases"),
        startYearEndReview: fnOf("startYearEndReview"),
      }),
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: LogLevel.ALL, includeExecutionData: false },
      // A round lasts a quarter at most; a stuck execution ends well before the next year's round.
      timeout: Duration.days(120),
    });
    // The secretariat's reminder now: one task, so the CLI starts it on AWS as locally, with the function's grants.
    const remindLogs = new LogGroup(this, "RemindNowLogs", { retention: RetentionDays.SIX_MONTHS });
    this.remindNow = new StateMachine(this, "SendReminderNow", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: remindNowDefinition(this, { remindNow: fnOf("remindNow") }),
      tracingEnabled: true,
      logs: { destination: remindLogs, level: LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.minutes(30),
    });
    // Bounces and complaints come back through SES's configuration set (every mailer sends through it).
    this.mailFeedback = new MailFeedback(this, "MailFeedback", { recordFeedback: fnOf("recordMailFeedback") });
    // Replies to the request mail come in through an SES receipt rule (a domain of their own, so that the MX record
    // of the sending domain, which people may use for their own mail, is left alone).
    const inboundDomain = (props.inboundDomain ?? `reply.${mailDomain}`).toLowerCase();
    const inboundIdentity =
      inboundDomain === mailDomain.toLowerCase()
        ? identity
        : new EmailIdentity(this, "InboundIdentity", { identity: Identity.domain(inboundDomain) });
    this.inboundMail = new InboundMail(this, "InboundMail", {
      domain: inboundDomain,
      receiveReply: fnOf("receiveReply"),
    });

    // 3. The form's HTTP API: GET and POST /forms/{token} and its answer file, throttled.
    this.api = new HttpApi(this, "FormApi", { description: "Quarterly forms behind personal links" });
    const formIntegration = new HttpLambdaIntegration("FormIntegration", fnOf("formHttp"));
    this.api.addRoutes({
      path: "/forms/{token}",
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: formIntegration,
    });
    // The form's answer file (the prefilled workbook, and a filled one uploaded) in a function of its own, so the
    // form's function does not carry the spreadsheet library.
    this.api.addRoutes({
      path: "/forms/{token}/file",
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration("AnswerFileIntegration", fnOf("answerFileHttp")),
    });
    const reportIntegration = new HttpLambdaIntegration("ReportIntegration", fnOf("reportHttp"));
    for (const path of ["/reports/{token}/{file}", "/reports/{token}/data/{file}"])
      this.api.addRoutes({ path, methods: [HttpMethod.GET], integration: reportIntegration });
    const approvalIntegration = new HttpLambdaIntegration("ApprovalIntegration", fnOf("approvalHttp"));
    for (const path of ["/approvals/{token}", "/decisions/{token}"])
      this.api.addRoutes({ path, methods: [HttpMethod.GET, HttpMethod.POST], integration: approvalIntegration });
    for (const path of ["/approvals/{token}/report/{file}", "/approvals/{token}/report/data/{file}"])
      this.api.addRoutes({ path, methods: [HttpMethod.GET], integration: approvalIntegration });
    // The secretariat's console, on the same API: its pages (GET) and its actions (POST, each CSRF-checked).
    const consoleIntegration = new HttpLambdaIntegration("ConsoleIntegration", fnOf("consoleHttp"));
    for (const [path, methods] of CONSOLE_ROUTES)
      this.api.addRoutes({ path, methods: [...methods], integration: consoleIntegration });
    const accessLogs = new LogGroup(this, "FormApiAccessLogs", { retention: RetentionDays.SIX_MONTHS });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.defaultRouteSettings = { throttlingBurstLimit: 50, throttlingRateLimit: 20 };
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: "$context.requestId",
        status: "$context.status",
        route: "$context.routeKey",
      }),
    };

    // Each function's grants, from its catalog entry, through the one method that makes them.
    const resources: PlatformResources = {
      table: props.table,
      tableIndexes: [LINK_INDEX],
      reportsBucket: props.reportsBucket,
      reportsPrefix: REPORTS_ROOT,
      mail: {
        from: props.mailFrom,
        identityArn: this.formatArn({ service: "ses", resource: "identity", resourceName: identity.emailIdentityName }),
        configurationSet: this.mailFeedback.configurationSet.configurationSetName,
        configurationSetArn: this.formatArn({
          service: "ses",
          resource: "configuration-set",
          resourceName: this.mailFeedback.configurationSet.configurationSetName,
        }),
      },
      workflows: { collection: this.collection, review: this.review, remind: this.remindNow },
      publicBaseUrl: this.api.apiEndpoint,
      linkKey: props.linkKey,
      sessionKey: props.sessionKey,
      consoleOperators: props.consoleOperators,
      site: props.site,
      inbound: { domain: inboundDomain, bucket: this.inboundMail.bucket, prefix: this.inboundMail.prefix },
    };
    for (const fn of Object.values(this.functions)) fn.grantAccess(resources);

    // 4. One schedule per round of each plan, at 09:00 Japan time on the request day (the next business day when it
    // is closed), with a deterministic
    // execution name so a schedule firing twice starts one round.
    for (const plan of props.plans)
      for (let fiscalYear = plan.targets.firstTargetYear; fiscalYear <= plan.period.lastFiscalYear; fiscalYear++)
        for (const quarter of QUARTERS) {
          const name = roundId(plan.id, fiscalYear, quarter);
          new Schedule(this, `Round-${name}`, {
            description: `QuarterlyCollection ${name}`,
            schedule: ScheduleExpression.expression(
              atJst(requestTimeOf(plan, fiscalYear, quarter)),
              TimeZone.ASIA_TOKYO,
            ),
            target: new Universal({
              service: "sfn",
              action: "startExecution",
              input: ScheduleTargetInput.fromObject({
                StateMachineArn: this.collection.stateMachineArn,
                Name: name,
                Input: JSON.stringify({ planId: plan.id, fiscalYear, quarter }),
              }),
              policyStatements: [
                new PolicyStatement({
                  actions: ["states:StartExecution"],
                  resources: [this.collection.stateMachineArn],
                }),
              ],
            }),
          });
        }

    // 5. The plan files, written into the table by the deploy itself (putPlan as a custom resource).
    this.planData = new PlanData(this, "Plans", { plans: props.plans, putPlan: fnOf("putPlan") });

    // 6. Alarms, to the operators: a failed workflow or a failing form is somebody's lost answer.
    this.alarms = new OperatorAlarms(this, "Alarms", {
      operatorsEmail: props.operatorsEmail,
      workflows: { QuarterlyCollection: this.collection, YearEndReview: this.review, SendReminderNow: this.remindNow },
      httpFunctions: {
        FormHttp: this.functions.formHttp,
        AnswerFileHttp: this.functions.answerFileHttp,
        ReportHttp: this.functions.reportHttp,
        ApprovalHttp: this.functions.approvalHttp,
        ConsoleHttp: this.functions.consoleHttp,
        // Not HTTP, but its failures are logged as ERROR the same way (logFailures) before SES's Event call is retried
        // and at last dropped: a reply nobody read must reach the operators.
        ReceiveReply: this.functions.receiveReply,
      },
    });

    new CfnOutput(this, "PublicBaseUrl", {
      value: this.api.apiEndpoint,
      description: "Where the forms, the approval pages and the report links are served",
    });
    new CfnOutput(this, "ConsoleUrl", {
      value: `${this.api.apiEndpoint}/console`,
      description: "The secretariat's console (sign in with a secretariat contact's address)",
    });
    new CfnOutput(this, "CollectionStateMachineArn", { value: this.collection.stateMachineArn });
    new CfnOutput(this, "ReviewStateMachineArn", { value: this.review.stateMachineArn });
    new CfnOutput(this, "RemindNowStateMachineArn", { value: this.remindNow.stateMachineArn });
    new CfnOutput(this, "OperatorAlarmTopicArn", { value: this.alarms.topic.topicArn });
    // SES sends from the domain only once these DKIM records are in its DNS (Easy DKIM).
    for (const [index, record] of identity.dkimRecords.entries())
      new CfnOutput(this, `MailDkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${index + 1} of 3 that verifies the mail domain in SES`,
      });
    if (inboundIdentity !== identity)
      for (const [index, record] of inboundIdentity.dkimRecords.entries())
        new CfnOutput(this, `InboundDkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `DNS record ${index + 1} of 3 that verifies the inbound (reply) domain in SES`,
        });
  }
}
