import { existsSync, readFileSync } from "node:fs";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { fiscalYearLabel } from "../../domain/calendar.ts";
import { formatPercent } from "../../domain/format.ts";
import { draftExecutionName } from "../../domain/keys.ts";
import { check } from "../../domain/validation.ts";
import { type SecretariatNotes, secretariatNotesSchema } from "../../domain/workflow-events.ts";
import { reviewFromTable } from "../../functions/adapters/review-source.ts";
import { UsageError } from "../usage-error.ts";
import { addTargetOptions, integer, printFieldErrors, type TargetOptions, targetClients } from "./common.ts";

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

async function review(options: { plan: string; fiscalYear: number; json?: boolean } & TargetOptions) {
  const clients = await targetClients(options);
  try {
    const plan = await clients.table.plans.getPlan(options.plan);
    const { review, itemsRead } = await reviewFromTable(clients.table, plan, options.fiscalYear, new Date());
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
    clients.close();
  }
}

async function draft(
  options: {
    plan: string;
    fiscalYear: number;
    proceedAnyway?: boolean;
    notes?: string;
    approvalMinutes?: number;
  } & TargetOptions,
) {
  const notes = options.notes ? readNotesFile(options.notes) : { findings: [], decisions: [] };
  if (!notes) return;
  const clients = await targetClients(options);
  try {
    const input = {
      planId: options.plan,
      fiscalYear: options.fiscalYear,
      proceedAnyway: options.proceedAnyway ?? false,
      notes,
      ...(options.approvalMinutes ? { stepSeconds: options.approvalMinutes * 60 } : {}),
    };
    await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: clients.reviewArn,
        name: draftExecutionName(options.plan, options.fiscalYear, new Date()),
        input: JSON.stringify(input),
      }),
    );
    console.log(
      `${fiscalYearLabel(options.fiscalYear)}の点検評価を開始しました。報告書（案）のリンクは事務局あてのメールで届き、計画に承認者がいれば承認の依頼が続きます: ${clients.mail}`,
    );
  } finally {
    clients.close();
  }
}

/** `pdca review` (the year's figures, nothing stored) and `pdca draft` (the YearEndReview workflow). */
export function addReviewCommands(program: Command): void {
  const reviewCommand = program
    .command("review")
    .description("点検評価の主な数値（保存はしない） / the year's review, computed from the stack's table")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--json", "the whole review as JSON");
  addTargetOptions(reviewCommand).action(review);

  const draftCommand = program
    .command("draft")
    .description("点検評価を行い報告書（案）を作る / run the YearEndReview workflow (draft report)")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--fiscal-year <year>", "fiscal year", integer("--fiscal-year"))
    .option("--proceed-anyway", "review even if some rounds are not closed")
    .option("--notes <file>", "YAML with findings: and decisions: lists, added to the draft (事務局の所見・見直し)")
    .option(
      "--approval-minutes <n>",
      "each approval step lasts this many minutes instead of the plan's days (for trying the circulation out)",
      integer("--approval-minutes"),
    );
  addTargetOptions(draftCommand).action(draft);
}
