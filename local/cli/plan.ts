import type { Command } from "commander";
import { fiscalYearLabel, formatJapaneseDate, QUARTERS, quarterLabel } from "../../domain/calendar.ts";
import type { Plan } from "../../domain/plan.ts";
import { type MomentKind, plannedRound, requestTimeOf, roundMoments } from "../../domain/round-schedule.ts";
import { expandTargets } from "../../domain/targets.ts";
import { readPlanFile } from "./common.ts";

const MOMENTS: Record<MomentKind, string> = {
  reminder: "督促",
  "overdue-notice": "期限超過のお知らせ",
  deadline: "回答期限",
  escalation: "上申",
  close: "締切",
};

/**
 * Each scheduled round's dates on business days, in era form: when the request goes out, each reminder, the
 * deadline, the overdue notice, the escalation and the close (dates moved off weekends and holidays as the plan says).
 */
export function roundCalendar(plan: Plan): string {
  const lines = ["  照会の日程（営業日・和暦） / each round's dates on business days:"];
  for (let fiscalYear = plan.targets.firstTargetYear; fiscalYear <= plan.period.lastFiscalYear; fiscalYear++)
    for (const quarter of QUARTERS) {
      const moments = roundMoments(plan, plannedRound(plan, fiscalYear, quarter)).map(
        (moment) =>
          `${MOMENTS[moment.kind]} ${formatJapaneseDate(moment.at, { withTime: moment.kind === "deadline" || moment.kind === "close" })}`,
      );
      lines.push(
        `    ${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)}：依頼 ${formatJapaneseDate(requestTimeOf(plan, fiscalYear, quarter))}・${moments.join("・")}`,
      );
    }
  return lines.join("\n");
}

/** `pdca plan validate FILE` and `pdca targets --plan FILE`: plan files, read without a running stack. */
export function addPlanCommands(program: Command): void {
  program
    .command("plan")
    .description("計画ファイル / plan files")
    .command("validate <file>")
    .description("計画ファイルを検証する / validate a plan file")
    .action((file: string) => {
      const checked = readPlanFile(file);
      if (!checked) return;
      const table = expandTargets(checked);
      console.log(
        `OK: ${checked.name}（${checked.id}）\n  計画期間 ${fiscalYearLabel(checked.period.firstFiscalYear)}〜${fiscalYearLabel(checked.period.lastFiscalYear)}、支援機関 ${checked.institutions.length}、事業分野 ${checked.fields.length}、市町村 ${checked.municipalities.length}、目標合計 ${table.total}件`,
      );
      console.log(roundCalendar(checked));
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
}
