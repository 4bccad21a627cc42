import qs from "qs";
import type { Plan } from "../domain/plan.ts";
import type { StartRoundInput } from "../domain/workflow-events.ts";
import type { Table } from "../functions/adapters/table/index.ts";
import { RoundNotStartedError, type StartedRound, startedMessage } from "../functions/use-cases/start-round.ts";
import type { BrokenPlanFile } from "../infra/app.ts";
import type { EngineStatus } from "./engines/supervisor.ts";
import type { ExtraHandler } from "./http-api.ts";
import { roundInput } from "./rounds.ts";
import { type PlanStatus, renderStatusPage } from "./status-page.ts";
import type { LocalStepFunctions } from "./step-functions/runner.ts";
import { UsageError } from "./usage-error.ts";

/** What the status page reads and does. */
export interface StatusRoutesProps {
  plans: readonly Plan[];
  brokenPlans: readonly BrokenPlanFile[];
  table: Table;
  stepFunctions: LocalStepFunctions;
  mailboxUrl: string;
  replies?: { smtpUrl: string; inboundDomain: string };
  siteUrl: string;
  engines(): EngineStatus[];
  startRound(input: StartRoundInput): Promise<StartedRound>;
}

const formLabels = {
  planId: { ja: "計画", en: "Plan" },
  fiscalYear: { ja: "年度", en: "Fiscal year" },
  quarter: { ja: "四半期", en: "Quarter" },
  deadline: { ja: "回答期限", en: "Deadline" },
  closesAt: { ja: "締切", en: "Close" },
};

async function planStatus(props: StatusRoutesProps): Promise<PlanStatus[]> {
  const status: PlanStatus[] = [];
  for (const plan of props.plans) {
    const rounds: PlanStatus["rounds"] = [];
    for (let fiscalYear = plan.period.firstFiscalYear; fiscalYear <= plan.period.lastFiscalYear; fiscalYear++)
      for (const round of await props.table.rounds.listRounds(plan.id, fiscalYear))
        rounds.push({
          round,
          requests: await props.table.requests.listRequests(plan.id, fiscalYear, round.quarter),
          reminders: await props.table.reminders.listReminders(plan.id, fiscalYear, round.quarter),
        });
    status.push({ plan, rounds });
  }
  return status;
}

/**
 * The local stack's own pages beside the API, which exist only locally: the status page (GET /) and its button that
 * starts a round (POST /_local/rounds, the same start as `pdca round start`), answering with the page again.
 */
export function statusRoutes(props: StatusRoutesProps): ExtraHandler {
  return async (request, response, body) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method === "POST" && url.pathname === "/_local/rounds") {
      const form = qs.parse(body.toString("utf8")) as Record<string, string | undefined>;
      const minutes = form.deadlineMinutes?.trim() ? Number(form.deadlineMinutes) : undefined;
      const input = roundInput(
        {
          planId: form.planId,
          fiscalYear: Number(form.fiscalYear),
          quarter: Number(form.quarter),
          deadlineMinutes: minutes !== undefined && Number.isFinite(minutes) && minutes > 0 ? minutes : undefined,
        },
        formLabels,
      );
      let message: string;
      if (!input.ok) message = `開始できませんでした：${input.errors.map((error) => error.ja).join("、")}`;
      else
        try {
          message = `${startedMessage(input.value, await props.startRound(input.value))}\nメールボックスを確認してください。`;
        } catch (error) {
          if (!(error instanceof UsageError || error instanceof RoundNotStartedError)) throw error;
          message = `開始できませんでした：${error.message}`;
        }
      response.writeHead(303, { location: `/?message=${encodeURIComponent(message)}` }).end();
      return true;
    }
    if (request.method === "GET" && url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(
        renderStatusPage({
          plans: await planStatus(props),
          executions: props.stepFunctions.listExecutions(),
          engines: props.engines(),
          brokenPlans: props.brokenPlans,
          mailboxUrl: props.mailboxUrl,
          replies: props.replies,
          siteUrl: props.siteUrl,
          message: url.searchParams.get("message") ?? undefined,
        }),
      );
      return true;
    }
    return false;
  };
}
