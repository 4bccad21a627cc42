import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { draftExecutionName, roundId } from "../domain/keys.ts";
import type { Plan } from "../domain/plan.ts";
import type { StartRoundInput } from "../domain/workflow-events.ts";
import { openTable, type Table } from "../functions/adapters/table/index.ts";
import type { FunctionName } from "../functions/catalog.ts";
import { type StartedRound, startRound } from "../functions/use-cases/start-round.ts";
import { type BrokenPlanFile, describeBrokenPlans, PROJECT_ROOT, readPlans } from "../infra/app.ts";
import { playCustomResources } from "./custom-resources.ts";
import { startCdnLocal } from "./engines/cdn.ts";
import { startCloudFormationLocal } from "./engines/cloudformation.ts";
import { type RunningEngine, startDynamoDbLocal } from "./engines/dynamodb.ts";
import { freePort } from "./engines/ports.ts";
import { startS3Local } from "./engines/s3.ts";
import { startSecretsManagerLocal } from "./engines/secrets-manager.ts";
import { startSesLocal } from "./engines/ses.ts";
import { startSmtpLocal } from "./engines/smtp.ts";
import { type EngineStatus, EngineSupervisor } from "./engines/supervisor.ts";
import {
  declaredDistribution,
  declaredReceiptRules,
  declaredRoutes,
  declaredSecrets,
  registerStateMachines,
} from "./from-template.ts";
import { invokeInProcess } from "./functions.ts";
import { type ExtraHandler, LocalHttpApi } from "./http-api.ts";
import { provisionResources } from "./provision.ts";
import { statusRoutes } from "./status-routes.ts";
import { serveStepFunctionsApi } from "./step-functions/api.ts";
import { type LocalExecution, LocalStepFunctions } from "./step-functions/runner.ts";
import { synthesize } from "./synth.ts";
import { LOCAL_REGION, TemplateResolver } from "./template.ts";
import { UsageError } from "./usage-error.ts";

/** Where `npm start` keeps its data and the file the CLI reads to find the running stack. */
export const DEFAULT_DATA_DIR = ".local";
export const STACK_FILE = "stack.json";
/** The local mailbox, kept under the data directory so sent mail survives a restart. */
export const MAILBOX_FILE = "mailbox.json";
/** What the local "deploy" remembers of the template's custom resources, as CloudFormation remembers a stack. */
export const DEPLOYED_FILE = "deployed.json";

/** Fixed ports for `npm start`, so links in mail keep working across restarts. Tests use free ports instead. */
export const DEFAULT_PORTS = {
  api: 3300,
  ses: 8005,
  sfn: 8083,
  dynamodb: 8000,
  s3: 4569,
  secretsManager: 8084,
  cloudFormation: 8085,
  site: 3301,
  smtp: 2525,
} as const;

export interface LocalStackOptions {
  /** Keep data here across restarts (DynamoDB files, S3 objects, the mailbox). @default in memory, nothing kept */
  dataDir?: string;
  /** Use this running DynamoDB Local instead of starting one (the tests share one engine). */
  dynamodbEndpoint?: string;
  /** Prefix of table and bucket names, so several stacks can share one engine. @default "" */
  prefix?: string;
  /** @default free ports */
  ports?: Partial<Record<keyof typeof DEFAULT_PORTS, number>>;
  /** The app's plans, deployed into the table by the template's custom resources. @default every valid file under `plansDirectory` */
  plans?: Plan[];
  /** Where the plan files are. @default plans/ */
  plansDirectory?: string;
  /** Start an execution for every round left open by a previous stop. @default true */
  resumeOpenRounds?: boolean;
  /** Where the stack says what happens to its engines. @default console.error */
  log?: (line: string) => void;
  /**
   * Called once the stack has stopped itself because an engine could not be kept running, with the reason in
   * Japanese and English. @default nothing more than the log
   */
  onFailure?: (message: string) => void;
}

