import type { Command } from "commander";
import { fiscalYearLabel } from "../../domain/calendar.ts";
import { simulateYear } from "../simulate.ts";
import { DEFAULT_DATA_DIR } from "../stack.ts";
import { UsageError } from "../usage-error.ts";
import { integer, localClients, runningStack } from "./common.ts";

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
    const plan = await clients.repository.getPlan(options.plan);
    if (options.fiscalYear < plan.targets.firstTargetYear || options.fiscalYear > plan.period.lastFiscalYear)
      throw new UsageError(
        `年度は${plan.targets.firstTargetYear}〜${plan.period.lastFiscalYear}の間で指定してください / --fiscal-year must be within the plan's target years`,
      );
    const existing = await clients.repository.listRounds(plan.id, options.fiscalYear);
    if (existing.length > 0)
      throw new UsageError(
        `${fiscalYearLabel(options.fiscalYear)}にはすでに照会があります。別の年度を指定するか、.local/ を削除して npm start し直してください。\nThis fiscal year already has rounds; choose another year or start from an empty .local/.`,
      );
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
