import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import { ConflictError } from "../../../domain/errors.ts";
import { keys, roundId } from "../../../domain/keys.ts";
import type { Completeness, Round } from "../../../domain/round.ts";
import { type SingleTable, strip } from "./single-table.ts";

/** Collection rounds (照会), one item per plan, fiscal year and quarter. */
export class RoundStore {
  constructor(private readonly table: SingleTable) {}

  /** The round, if it was ever opened. */
  async findRound(planId: string, fiscalYear: FiscalYear, quarter: Quarter): Promise<Round | undefined> {
    return strip<Round>(await this.table.get(keys.round(planId, fiscalYear, quarter)));
  }

  /** Opens a round unless it exists; returns the stored round either way, so opening twice is harmless. */
  async openRound(round: Round): Promise<Round> {
    const item = { ...keys.round(round.planId, round.fiscalYear, round.quarter), type: "round", ...round };
    if (await this.table.putIfAbsent(item)) return round;
    const existing = await this.findRound(round.planId, round.fiscalYear, round.quarter);
    if (!existing) throw new ConflictError(`Round ${roundId(round.planId, round.fiscalYear, round.quarter)} vanished`);
    return existing;
  }

  /**
   * Closes an open round: from here the answer transaction's round check fails, so no answer lands after this. False
   * when it was closed already (a retried close).
   */
  markClosed(planId: string, fiscalYear: FiscalYear, quarter: Quarter, closedAt: Date): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.round(planId, fiscalYear, quarter),
      UpdateExpression: "SET #status = :closed, closedAt = :at",
      ConditionExpression: "attribute_exists(pk) AND #status = :open",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":closed": "closed", ":open": "open", ":at": closedAt.toISOString() },
    });
  }

  /** Stores a closed round's completeness once; a retried close keeps the first figures. */
  recordCompleteness(
    planId: string,
    fiscalYear: FiscalYear,
    quarter: Quarter,
    completeness: Completeness,
  ): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.round(planId, fiscalYear, quarter),
      UpdateExpression: "SET completeness = :completeness",
      ConditionExpression: "#status = :closed AND attribute_not_exists(completeness)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":completeness": completeness, ":closed": "closed" },
    });
  }

  /** Records that the round's summary went out, once; false if it had been recorded already. */
  markSummarySent(planId: string, fiscalYear: FiscalYear, quarter: Quarter, at: Date): Promise<boolean> {
    return this.table.setOnce(
      keys.round(planId, fiscalYear, quarter),
      { summarySentAt: at.toISOString() },
      "summarySentAt",
    );
  }

  /** The rounds of a fiscal year, in quarter order. */
  async listRounds(planId: string, fiscalYear: FiscalYear): Promise<Round[]> {
    const items = await this.table.queryPrefix(keys.roundsPrefix(planId, fiscalYear), { consistent: true });
    return items.map((item) => strip<Round>(item) as Round);
  }
}
