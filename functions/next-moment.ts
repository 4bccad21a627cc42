import middy from "@middy/core";
import type * as z from "zod/mini";
import { NotFoundError } from "../domain/errors.ts";
import { roundId } from "../domain/keys.ts";
import { type NextMoment, nextMoment } from "../domain/round-schedule.ts";
import { nextMomentEventSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, parseEvent } from "./middleware.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);

type NextMomentEvent = z.output<typeof nextMomentEventSchema>;

/**
 * The round's next moment after the one it acted on last, from the plan and the table (domain/round-schedule.ts):
 * 1. Read the plan, the round as stored (its deadline, close, opening and clock) and its requests, consistently.
 * 2. With everyone answered, the close; otherwise the next reminder, deadline, overdue notice or escalation, a mail
 *    moment moved into business hours; the close last.
 */
export async function findNextMoment(event: NextMomentEvent, now = new Date()): Promise<NextMoment> {
  const { planId, fiscalYear, quarter } = event.round;
  const [plan, round, requests] = await Promise.all([
    table.plans.getPlan(planId),
    table.rounds.findRound(planId, fiscalYear, quarter),
    table.requests.listRequests(planId, fiscalYear, quarter),
  ]);
  if (!round) throw new NotFoundError(`Round ${roundId(planId, fiscalYear, quarter)}`);
  const answered = new Set(requests.filter((request) => request.status === "answered").map((r) => r.institutionId));
  const everyoneAnswered = plan.institutions.every((institution) => answered.has(institution.id));
  return nextMoment(
    plan,
    {
      deadline: round.deadline,
      closesAt: round.closesAt ?? event.round.closesAt,
      openedAt: round.openedAt,
      clock: round.clock,
    },
    { after: event.after, now, everyoneAnswered },
  );
}

export const handler = middy<NextMomentEvent, NextMoment>()
  .use(logFailures())
  .use(parseEvent(nextMomentEventSchema))
  .handler((event) => findNextMoment(event));
