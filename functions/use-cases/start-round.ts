import {
  ExecutionAlreadyExists,
  type ExecutionListItem,
  paginateListExecutions,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { fiscalYearLabel, formatJapaneseDate, quarterLabel } from "../../domain/calendar.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { roundId } from "../../domain/keys.ts";
import type { Round } from "../../domain/round.ts";
import type { StartRoundInput } from "../../domain/workflow-events.ts";
import type { Table } from "../adapters/table/index.ts";

/** Why a round was not started, in words for the person who asked (Japanese, then English); nothing was started. */
export class RoundNotStartedError extends Error {
  constructor(
    readonly reason: "running" | "closed" | "unknown-plan",
    message: string,
  ) {
    super(message);
  }
}

/** What starting a round did. */
export interface StartedRound {
  executionArn: string;
  /** The execution's name: the round's own, or suffixed (`-2`, `-3`, …) when the round ran before. */
  name: string;
  /** The round was open already (a restart, or a run cut short): no one who answered is asked again. */
  resumed: boolean;
}

/** Where a round starts: the QuarterlyCollection's API and the table it reads the round from. */
export interface RoundStarter {
  sfn: SFNClient;
  collectionArn: string;
  table: Table;
}

function roundLabel(input: StartRoundInput): string {
  return `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)}`;
}

async function executionsOfRound(starter: RoundStarter, id: string): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  for await (const page of paginateListExecutions({ client: starter.sfn }, { stateMachineArn: starter.collectionArn }))
    for (const execution of page.executions ?? [])
      if (execution.name === id || execution.name?.startsWith(`${id}-`)) found.push(execution);
  return found;
}

/**
 * Starts a round's QuarterlyCollection, the one way the console, the CLI, the status page and a restart all start one:
 * 1. The plan must exist, and the round must not be closed (a closed round's execution would end at once and send
 *    nothing; reopening is the secretariat's decision, not a side effect).
 * 2. No execution of the round may be running: two would email and wait side by side.
 * 3. The execution takes the round's own name, as the schedule does; a round that ran before (a resume after a
 *    stop) takes the next free suffix, since a name is never reused. Two people starting the same round at once
 *    pick the same name, so the second is refused by Step Functions itself, and told so in the same words.
 */
export async function startRound(starter: RoundStarter, input: StartRoundInput): Promise<StartedRound> {
  const id = roundId(input.planId, input.fiscalYear, input.quarter);
  let round: Round | undefined;
  try {
    await starter.table.plans.getPlan(input.planId);
    round = await starter.table.rounds.findRound(input.planId, input.fiscalYear, input.quarter);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new RoundNotStartedError(
      "unknown-plan",
      `計画「${input.planId}」はありません。plans/ の計画IDを指定してください。\nNo plan ${input.planId}: use the id of a plan under plans/.`,
    );
  }
  if (round?.status === "closed")
    throw new RoundNotStartedError(
      "closed",
      `${roundLabel(input)}の照会は締め切られています（${formatJapaneseDate(new Date(round.closedAt ?? round.closesAt ?? round.deadline), { withTime: true })}）。回答の受付もメールの送信も行いません。\nThe round ${id} is closed: nothing was started and no one was emailed.`,
    );
  const running = new RoundNotStartedError(
    "running",
    `${roundLabel(input)}の照会はすでに実行中です（${id}）。状況は round status で確認できます。\nThe round ${id} is already running.`,
  );
  const previous = await executionsOfRound(starter, id);
  if (previous.some((execution) => execution.status === "RUNNING")) throw running;
  const name = previous.length === 0 ? id : `${id}-${previous.length + 1}`;
  try {
    const { executionArn = "" } = await starter.sfn.send(
      new StartExecutionCommand({ stateMachineArn: starter.collectionArn, name, input: JSON.stringify(input) }),
    );
    return { executionArn, name, resumed: round?.status === "open" };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) throw running;
    throw error;
  }
}

/** What to tell the person who started a round, in Japanese with English beside it. */
export function startedMessage(input: StartRoundInput, started: StartedRound): string {
  return started.resumed
    ? `${roundLabel(input)}の照会を再開しました（${started.name}）。回答済みの機関にはメールを送りません。\nResumed the round ${started.name}; institutions that answered are not emailed again.`
    : `${roundLabel(input)}の照会を開始しました（${started.name}）。\nStarted the round ${started.name}.`;
}
