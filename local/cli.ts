import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Command, InvalidArgumentError } from "commander";
import { parse as parseYaml } from "yaml";
import { fiscalYearLabel, formatJapaneseDate, quarterLabel } from "../domain/calendar.ts";
import { formatPercent } from "../domain/format.ts";
import { reviewExecutionName, roundId } from "../domain/keys.ts";
import { parsePlanText } from "../domain/plan-file.ts";
import { describeRequest } from "../domain/round.ts";
import { expandTargets } from "../domain/targets.ts";
import { check, type FieldError, type FieldLabels } from "../domain/validation.ts";
import { type SecretariatNotes, secretariatNotesSchema, startRoundInputSchema } from "../domain/workflow-events.ts";
import { reviewFromTable } from "../functions/adapters/review-source.ts";
import { openTable } from "../functions/adapters/table/index.ts";
import { simulateYear } from "./simulate.ts";
import { DEFAULT_DATA_DIR, DEFAULT_PORTS, LATE_MINUTES_WHEN_TRYING_OUT, STACK_FILE, startLocalStack } from "./stack.ts";
import { LOCAL_REGION } from "./template.ts";

const roundArgumentLabels: FieldLabels = {
  planId: { ja: "計画ID（--plan）", en: "--plan" },
  fiscalYear: { ja: "年度（--fiscal-year）", en: "--fiscal-year" },
  quarter: { ja: "四半期（--quarter、1〜4）", en: "--quarter (1-4)" },
  deadline: { ja: "回答期限（--deadline、例 2026-07-15T17:00:00+09:00）", en: "--deadline (ISO 8601 with offset)" },
  closesAt: { ja: "締切（--closes-at）", en: "--closes-at (ISO 8601 with offset)" },
};

/** Thrown for a mistake the user can fix; printed without a stack trace. */
class UsageError extends Error {}

function printFieldErrors(errors: readonly FieldError[]): void {
  for (const error of errors) console.error(`  ・${error.ja}\n    ${error.path ? `${error.path}: ` : ""}${error.en}`);
}

function readPlanFile(file: string) {
  if (!existsSync(file)) throw new UsageError(`ファイルがありません / No such file: ${file}`);
  const checked = parsePlanText(readFileSync(file, "utf8"));
  if (!checked.ok) {
    console.error(`計画ファイルに誤りがあります（${checked.errors.length}件） / The plan file has errors: ${file}`);
    printFieldErrors(checked.errors);
    process.exitCode = 1;
    return undefined;
  }
  return checked.value;
}

/** Reads the secretariat's notes for a draft; a wrong file prints each wrong field and yields nothing. */
function readNotesFile(file: string): SecretariatNotes | undefined {
  if (!existsSync(file)) throw new UsageError(`ファイルがありません / No such file: ${file}`);
  let content: unknown;
  try {
    content = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`YAMLとして読めません / Not YAML: ${file}: ${(error as Error).message}`);
  }
  const checked = check(secretariatNotesSchema, content, {
    findings: { ja: "事務局の所見（findings）", en: "findings" },
    "findings.*": { ja: "事務局の所見", en: "Finding" },
    decisions: { ja: "見直しの方針（decisions）", en: "decisions" },
    "decisions.*": { ja: "見直しの方針", en: "Decision" },
  });
  if (checked.ok) return checked.value;
  console.error(`所見ファイルに誤りがあります / The notes file has errors: ${file}`);
  printFieldErrors(checked.errors);
  process.exitCode = 1;
  return undefined;
}

/** The running local stack's endpoints, as `pdca start` wrote them. */
function runningStack(dataDir: string) {
  const file = join(dataDir, STACK_FILE);
  if (!existsSync(file))
    throw new UsageError(
      `ローカル環境が起動していません。別の端末で npm start を実行してください。\nThe local stack is not running: start it with npm start (no ${file}).`,
    );
  return JSON.parse(readFileSync(file, "utf8")) as {
    urls: { api: string; dynamodb: string; sfn: string; mailbox: string };
    tableName: string;
    collectionArn: string;
    reviewArn: string;
  };
}

const localCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The running stack's table through the same stores the handlers use; destroy the client when done. */
function localRepository(stack: ReturnType<typeof runningStack>) {
  const client = new DynamoDBClient({
    endpoint: stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: localCredentials,
  });
  return { client, table: openTable(DynamoDBDocumentClient.from(client), stack.tableName) };
}

function integer(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed))
      throw new InvalidArgumentError(`${name} は整数で指定してください / must be a whole number`);
    return parsed;
  };
}

