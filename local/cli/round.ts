import type { Command } from "commander";
import { fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../../domain/calendar.ts";
import { CHASE_LABELS } from "../../domain/chase.ts";
import { formatPercent } from "../../domain/format.ts";
import { roundId } from "../../domain/keys.ts";
import { describeRequest } from "../../domain/round.ts";
import type { FieldLabels } from "../../domain/validation.ts";
import type { ReminderRecord } from "../../functions/adapters/table/reminders.ts";
import { startedMessage, startRound } from "../../functions/use-cases/start-round.ts";
import { roundInput } from "../rounds.ts";
import { UsageError } from "../usage-error.ts";
import { addTargetOptions, integer, printFieldErrors, type TargetOptions, targetClients } from "./common.ts";
import { remindNow } from "./remind.ts";

/** Who was chased and when, in one line: 「督促 令和2年1月9日（木）9時00分、上申 …」. */
export function chaseSummary(reminders: readonly ReminderRecord[]): string {
  return reminders
    .filter((reminder) => reminder.sentAt)
    .sort((a, b) => (a.sentAt ?? "").localeCompare(b.sentAt ?? ""))
    .map(
      (reminder) =>
        `${CHASE_LABELS[reminder.kind].ja} ${formatJapaneseDate(new Date(reminder.sentAt ?? ""), { withTime: true })}`,
    )
    .join("、");
}

const roundArgumentLabels: FieldLabels = {
  planId: { ja: "計画ID（--plan）", en: "--plan" },
  fiscalYear: { ja: "年度（--fiscal-year）", en: "--fiscal-year" },
  quarter: { ja: "四半期（--quarter、1〜4）", en: "--quarter (1-4)" },
  deadline: { ja: "回答期限（--deadline、例 2026-07-15T17:00:00+09:00）", en: "--deadline (ISO 8601 with offset)" },
  closesAt: { ja: "締切（--closes-at）", en: "--closes-at (ISO 8601 with offset)" },
};

interface RoundStartOptions {
  plan: string;
  fiscalYear: number;
  quarter: number;
  deadline?: string;
  deadlineMinutes?: number;
  closesAt?: string;
}

async function roundStart(options: RoundStartOptions & TargetOptions): Promise<void> {
  const input = roundInput(
    {
      planId: options.plan,
      fiscalYear: options.fiscalYear,
      quarter: options.quarter,
      deadline: options.deadline,
      deadlineMinutes: options.deadlineMinutes,
      closesAt: options.closesAt,
    },
    roundArgumentLabels,
  );
  if (!input.ok) {
    console.error("指定に誤りがあります / Invalid arguments:");
    printFieldErrors(input.errors);
    process.exitCode = 1;
    return;
  }
  const clients = await targetClients(options);
  try {
    const started = await startRound(clients, input.value);
    const { planId, fiscalYear, quarter } = input.value;
    const target = options.target === "aws" ? ` --target aws --region ${options.region ?? process.env.AWS_REGION}` : "";
    console.log(
      `${startedMessage(input.value, started)}\nメール / mailbox: ${clients.mail}\n状況 / status: npm run pdca -- round status --plan ${planId} --fiscal-year ${fiscalYear} --quarter ${quarter}${target}`,
    );
  } finally {
    clients.close();
  }
}

async function roundStatus(
  options: { plan: string; fiscalYear: number; quarter: number; json?: boolean } & TargetOptions,
): Promise<void> {
  const clients = await targetClients(options);
  const quarter = options.quarter as Quarter;
  try {
    const [plan, round, requests, reminders] = await Promise.all([
      clients.table.plans.getPlan(options.plan),
      clients.table.rounds.findRound(options.plan, options.fiscalYear, quarter),
      clients.table.requests.listRequests(options.plan, options.fiscalYear, quarter),
      clients.table.reminders.listReminders(options.plan, options.fiscalYear, quarter),
    ]);
    if (!round)
      throw new UsageError(
        `まだ開始されていない照会です / No such round: ${roundId(options.plan, options.fiscalYear, quarter)}`,
      );
    if (options.json) {
      console.log(
        JSON.stringify({ round, requests: requests.map(({ linkHash: _h, ...rest }) => rest), reminders }, null, 2),
      );
      return;
    }
    console.log(
      `${fiscalYearLabel(options.fiscalYear)} ${quarterLabel(quarter)}：${round.status === "open" ? "受付中" : "締切"}（回答期限 ${formatJapaneseDate(new Date(round.deadline), { withTime: true })}）`,
    );
    const byInstitution = new Map(requests.map((request) => [request.institutionId, request]));
    for (const institution of plan.institutions) {
      const request = byInstitution.get(institution.id);
      const chased = chaseSummary(reminders.filter((reminder) => reminder.institutionId === institution.id));
      console.log(
        `  ${institution.shortName.padEnd(14, "　")} ${describeRequest(request)}${request?.latestVersion ? ` v${request.latestVersion}` : ""}${chased ? `　${chased}` : ""}`,
      );
    }
    if (round.completeness)
      console.log(
        `  回答率 ${formatPercent(round.completeness.answeredRate)}（期限内 ${formatPercent(round.completeness.onTimeRate)}）`,
      );
  } finally {
    clients.close();
  }
}

/** `pdca round start|status`: a round on the running stack, started the same way as the status page's button. */
export function addRoundCommands(program: Command): void {
  const round = program
    .command("round")
    .description("照会 / collection rounds (on the running local stack, or a deployed one with --target aws)");
  const start = round
    .command("start")
    .description("照会を開始する（開始済みの照会は再開） / start or resume a round")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .requiredOption("--quarter <q>", "quarter 1-4", integer("--quarter"))
    .option("--deadline <iso>", "deadline, ISO 8601 with offset (default: the plan's calendar)")
    .option(
      "--deadline-minutes <n>",
      "run the round's own calendar (reminders, deadline, escalation, close on business days) with its deadline this many minutes from now, for trying things out",
      integer("--deadline-minutes"),
    )
    .option("--closes-at <iso>", "when late answers stop and the round closes (default: the plan's late window)");
  addTargetOptions(start).action(roundStart);
  const status = round
    .command("status")
    .description("照会の状況 / a round's status")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .requiredOption("--quarter <q>", "quarter 1-4", integer("--quarter"))
    .option("--json", "JSON output");
  addTargetOptions(status).action(roundStatus);
  const remind = round
    .command("remind")
    .description("督促を今すぐ送る（1機関、または未回答のすべての機関。各機関1時間に1回まで） / send a reminder now")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .requiredOption("--quarter <q>", "quarter 1-4", integer("--quarter"))
    .option("--institution <id>", "one institution (default: every institution that has not answered)");
  addTargetOptions(remind).action(remindNow);
}
