import { userInfo } from "node:os";
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { fiscalYearLabel, type Quarter, quarterLabel } from "../../domain/calendar.ts";
import { roundId } from "../../domain/keys.ts";
import type { RemindNowInput } from "../../domain/workflow-events.ts";
import type { ManualReminderOutcome } from "../../functions/use-cases/chase-answers.ts";
import { UsageError } from "../usage-error.ts";
import { type TargetOptions, targetClients } from "./common.ts";

const OUTCOMES: Record<ManualReminderOutcome["outcome"], { ja: string; en: string }> = {
  sent: { ja: "督促を送りました", en: "reminded" },
  answered: { ja: "回答済みのため送りません", en: "answered already" },
  "not-asked": { ja: "照会メールが未送信のため送りません", en: "never asked (its request was not sent)" },
  "too-soon": { ja: "1時間以内に督促済みのため送りません", en: "reminded less than an hour ago" },
  undeliverable: { ja: "届かないアドレスのみのため送りません", en: "every address is undeliverable" },
};

/**
 * `pdca round remind`: starts the stack's SendReminderNow workflow (locally or on AWS, the same way), waits for it,
 * and prints what happened to each institution.
 */
export async function remindNow(
  options: { plan: string; fiscalYear: number; quarter: number; institution?: string } & TargetOptions,
): Promise<void> {
  const clients = await targetClients(options);
  const quarter = options.quarter as Quarter;
  try {
    const input: RemindNowInput = {
      planId: options.plan,
      fiscalYear: options.fiscalYear,
      quarter,
      ...(options.institution ? { institutionId: options.institution } : {}),
      actor: `pdca round remind (${userInfo().username})`,
    };
    const name = `${roundId(options.plan, options.fiscalYear, quarter)}-remind-${Date.now()}`;
    const { executionArn } = await clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: clients.remindArn, name, input: JSON.stringify(input) }),
    );
    for (;;) {
      const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === "RUNNING") {
        await new Promise((resolve) => setTimeout(resolve, 300));
        continue;
      }
      if (execution.status !== "SUCCEEDED")
        throw new UsageError(
          `督促を送れませんでした（${execution.error ?? execution.status}）。照会が開始済みで締め切られていないか確認してください。\nThe reminder was not sent (${execution.error ?? execution.status}: ${execution.cause ?? ""}).`,
        );
      const { outcomes } = JSON.parse(execution.output ?? "{}") as { outcomes: ManualReminderOutcome[] };
      const plan = await clients.table.plans.getPlan(options.plan);
      const nameOf = (id: string) => plan.institutions.find((institution) => institution.id === id)?.shortName ?? id;
      console.log(`${fiscalYearLabel(options.fiscalYear)} ${quarterLabel(quarter)}の督促 / reminders now:`);
      for (const outcome of outcomes)
        console.log(
          `  ${nameOf(outcome.institutionId)}：${OUTCOMES[outcome.outcome].ja} / ${OUTCOMES[outcome.outcome].en}`,
        );
      console.log(`メール / mail: ${clients.mail}`);
      return;
    }
  } finally {
    clients.close();
  }
}
