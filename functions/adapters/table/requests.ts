import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import { ConflictError } from "../../../domain/errors.ts";
import { keys } from "../../../domain/keys.ts";
import type { RoundRequest } from "../../../domain/round.ts";
import { type SingleTable, strip } from "./single-table.ts";

/** A request as stored, with the server-only fields the domain type leaves out. */
export interface StoredRequest extends RoundRequest {
  linkHash?: string;
  /** When the secretariat last sent a reminder by hand (at most one an hour). */
  lastManualReminderAt?: string;
}

type RequestRef = Pick<RoundRequest, "planId" | "fiscalYear" | "quarter" | "institutionId">;

const keyOf = (request: RequestRef) =>
  keys.request(request.planId, request.fiscalYear, request.quarter, request.institutionId);

/** One institution's request (照会) in a round: its status, its link (by hash), and addresses that bounced. */
export class RequestStore {
  constructor(private readonly table: SingleTable) {}

  /** One institution's request in a round. */
  async findRequest(
    planId: string,
    fiscalYear: FiscalYear,
    quarter: Quarter,
    institutionId: string,
  ): Promise<StoredRequest | undefined> {
    return strip<StoredRequest>(await this.table.get(keys.request(planId, fiscalYear, quarter, institutionId)));
  }

  /** Every request of a round, read consistently: what is counted must include the last answer stored. */
  async listRequests(planId: string, fiscalYear: FiscalYear, quarter: Quarter): Promise<StoredRequest[]> {
    const items = await this.table.queryPrefix(keys.requestsPrefix(planId, fiscalYear, quarter), { consistent: true });
    return items.map((item) => strip<StoredRequest>(item) as StoredRequest);
  }

  /** The request a form link belongs to, found by the hash of its token. */
  async findRequestByLinkHash(linkHash: string): Promise<StoredRequest | undefined> {
    return strip<StoredRequest>(await this.table.findByLinkHash(linkHash, "request"));
  }

  /** Creates a request unless it exists; returns the stored one either way. */
  async ensureRequest(request: RoundRequest): Promise<StoredRequest> {
    if (await this.table.putIfAbsent({ ...keyOf(request), type: "request", ...request })) return request;
    const existing = await this.findRequest(request.planId, request.fiscalYear, request.quarter, request.institutionId);
    if (!existing) throw new ConflictError("Request vanished");
    return existing;
  }

  /** Binds the link (by its hash) to a request, only while it is unanswered; false when the answer landed first. */
  bindLink(request: RequestRef, linkHash: string): Promise<boolean> {
    return this.updateUnanswered(request, "SET gsi1pk = :link, linkHash = :hash", {
      ":link": keys.linkIndex(linkHash),
      ":hash": linkHash,
    });
  }

  /**
   * Marks an address of the request undeliverable (it bounced, or its owner complained); false when it was marked
   * already (SNS delivers a notification at least once), so the secretariat is told once.
   */
  markUndeliverable(request: RequestRef, address: string): Promise<boolean> {
    return this.table.updateIf({
      Key: keyOf(request),
      UpdateExpression: "SET undeliverable = list_append(if_not_exists(undeliverable, :none), :address)",
      ConditionExpression: "attribute_exists(pk) AND NOT contains(undeliverable, :one)",
      ExpressionAttributeValues: { ":none": [], ":address": [address], ":one": address },
    });
  }

  /** Takes the hour's one manual reminder of a request; false when one went out less than an hour before `now`. */
  takeManualReminder(request: RequestRef, now: Date): Promise<boolean> {
    return this.updateUnanswered(
      request,
      "SET lastManualReminderAt = :now",
      { ":now": now.toISOString(), ":hourAgo": new Date(now.getTime() - 60 * 60 * 1000).toISOString() },
      "attribute_not_exists(lastManualReminderAt) OR lastManualReminderAt <= :hourAgo",
    );
  }

  /** Records that the request email went out; an answer that came first keeps its status. */
  async markEmailed(request: RequestRef, at: Date): Promise<void> {
    await this.updateUnanswered(request, "SET emailedAt = :at, #status = :sent", {
      ":at": at.toISOString(),
      ":sent": "sent",
    });
  }

  /**
   * Gives an asked, unanswered request its own later deadline (the secretariat's extension): it waits again, not
   * overdue; false when it was answered meanwhile.
   */
  extendDeadline(request: RequestRef, deadline: Date): Promise<boolean> {
    return this.updateUnanswered(
      request,
      "SET deadline = :deadline, #status = :sent",
      { ":deadline": deadline.toISOString(), ":sent": "sent", ":overdue": "overdue" },
      "#status IN (:sent, :overdue)",
    );
  }

  /** Lets an unanswered request be answered after the round's close, until `until`; false when it was answered. */
  acceptLateAnswer(request: RequestRef, until: Date): Promise<boolean> {
    return this.updateUnanswered(request, "SET lateAnswerUntil = :until", { ":until": until.toISOString() });
  }

  /** Marks an unanswered request overdue; returns false when it was answered meanwhile. */
  markOverdue(request: RequestRef): Promise<boolean> {
    return this.updateUnanswered(request, "SET #status = :overdue", { ":overdue": "overdue" });
  }

  private updateUnanswered(
    request: RequestRef,
    UpdateExpression: string,
    values: Record<string, unknown>,
    extraCondition?: string,
  ): Promise<boolean> {
    return this.table.updateIf({
      Key: keyOf(request),
      UpdateExpression,
      ConditionExpression: `attribute_exists(pk) AND #status <> :answered${extraCondition ? ` AND (${extraCondition})` : ""}`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ...values, ":answered": "answered" },
    });
  }
}