/** The running local stack. */
export interface LocalStack {
  urls: {
    api: string;
    status: string;
    mailbox: string;
    dynamodb: string;
    s3: string;
    sfn: string;
    /** The deployed stacks' outputs, as CloudFormation's DescribeStacks gives them. */
    cloudFormation: string;
    /** The published site, as its CDN serves it. */
    site: string;
    /** The SMTP listener that plays the template's SES receipt rules (replies to the request mail). */
    smtp: string;
  };
  /** The domain of the reply addresses, as the template's receipt rule names it. */
  inboundDomain: string;
  tableName: string;
  collectionArn: string;
  reviewArn: string;
  /** The SendReminderNow workflow: the secretariat's reminder now (`pdca round remind`). */
  remindArn: string;
  bucketName: string;
  stepFunctions: LocalStepFunctions;
  table: Table;
  plans: Plan[];
  /** Plan files left out because they have errors (each wrong field named); the valid plans run without them. */
  brokenPlans: BrokenPlanFile[];
  resumed: string[];
  /** Each engine and where it stands (the status page shows them). */
  engines(): EngineStatus[];
  /** Starts (or resumes) a round as `pdca round start` does (local/rounds.ts). */
  startRound(input: StartRoundInput): Promise<StartedRound>;
  /** Starts the year-end review of a fiscal year, under a fresh execution name. */
  startReview(input: {
    planId: string;
    fiscalYear: number;
    proceedAnyway?: boolean;
    notes?: { findings: string[]; decisions: string[] };
    /** Each approval step lasts this many seconds instead of its days. */
    stepSeconds?: number;
  }): LocalExecution;
  stop(): Promise<void>;
}

/**
 * The plan files, checked. Locally a broken file is set aside, with its errors shown at start and on the status page,
 * so that the valid plans can still be tried while it is being fixed (a deploy refuses it: infra/app.ts loadPlans);
 * with no valid plan at all there is nothing to run, and the stack refuses to start with the errors.
 */
function readLocalPlans(directory: string): { plans: Plan[]; broken: BrokenPlanFile[] } {
  const { plans, broken } = readPlans(directory);
  const shown = broken.map((file) => {
    const path = relative(process.cwd(), join(directory, file.file));
    return { ...file, file: path.startsWith("..") ? join(directory, file.file) : path };
  });
  if (plans.length === 0 && shown.length > 0)
    throw new UsageError(
      `使える計画ファイルがないため、ローカル環境を起動できません / No plan file is valid, so the local stack cannot start\n${describeBrokenPlans(shown)}`,
    );
  return { plans, broken: shown };
}

