import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { InvalidArgumentError } from "commander";
import type { Plan } from "../../domain/plan.ts";
import { parsePlanText } from "../../domain/plan-file.ts";
import type { FieldError } from "../../domain/validation.ts";
import { openTable } from "../../functions/adapters/table/index.ts";
import { STACK_FILE } from "../stack.ts";
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
