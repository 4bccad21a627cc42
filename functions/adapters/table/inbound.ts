import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import { keys } from "../../../domain/keys.ts";
import { type SingleTable, strip } from "./single-table.ts";

/** What a reply address opens: one institution's request in one round. */
export interface ReplyAddressSubject {
  planId: string;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  institutionId: string;
}

/** What became of one received reply, kept with it (the raw message stays in the inbound bucket). */
export interface InboundRecord {
  messageId: string;
  receivedAt: string;
  /** Where the raw message is: `s3://bucket/key`. */
  storedAt: string;
  /** "received" until the message is handled; a call that died half-way leaves it so, and the retry takes it up. */
  outcome:
    | "received"
    | "stored"
    | "already-stored"
    | "file-errors"
    | "no-attachment"
    | "round-closed"
    | "quarantined"
    | "automated";
  reason?: string;
  from?: string;
  version?: number;
}

/** Replies by mail: the reply addresses (by hash), each received message once, and the mail written back counted. */
export class InboundStore {
  constructor(private readonly table: SingleTable) {}

  /** Binds a request's reply address (by the hash of its token); binding it again changes nothing. */
  async bindReplyAddress(subject: ReplyAddressSubject, tokenHash: string): Promise<void> {
    await this.table.putIfAbsent({
      ...keys.replyAddress(subject.planId, subject.fiscalYear, tokenHash),
      gsi1pk: keys.linkIndex(tokenHash),
      type: "reply-address",
      planId: subject.planId,
      fiscalYear: subject.fiscalYear,
      quarter: subject.quarter,
      institutionId: subject.institutionId,
    });
  }

  /** The request a reply address belongs to, found by the hash of its token through the link index. */
  async findReplyAddress(tokenHash: string): Promise<ReplyAddressSubject | undefined> {
    return strip<ReplyAddressSubject>(await this.table.findByLinkHash(tokenHash, "reply-address"));
  }

  /**
   * Claims a received message for handling: false when it was claimed before (SES invokes an Event action at
   * least once, and retries a failed call), so a message is answered and reported at most once.
   */
  claimMessage(subject: Pick<ReplyAddressSubject, "planId" | "fiscalYear">, record: InboundRecord): Promise<boolean> {
    return this.table.putIfAbsent({
      ...keys.inboundMessage(subject.planId, subject.fiscalYear, record.messageId),
      type: "inbound-message",
      ...record,
    });
  }

  /** Records what became of a claimed message. */
  async recordOutcome(
    subject: Pick<ReplyAddressSubject, "planId" | "fiscalYear">,
    messageId: string,
    outcome: Pick<InboundRecord, "outcome" | "reason" | "version">,
  ): Promise<void> {
    await this.table.updateIf({
      Key: keys.inboundMessage(subject.planId, subject.fiscalYear, messageId),
      UpdateExpression: "SET #outcome = :outcome, #reason = :reason, #version = :version",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#outcome": "outcome", "#reason": "reason", "#version": "version" },
      ExpressionAttributeValues: {
        ":outcome": outcome.outcome,
        ":reason": outcome.reason ?? null,
        ":version": outcome.version ?? null,
      },
    });
  }

  /** A received message's record. */
  async findMessage(planId: string, fiscalYear: FiscalYear, messageId: string): Promise<InboundRecord | undefined> {
    return strip<InboundRecord>(await this.table.get(keys.inboundMessage(planId, fiscalYear, messageId)));
  }

  /** Counts one mail written back about a request's replies in the hour of `now`; returns the count, this one included. */
  async countReply(
    subject: { planId: string; fiscalYear: FiscalYear; quarter: Quarter; institutionId: string },
    now: Date,
  ): Promise<number> {
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    const { Attributes } = await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.replyWindow(subject.planId, subject.fiscalYear, subject.quarter, subject.institutionId, hour),
        UpdateExpression: "ADD replies :one",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(Attributes?.replies ?? 1);
  }
}
