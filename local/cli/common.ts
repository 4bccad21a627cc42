import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type Command, InvalidArgumentError } from "commander";
import type { Plan } from "../../domain/plan.ts";
import { parsePlanText } from "../../domain/plan-file.ts";
import type { FieldError } from "../../domain/validation.ts";
import { openTable, type Table } from "../../functions/adapters/table/index.ts";
import { DEFAULT_DATA_DIR, STACK_FILE } from "../stack.ts";
import { LOCAL_REGION } from "../template.ts";
import { UsageError } from "../usage-error.ts";

/** Prints each wrong field: the Japanese message, then the field's path and the English one. */
export function printFieldErrors(errors: readonly FieldError[]): void {
  for (const error of errors) console.error(`  ・${error.ja}\n    ${error.path ? `${error.path}: ` : ""}${error.en}`);
}

/** A checked plan file; a wrong one prints each wrong field, sets the exit code and yields nothing. */
export function readPlanFile(file: string): Plan | undefined {
  if (!existsSync(file)) throw new UsageError(`ファイルがありません / No such file: ${file}`);
  const checked = parsePlanText(readFileSync(file, "utf8"));
  if (checked.ok) return checked.value;
  console.error(`計画ファイルに誤りがあります（${checked.errors.length}件） / The plan file has errors: ${file}`);
  printFieldErrors(checked.errors);
  process.exitCode = 1;
  return undefined;
}

/** The running local stack as `pdca start` described it in its data directory. */
export interface RunningStack {
  urls: { api: string; status: string; dynamodb: string; sfn: string; mailbox: string };
  tableName: string;
  collectionArn: string;
  reviewArn: string;
  remindArn: string;
}

/** The running local stack's endpoints; a plain refusal when npm start is not running. */
export function runningStack(dataDir: string): RunningStack {
  const file = join(dataDir, STACK_FILE);
  if (!existsSync(file))
    throw new UsageError(
      `ローカル環境が起動していません。別の端末で npm start を実行してください。\nThe local stack is not running: start it with npm start (no ${file}).`,
    );
  return JSON.parse(readFileSync(file, "utf8")) as RunningStack;
}

/** s3rver accepts only its own fixed key pair; the other local engines accept any, so every client uses it. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The running stack's table (through the handlers' own table) and Step Functions; close() when done. */
export function localClients(stack: RunningStack) {
  const dynamodb = new DynamoDBClient({
    endpoint: stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const sfn = new SFNClient({ endpoint: stack.urls.sfn, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    table: openTable(DynamoDBDocumentClient.from(dynamodb), stack.tableName),
    sfn,
    close() {
      dynamodb.destroy();
      sfn.destroy();
    },
  };
}

/** A commander parser for a whole-number option, refusing anything else in both languages. */
export function integer(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed))
      throw new InvalidArgumentError(`${name} は整数で指定してください / must be a whole number`);
    return parsed;
  };
}

/** Where a command acts: the running local stack (the default), or a deployed one found by its stacks' outputs. */
export interface TargetOptions {
  target: string;
  dataDir: string;
  region?: string;
  stack: string;
  dataStack: string;
}

/** The options that choose a command's target, added to each command that reads or starts something. */
export function addTargetOptions(command: Command): Command {
  return command
    .option("--target <local|aws>", "the running local stack, or a deployed stack on AWS", "local")
    .option("--region <region>", "with --target aws: the stack's region (default: AWS_REGION)")
    .option("--stack <name>", "with --target aws: the service stack's name", "PdcaService")
    .option("--data-stack <name>", "with --target aws: the data stack's name", "PdcaData")
    .option("--data-dir <dir>", "data directory of the running local stack", DEFAULT_DATA_DIR);
}

/** What a command needs of its target: the table, the workflows, and where the mail it causes can be read. */
export interface TargetClients {
  table: Table;
  sfn: SFNClient;
  collectionArn: string;
  reviewArn: string;
  remindArn: string;
  /** Where sent mail can be read: the local mailbox, or the people's own mailboxes on AWS. */
  mail: string;
  close(): void;
}

async function outputsOf(cloudFormation: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  } catch (error) {
    if ((error as Error).name === "ValidationError")
      throw new UsageError(
        `スタック ${stackName} が見つかりません / No stack named ${stackName}: ${(error as Error).message}`,
      );
    throw error;
  }
}

/**
 * The clients of a command's target. On AWS the stacks' outputs (CloudFormation's DescribeStacks) name the table and
 * the workflows, and the SDK's own credentials and endpoint settings apply, as for any AWS tool.
 */
export async function targetClients(options: TargetOptions): Promise<TargetClients> {
  if (options.target === "local") {
    const stack = runningStack(options.dataDir);
    return {
      ...localClients(stack),
      collectionArn: stack.collectionArn,
      reviewArn: stack.reviewArn,
      remindArn: stack.remindArn,
      mail: stack.urls.mailbox,
    };
  }
  if (options.target !== "aws")
    throw new UsageError(`--target は local か aws です / --target must be local or aws, not ${options.target}`);
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError("--region を指定してください / give --region (or set AWS_REGION)");
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const [service, data] = await Promise.all([
      outputsOf(cloudFormation, options.stack),
      outputsOf(cloudFormation, options.dataStack),
    ]);
    const missing = [
      ["CollectionStateMachineArn", service],
      ["ReviewStateMachineArn", service],
      ["RemindNowStateMachineArn", service],
      ["TableName", data],
    ].filter(([key, outputs]) => !(outputs as Record<string, string>)[key as string]);
    if (missing.length)
      throw new UsageError(
        `スタックの出力がありません / The stacks lack outputs: ${missing.map(([key]) => key).join(", ")}`,
      );
    const dynamodb = new DynamoDBClient({ region });
    const sfn = new SFNClient({ region });
    return {
      table: openTable(
        DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
        data.TableName as string,
      ),
      sfn,
      collectionArn: service.CollectionStateMachineArn as string,
      reviewArn: service.ReviewStateMachineArn as string,
      remindArn: service.RemindNowStateMachineArn as string,
      mail: "各担当者のメールボックス / the people's own mailboxes",
      close() {
        dynamodb.destroy();
        sfn.destroy();
      },
    };
  } finally {
    cloudFormation.destroy();
  }
}
