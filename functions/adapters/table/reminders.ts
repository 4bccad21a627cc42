import { PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import type { ChaseKind } from "../../../domain/chase.ts";
import { keys, roundId } from "../../../domain/keys.ts";
import { isConditionFailure, type SingleTable, strip } from "./single-table.ts";
import type { AuditEntry } from "./submissions.ts";

/**
 * One institution's reminder, overdue notice or escalation at one moment of a round. It is claimed before the mail
 * goes and marked sent after: a retried or restarted workflow finds the claim and sends nothing, so a moment mails
 * an institution at most once. A process killed between the claim and the send loses that one mail rather than
 * risk a second (the record stays `claimed`, and the status page shows it).
 */
export interface ReminderRecord {
  planId: string;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  institutionId: string;
  momentId: string;
  kind: ChaseKind;
  status: "claimed" | "sent" | "failed";
  claimedAt: string;
  sentAt?: string;
  recipients: string[];
  cc?: string[];
  error?: string;
}

type ReminderRef = Pick<ReminderRecord, "planId" | "fiscalYear" | "quarter" | "institutionId" | "momentId">;

const keyOf = (ref: ReminderRef) =>
  keys.reminder(ref.planId, ref.fiscalYear, ref.quarter, ref.institutionId, ref.momentId);

/** The reminders, overdue notices and escalations of a round, one item per institution and moment. */
export class ReminderStore {
  constructor(private readonly table: SingleTable) {}

  /** Claims the mail of one moment for one institution; false when it was claimed (or sent) before. */
  async claim(record: Omit<ReminderRecord, "status">): Promise<boolean> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...keyOf(record), type: "reminder", ...record, status: "claimed" },
          // A send that failed outright (SES refused it) may be tried again; anything else may not.
          ConditionExpression: "attribute_not_exists(pk) OR #status = :failed",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":failed": "failed" },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Records that the claimed mail went out, with its audit entry, together. */
  async markSent(ref: ReminderRef, at: Date, audit: { id: string; actor: string; action: string }): Promise<void> {
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.table.name,
              Key: keyOf(ref),
              UpdateExpression: "SET #status = :sent, sentAt = :at",
              ConditionExpression: "#status = :claimed",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":sent": "sent", ":claimed": "claimed", ":at": at.toISOString() },
            },
          },
          {
            Put: {
              TableName: this.table.name,
              Item: {
                ...keys.audit(ref.planId, ref.fiscalYear, at, audit.id),
                type: "audit",
                at: at.toISOString(),
                actor: audit.actor,
                channel: "email",
                action: audit.action,
                target: `${roundId(ref.planId, ref.fiscalYear, ref.quarter)}/${ref.institutionId}`,
              } satisfies AuditEntry & Record<string, unknown>,
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
  }

  /** Releases a claim whose send failed outright, so a retry may send it. */
  async markFailed(ref: ReminderRef, error: string): Promise<void> {
    await this.table.updateIf({
      Key: keyOf(ref),
      UpdateExpression: "SET #status = :failed, #error = :error",
      ConditionExpression: "#status = :claimed",
      ExpressionAttributeNames: { "#status": "status", "#error": "error" },
      ExpressionAttributeValues: { ":failed": "failed", ":claimed": "claimed", ":error": error.slice(0, 500) },
    });
  }

  /** Every reminder, overdue notice and escalation of a round, by institution then moment. */
  async listReminders(planId: string, fiscalYear: FiscalYear, quarter: Quarter): Promise<ReminderRecord[]> {
    const items = await this.table.queryPrefix(keys.remindersPrefix(planId, fiscalYear, quarter), { consistent: true });
    return items.map((item) => strip<ReminderRecord>(item) as ReminderRecord);
  }
}