/** The `pdca` command line: the local stack, plan files, targets and rounds. */
export function buildCli(): Command {
  const program = new Command("pdca").description("連携支援計画の照会・点検評価（PDCA review platform）");

  program
    .command("start")
    .description("ローカル環境を起動する / start the embedded local stack")
    .option("--data-dir <dir>", "data directory", DEFAULT_DATA_DIR)
    .action(async (options: { dataDir: string }) => {
      console.log("ローカル環境を起動しています… / starting the local stack…");
      const stack = await startLocalStack({ dataDir: options.dataDir, ports: DEFAULT_PORTS });
      const plan = stack.plans[0];
      console.log(`
  状況・照会の開始 / status page : ${stack.urls.status}
  メールボックス   / mailbox     : ${stack.urls.mailbox}
  回答フォーム     / forms       : ${stack.urls.api}/forms/<token>（メールのリンクから / from the links in the mail）

  照会を開始するには / to start a round, in a second terminal:
    npm run pdca -- round start --plan ${plan?.id ?? "<plan>"} --fiscal-year 2019 --quarter 1 --deadline-minutes 10
  または状況ページのボタンから / or with the button on the status page.
${stack.resumed.length ? `\n  再開した照会 / resumed rounds: ${stack.resumed.join(", ")}\n` : ""}
  Ctrl-C で停止します（データは ${options.dataDir}/ に残ります） / Ctrl-C stops; data stays in ${options.dataDir}/`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        console.log("\n停止しています… / stopping…");
        await stack.stop();
        process.exit(0);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });

  const plan = program.command("plan").description("計画ファイル / plan files");
  plan
    .command("validate <file>")
    .description("計画ファイルを検証する / validate a plan file")
    .action((file: string) => {
      const checked = readPlanFile(file);
      if (!checked) return;
      const table = expandTargets(checked);
      console.log(
        `OK: ${checked.name}（${checked.id}）\n  計画期間 ${fiscalYearLabel(checked.period.firstFiscalYear)}〜${fiscalYearLabel(checked.period.lastFiscalYear)}、支援機関 ${checked.institutions.length}、事業分野 ${checked.fields.length}、市町村 ${checked.municipalities.length}、目標合計 ${table.total}件`,
      );
    });

  program
    .command("targets")
    .description("目標件数の年度別表 / the per-year target table")
    .requiredOption("--plan <file>", "plan file")
    .option("--json", "JSON output")
    .action((options: { plan: string; json?: boolean }) => {
      const checked = readPlanFile(options.plan);
      if (!checked) return;
      const table = expandTargets(checked);
      if (options.json) {
        console.log(JSON.stringify(table, null, 2));
        return;
      }
      console.log(`${checked.name} 目標件数（新規・継続）`);
      for (const year of table.years) {
        const label = [...year.includesFiscalYears, year.fiscalYear].map((fy) => `${fy}年度`).join("・");
        console.log(
          `  ${label.padEnd(18)} ${String(year.total).padStart(4)}件（新規 ${year.newCases}、継続 ${year.continuingCases}）`,
        );
      }
      console.log(`  ${"合計".padEnd(18)} ${String(table.total).padStart(4)}件`);
    });

  const round = program.command("round").description("照会 / collection rounds (needs npm start running)");
  round
    .command("start")
    .description("照会を開始する（開始済みの照会は再開） / start or resume a round")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .requiredOption("--quarter <q>", "quarter 1-4", integer("--quarter"))
    .option("--deadline <iso>", "deadline, ISO 8601 with offset (default: the plan's calendar)")
    .option(
      "--deadline-minutes <n>",
      `deadline this many minutes from now, closing ${LATE_MINUTES_WHEN_TRYING_OUT} minutes later (for trying things out)`,
      integer("--deadline-minutes"),
    )
    .option("--closes-at <iso>", "when late answers stop and the round closes (default: the plan's late window)")
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(
      async (options: {
        plan: string;
        fiscalYear: number;
        quarter: number;
        deadline?: string;
        deadlineMinutes?: number;
        closesAt?: string;
        dataDir: string;
      }) => {
        const minutes = options.deadlineMinutes;
        const inMinutes = (offset: number) => new Date(Date.now() + offset * 60_000).toISOString();
        const input = check(
          startRoundInputSchema,
          {
            planId: options.plan,
            fiscalYear: options.fiscalYear,
            quarter: options.quarter,
            deadline: minutes !== undefined ? inMinutes(minutes) : options.deadline,
            closesAt: minutes !== undefined ? inMinutes(minutes + LATE_MINUTES_WHEN_TRYING_OUT) : options.closesAt,
          },
          roundArgumentLabels,
        );
        if (!input.ok) {
          console.error("指定に誤りがあります / Invalid arguments:");
          printFieldErrors(input.errors);
          process.exitCode = 1;
          return;
        }
        const stack = runningStack(options.dataDir);
        const sfn = new SFNClient({ endpoint: stack.urls.sfn, region: LOCAL_REGION, credentials: localCredentials });
        let name = roundId(input.value.planId, input.value.fiscalYear, input.value.quarter);
        const executionArn = `${stack.collectionArn.replace(":stateMachine:", ":execution:")}:${name}`;
        // An execution name is never reused: the round's own name if it is free, else (the round ran before and
        // stopped, a resume) a suffixed one; a running round is not started twice.
        const previous = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch((error: Error) => {
          if (error.name === "ExecutionDoesNotExist") return undefined;
          throw error;
        });
        if (previous?.status === "RUNNING")
          throw new UsageError(`この照会はすでに実行中です / This round is already running: ${name}`);
        if (previous) name = `${name}-${Date.now()}`;
        await sfn.send(
          new StartExecutionCommand({ stateMachineArn: stack.collectionArn, name, input: JSON.stringify(input.value) }),
        );
        console.log(
          `${fiscalYearLabel(input.value.fiscalYear)} ${quarterLabel(input.value.quarter as 1)}の照会を開始しました（${name}）。\nメール: ${stack.urls.mailbox}\n状況: npm run pdca -- round status --plan ${input.value.planId} --fiscal-year ${input.value.fiscalYear} --quarter ${input.value.quarter}`,
        );
      },
    );
  round
    .command("status")
    .description("照会の状況 / a round's status")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .requiredOption("--quarter <q>", "quarter 1-4", integer("--quarter"))
    .option("--json", "JSON output")
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(async (options: { plan: string; fiscalYear: number; quarter: number; json?: boolean; dataDir: string }) => {
      const stack = runningStack(options.dataDir);
      const { client, table } = localRepository(stack);
      const quarter = options.quarter as 1 | 2 | 3 | 4;
      const [planValue, roundValue, requests] = await Promise.all([
        table.plans.getPlan(options.plan),
        table.rounds.findRound(options.plan, options.fiscalYear, quarter),
        table.requests.listRequests(options.plan, options.fiscalYear, quarter),
      ]);
      if (!roundValue)
        throw new UsageError(
          `まだ開始されていない照会です / No such round: ${roundId(options.plan, options.fiscalYear, quarter)}`,
        );
      if (options.json) {
        console.log(
          JSON.stringify(
            { round: roundValue, requests: requests.map(({ taskToken: _t, linkHash: _h, ...rest }) => rest) },
            null,
            2,
          ),
        );
        return;
      }
      console.log(
        `${fiscalYearLabel(options.fiscalYear)} ${quarterLabel(quarter)}：${roundValue.status === "open" ? "受付中" : "締切"}（回答期限 ${formatJapaneseDate(new Date(roundValue.deadline), { withTime: true })}）`,
      );
      const byInstitution = new Map(requests.map((request) => [request.institutionId, request]));
      for (const institution of planValue.institutions) {
        const request = byInstitution.get(institution.id);
        console.log(
          `  ${institution.shortName.padEnd(14, "　")} ${describeRequest(request)}${request?.latestVersion ? ` v${request.latestVersion}` : ""}`,
        );
      }
      if (roundValue.completeness)
        console.log(
          `  回答率 ${formatPercent(roundValue.completeness.answeredRate)}（期限内 ${formatPercent(roundValue.completeness.onTimeRate)}）`,
        );
      client.destroy();
    });
  program
    .command("review")
    .description("点検評価の主な数値（保存はしない） / the year's review, computed from the running stack's table")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--json", "the whole review as JSON")
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(async (options: { plan: string; fiscalYear: number; json?: boolean; dataDir: string }) => {
      const stack = runningStack(options.dataDir);
      const { client, table } = localRepository(stack);
      try {
        const planValue = await table.plans.getPlan(options.plan);
        const { review, itemsRead } = await reviewFromTable(table, planValue, options.fiscalYear, new Date());
        if (options.json) {
          console.log(JSON.stringify(review, null, 2));
          return;
        }
        console.log(`${review.planName} ${review.fiscalYearLabel} 点検評価（${itemsRead}件を読み込み）`);
        for (const year of review.supportedCases)
          console.log(
            `  ${year.fiscalYear}年度 支援件数 ${year.total.actual}/${year.total.target ?? "—"}件（新規 ${year.newCases.actual}/${year.newCases.target ?? "—"}、継続 ${year.continuingCases.actual}/${year.continuingCases.target ?? "—"}）達成率 ${year.total.rate === null ? "—" : formatPercent(year.total.rate)}`,
          );
        const toDate = review.planToDate;
        console.log(
          `  累計 ${toDate.actual}件（計画全体 ${toDate.againstPlanTotal.target}件）見込み ${Math.round(toDate.projection.projectedTotal ?? 0)}件`,
        );
        const completeness = review.completeness;
        console.log(
          `  報告 ${completeness.answered}/${completeness.expected}（期限内 ${completeness.onTime}、期限後 ${completeness.late}、未報告 ${completeness.missing}）`,
        );
        for (const indicator of review.indicators) console.log(`  ${indicator.name}：${indicator.display}`);
        console.log("  所見：");
        for (const finding of review.findings) console.log(`   ・${finding.text}`);
      } finally {
        client.destroy();
      }
    });

  program
    .command("draft")
    .description("点検評価を行い報告書（案）を作る / run the YearEndReview workflow (draft report)")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--proceed-anyway", "review even if some rounds are not closed")
    .option("--notes <file>", "YAML with findings: and decisions: lists, added to the draft (事務局の所見・見直し)")
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(
      async (options: {
        plan: string;
        fiscalYear: number;
        proceedAnyway?: boolean;
        notes?: string;
        dataDir: string;
      }) => {
        const notes = options.notes ? readNotesFile(options.notes) : { findings: [], decisions: [] };
        if (!notes) return;
        const stack = runningStack(options.dataDir);
        const sfn = new SFNClient({ endpoint: stack.urls.sfn, region: LOCAL_REGION, credentials: localCredentials });
        const input = {
          planId: options.plan,
          fiscalYear: options.fiscalYear,
          proceedAnyway: options.proceedAnyway ?? false,
          notes,
        };
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: stack.reviewArn,
            name: `${reviewExecutionName(options.plan, options.fiscalYear)}-${Date.now()}`,
            input: JSON.stringify(input),
          }),
        );
        console.log(
          `${fiscalYearLabel(options.fiscalYear)}の点検評価を開始しました。報告書（案）のリンクは事務局あてのメールで届きます: ${stack.urls.mailbox}`,
        );
      },
    );

  program
    .command("simulate")
    .description("1年分の照会（回答を自動生成）と点検評価を実行する / simulate a fiscal year and its review")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--round-seconds <n>", "seconds from each round's start to its deadline", integer("--round-seconds"), 5)
    .option("--late-seconds <n>", "seconds late answers are taken after the deadline", integer("--late-seconds"), 3)
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(
      async (options: {
        plan: string;
        fiscalYear: number;
        roundSeconds: number;
        lateSeconds: number;
        dataDir: string;
      }) => {
        const stack = runningStack(options.dataDir);
        const { client, table } = localRepository(stack);
        try {
          const planValue = await table.plans.getPlan(options.plan);
          if (
            options.fiscalYear < planValue.targets.firstTargetYear ||
            options.fiscalYear > planValue.period.lastFiscalYear
          )
            throw new UsageError(
              `年度は${planValue.targets.firstTargetYear}〜${planValue.period.lastFiscalYear}の間で指定してください / --fiscal-year must be within the plan's target years`,
            );
          const existing = await table.rounds.listRounds(planValue.id, options.fiscalYear);
          if (existing.length > 0)
            throw new UsageError(
              `${fiscalYearLabel(options.fiscalYear)}にはすでに照会があります。別の年度を指定するか、.local/ を削除して npm start し直してください。\nThis fiscal year already has rounds; choose another year or start from an empty .local/.`,
            );
          console.log(`${fiscalYearLabel(options.fiscalYear)}の照会4回と点検評価を実行します…`);
          const sfn = new SFNClient({ endpoint: stack.urls.sfn, region: LOCAL_REGION, credentials: localCredentials });
          const result = await simulateYear(
            { sfn, collectionArn: stack.collectionArn, reviewArn: stack.reviewArn, mailboxUrl: stack.urls.mailbox },
            planValue,
            options.fiscalYear,
            { roundSeconds: options.roundSeconds, lateSeconds: options.lateSeconds, log: (line) => console.log(line) },
          );
          console.log(
            result.draftUrl ? `報告書（案）/ draft report: ${result.draftUrl}` : "報告書（案）のリンクが見つかりません",
          );
        } finally {
          client.destroy();
        }
      },
    );
  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof UsageError) console.error(error.message);
    else if (String((error as NodeJS.ErrnoException).code ?? error).includes("ECONNREFUSED"))
      console.error(
        "ローカル環境に接続できません。npm start が動いているか確認してください。\nCannot reach the local stack: is npm start running?",
      );
    else console.error(error);
    process.exitCode = 1;
  });