/** Names every process.env variable the stack sets, so stop() can put them back. */
function setEnvironment(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Starts the embedded stack: DynamoDB Local, the SES emulator and s3rver; the CDK app synthesized in process;
 * the template's table and buckets created; its state machines on the local Step Functions runner with every
 * Task state calling the catalog's handler in process; its HTTP API routes; the reference plan loaded.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const ports = { ...options.ports };
  const log = options.log ?? ((line: string) => console.error(line));
  const { plans, broken: brokenPlans } = options.plans
    ? { plans: options.plans, broken: [] }
    : readLocalPlans(options.plansDirectory ?? join(PROJECT_ROOT, "plans"));
  const running: Array<Pick<RunningEngine, "stop">> = [];
  const stopAll = async () => {
    for (const engine of running.reverse()) await engine.stop().catch(() => {});
  };
  // Set once the stack exists: an engine that cannot be kept running stops the whole stack.
  let stopStack = async () => stopAll();
  try {
    // 1. Engines. DynamoDB Local is a child process that can die on its own; the supervisor restarts it.
    let dynamodbEndpoint = options.dynamodbEndpoint;
    let dynamodb: EngineSupervisor | undefined;
    if (!dynamodbEndpoint) {
      const dataDir = options.dataDir ? join(options.dataDir, "dynamodb") : undefined;
      // A restart reuses the first port, free or fixed, so the handlers' endpoint never changes.
      const port = ports.dynamodb ?? (await freePort());
      const supervisor = new EngineSupervisor({
        name: "DynamoDB Local",
        start: () => startDynamoDbLocal({ dataDir, port }),
        keepsData: dataDir !== undefined,
        log,
        giveUp: (message) =>
          void stopStack().then(() => {
            log(message);
            options.onFailure?.(message);
          }),
      });
      dynamodbEndpoint = await supervisor.start();
      dynamodb = supervisor;
      running.push(supervisor);
    }
    const ses = await startSesLocal({
      port: ports.ses,
      mailboxFile: options.dataDir ? join(options.dataDir, MAILBOX_FILE) : undefined,
    });
    running.push(ses);
    const s3Dir = options.dataDir
      ? join(options.dataDir, "s3")
      : join(process.env.TMPDIR ?? "/tmp", `pdca-s3-${process.pid}-${Date.now()}`);
    const s3 = await startS3Local({ directory: s3Dir, port: ports.s3 });
    running.push(s3);

    // 2. The app, synthesized in process, and its resources on the engines.
    const prefix = options.prefix ?? "";
    const resolver = new TemplateResolver(synthesize(plans), { prefix });
    // s3rver accepts only its own fixed key pair; the other local engines accept any, so all share it.
    const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    const dynamodbClient = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: LOCAL_REGION, credentials });
    const s3Client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials, forcePathStyle: true });
    const { tables, buckets } = await provisionResources({ resolver, prefix, dynamodb: dynamodbClient, s3: s3Client });
    const tableName = Object.values(tables)[0];
    const bucketName = Object.values(buckets)[0];
    if (!tableName || !bucketName) throw new Error("The template declares no table or no bucket");
    const secrets = await startSecretsManagerLocal({
      secrets: declaredSecrets(resolver, prefix),
      dataDir: options.dataDir ? join(options.dataDir, "secrets") : undefined,
      port: ports.secretsManager,
    });
    running.push(secrets);

    // 3. Step Functions and the HTTP API, listening before any handler loads so their URLs can be in its env.
    const functions = resolver.functionsByArn();
    const invokeArn = (arn: string, payload: unknown) => {
      const fn = functions.get(arn);
      if (!fn) throw new Error(`No catalog function at ${arn}`);
      return invokeInProcess(fn.catalogName as FunctionName, payload);
    };
    const stepFunctions = new LocalStepFunctions(invokeArn);
    const sfnApi = await serveStepFunctionsApi(stepFunctions, ports.sfn);
    const sfnEndpoint = sfnApi.endpoint;
    const routes = declaredRoutes(resolver, invokeArn);
    let statusHandler: ExtraHandler = async () => false;
    const api = new LocalHttpApi(routes, (request, response, body) => statusHandler(request, response, body));
    const apiUrl = await api.listen(ports.api);
    // The deployed stacks as CloudFormation would describe them, for tools that read a stack's outputs; the public
    // base URL is where the local API listens.
    // The published site's CDN, serving the site bucket as the template's distribution does.
    const distribution = declaredDistribution(resolver, buckets);
    const cdn = distribution ? await startCdnLocal({ distribution, s3: s3Client, port: ports.site }) : undefined;
    if (cdn) running.push(cdn);
    const siteUrl = cdn?.endpoint ?? "";
    const cloudFormation = await startCloudFormationLocal({
      stacks: resolver.outputs().map((stack) => ({
        ...stack,
        outputs: {
          ...stack.outputs,
          ...(stack.outputs.PublicBaseUrl ? { PublicBaseUrl: apiUrl } : {}),
          ...(stack.outputs.ConsoleUrl ? { ConsoleUrl: `${apiUrl}/console` } : {}),
          ...(stack.outputs.SiteUrl ? { SiteUrl: siteUrl } : {}),
        },
      })),
      port: ports.cloudFormation,
    });
    running.push(cloudFormation);

    // 4. The handlers' environment: the template's variables, resolved, with the local engines' endpoints.
    const environment: Record<string, string> = {};
    for (const fn of functions.values()) Object.assign(environment, fn.environment);
    const restoreEnvironment = setEnvironment({
      ...environment,
      PUBLIC_BASE_URL: apiUrl,
      ...(cdn ? { SITE_BASE_URL: siteUrl } : {}),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      // The one setting only the local stack makes: its SMTP listener checks neither SPF nor DKIM (functions/
      // adapters/env.ts uncheckedMailEnv), and a reply from a contact is still read, its receipt saying so.
      INBOUND_UNCHECKED_MAIL: "accept",
    });
    // Replies to the request mail: an SMTP listener that plays the template's receipt rules.
    const receiptRules = declaredReceiptRules(resolver);
    const smtp = await startSmtpLocal({ rules: receiptRules, s3: s3Client, invoke: invokeArn, port: ports.smtp, log });
    running.push(smtp);
    const inboundDomain = receiptRules[0]?.recipients[0] ?? "";

    // 5. State machines from the template's definitions.
    const { collection, review, remind } = registerStateMachines(resolver, stepFunctions);

    // 6. Plans into the table; rounds a stop cut off resumed.
    const table = openTable(
      DynamoDBDocumentClient.from(dynamodbClient, { marshallOptions: { removeUndefinedValues: true } }),
      tableName,
    );
    // What a deploy does once the resources exist: the template's custom resources, played as CloudFormation would
    // (the plan files into the table, through putPlan), remembered across restarts like a deployed stack.
    const deployed = await playCustomResources({
      resolver,
      prefix,
      invoke: invokeArn,
      stateFile: options.dataDir ? join(options.dataDir, DEPLOYED_FILE) : undefined,
    });
    if (options.dataDir && deployed.length)
      log(`デプロイ / deployed: ${deployed.map((call) => `${call.requestType} ${call.logicalId}`).join(", ")}`);
    // Rounds start through the stack's own Step Functions API, exactly as the CLI starts them.
    const sfn = new SFNClient({ endpoint: sfnEndpoint, region: LOCAL_REGION, credentials });
    const starter = { sfn, collectionArn: collection.arn, table };
    const startLocalRound: LocalStack["startRound"] = (input) => startRound(starter, input);
    const startReview: LocalStack["startReview"] = (input) =>
      stepFunctions.startExecution(review.arn, input, draftExecutionName(input.planId, input.fiscalYear, new Date()));
    const resumed: string[] = [];
    if (options.resumeOpenRounds ?? true)
      for (const plan of plans)
        for (let fiscalYear = plan.period.firstFiscalYear; fiscalYear <= plan.period.lastFiscalYear; fiscalYear++)
          for (const round of await table.rounds.listRounds(plan.id, fiscalYear))
            if (round.status === "open") {
              await startLocalRound({ planId: plan.id, fiscalYear, quarter: round.quarter });
              resumed.push(roundId(plan.id, fiscalYear, round.quarter));
            }

    // 7. The status page and its start button.
    // SES and S3 run inside this process and live and die with it; DynamoDB Local's state is its supervisor's.
    const engines = (): EngineStatus[] => [
      dynamodb?.status() ?? { name: "DynamoDB Local", state: "running", restarts: 0, events: [] },
      { name: "SES (aws-ses-v2-local)", state: "running", restarts: 0, events: [] },
      { name: "S3 (s3rver)", state: "running", restarts: 0, events: [] },
      { name: "SMTP (smtp-server, SES receipt rules)", state: "running", restarts: 0, events: [] },
    ];
    statusHandler = statusRoutes({
      plans,
      brokenPlans,
      table,
      stepFunctions,
      mailboxUrl: ses.endpoint,
      replies: { smtpUrl: smtp.endpoint, inboundDomain },
      siteUrl,
      engines,
      startRound: startLocalRound,
    });

    const urls = {
      api: apiUrl,
      status: `${apiUrl}/`,
      mailbox: ses.endpoint,
      dynamodb: dynamodbEndpoint,
      s3: s3.endpoint,
      sfn: sfnEndpoint,
      cloudFormation: cloudFormation.endpoint,
      site: siteUrl,
      smtp: smtp.endpoint,
    };
    let stopped: Promise<void> | undefined;
    // Once only, whoever asks first: Ctrl-C, a test, or an engine that could not be kept running.
    const stop = () =>
      (stopped ??= (async () => {
        // The CLI finds a running stack by this file; a stopped one must not be found.
        if (options.dataDir) rmSync(join(options.dataDir, STACK_FILE), { force: true });
        await api.close();
        stepFunctions.abortAll();
        await sfnApi.close();
        restoreEnvironment();
        sfn.destroy();
        dynamodbClient.destroy();
        s3Client.destroy();
        await stopAll();
      })());
    stopStack = stop;
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      writeFileSync(
        join(options.dataDir, STACK_FILE),
        `${JSON.stringify({ urls, tableName, bucketName, collectionArn: collection.arn, reviewArn: review.arn, remindArn: remind.arn, pid: process.pid }, null, 2)}\n`,
      );
    }
    return {
      urls,
      inboundDomain,
      tableName,
      bucketName,
      collectionArn: collection.arn,
      reviewArn: review.arn,
      remindArn: remind.arn,
      stepFunctions,
      table,
      plans,
      brokenPlans,
      resumed,
      startRound: startLocalRound,
      startReview,
      engines,
      stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
