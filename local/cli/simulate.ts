import type { Command } from "commander";
import { fiscalYearLabel, quarterLabel } from "../../domain/calendar.ts";
import type { Plan } from "../../domain/plan.ts";
import type { Table } from "../../functions/adapters/table/index.ts";
import { simulateYear } from "../simulate.ts";
import { DEFAULT_DATA_DIR } from "../stack.ts";
import { UsageError } from "../usage-error.ts";
import { integer, localClients, runningStack } from "./common.ts";

/**
 * Why a year cannot be simulated, in words that say what to do instead, or undefined when it can: a simulation
 * writes all four rounds of a year, so the year must be a target year of the plan and have no round yet.
 */
export async function simulationRefusal(
  table: Table,
  plan: Plan,
  fiscalYear: number,
  dataDir = DEFAULT_DATA_DIR,
): Promise<string | undefined> {
  const first = plan.targets.firstTargetYear;
  const last = plan.period.lastFiscalYear;
  if (fiscalYear < first || fiscalYear > last)
    return `年度は${first}〜${last}の間で指定してください。
--fiscal-year must be one of the plan's target years, ${first} to ${last}.`;
  const rounds = await table.rounds.listRounds(plan.id, fiscalYear);
  if (rounds.length === 0) return undefined;
  const free: number[] = [];
  for (let year = first; year <= last; year++)
    if ((await table.rounds.listRounds(plan.id, year)).length === 0) free.push(year);
  const existing = rounds
    .map((round) => `${quarterLabel(round.quarter)}：${round.status === "open" ? "受付中" : "締切"}`)
    .join("、");
  const existingEn = rounds.map((round) => `Q${round.quarter} ${round.status}`).join(", ");
  return [
    `${fiscalYearLabel(fiscalYear)}にはすでに照会があります（${existing}）。シミュレーションは1年分の照会4回をすべて作るため、照会のない年度で行います。`,
    free.length
      ? `照会のない年度：${free.map((year) => `${year}年度`).join("、")}。古い年度から順に行うと、点検評価に前年度までの案件が反映されます。`
      : "照会のない年度は残っていません。",
    `最初からやり直すには、npm start を止めて ${dataDir}/ を削除し、起動し直してください。`,
    `FY${fiscalYear} already has rounds (${existingEn}); a simulation writes all four rounds of a year, so it runs only on a year without rounds. Years without rounds: ${free.length ? free.join(", ") : "none is left"}. To start over, stop npm start, delete ${dataDir}/ and start again.`,
  ].join("\n");
}

async function simulate(options: {
  plan: string;
  fiscalYear: number;
  roundSeconds: number;
  lateSeconds: number;
  dataDir: string;
}) {
  const stack = runningStack(options.dataDir);
  const clients = localClients(stack);
  try {
    const plan = await clients.table.plans.getPlan(options.plan);
    const refusal = await simulationRefusal(clients.table, plan, options.fiscalYear, options.dataDir);
    if (refusal) throw new UsageError(refusal);
    console.log(`${fiscalYearLabel(options.fiscalYear)}の照会4回と点検評価を実行します…`);
    const result = await simulateYear(
      {
        sfn: clients.sfn,
        collectionArn: stack.collectionArn,
        reviewArn: stack.reviewArn,
        mailboxUrl: stack.urls.mailbox,
      },
      plan,
      options.fiscalYear,
      { roundSeconds: options.roundSeconds, lateSeconds: options.lateSeconds, log: (line) => console.log(line) },
    );
    console.log(
      result.draftUrl ? `報告書（案）/ draft report: ${result.draftUrl}` : "報告書（案）のリンクが見つかりません",
    );
  } finally {
    clients.close();
  }
}

/** `pdca simulate`: a year of rounds with generated answers and its review, on the running stack. */
export function addSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("1年分の照会（回答を自動生成）と点検評価を実行する / simulate a fiscal year and its review")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--round-seconds <n>", "seconds from each round's start to its deadline", integer("--round-seconds"), 5)
    .option("--late-seconds <n>", "seconds late answers are taken after the deadline", integer("--late-seconds"), 3)
    .option("--data-dir <dir>", "data directory of the running stack", DEFAULT_DATA_DIR)
    .action(simulate);
}
