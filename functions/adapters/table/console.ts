import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear } from "../../../domain/calendar.ts";
import { keys } from "../../../domain/keys.ts";
import { type SingleTable, strip } from "./single-table.ts";
import type { AuditEntry } from "./submissions.ts";

/** An emailed sign-in link (only its hash is the key). */
export interface SignInLink {
  email: string;
  expiresAt: string;
  usedAt?: string;
}

/** A console session (only the hash of its id is the key). */
export interface ConsoleSession {
  email: string;
  createdAt: string;
  lastSeenAt: string;
  endedAt?: string;
}

/** The secretariat's console: sign-in links, sessions, the count of sign-in requests per address, and its audit. */
export class ConsoleStore {
  constructor(private readonly table: SingleTable) {}

  /** Counts one sign-in request of an address in its window; returns the count so far, this one included. */
  async countSignInRequest(addressHash: string, windowStart: Date): Promise<number> {
    const { Attributes } = await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.consoleAddressWindow(addressHash, windowStart),
        UpdateExpression: "ADD requests :one",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(Attributes?.requests ?? 1);
  }

  /** Stores a new sign-in link; a token collision (256 random bits) is refused rather than overwritten. */
  async putSignInLink(tokenHash: string, link: SignInLink): Promise<boolean> {
    return this.table.putIfAbsent({ ...keys.consoleSignInLink(tokenHash), type: "sign-in-link", ...link });
  }

  /** A sign-in link by its token's hash. */
  async findSignInLink(tokenHash: string): Promise<SignInLink | undefined> {
    return strip<SignInLink>(await this.table.get(keys.consoleSignInLink(tokenHash)));
  }

  /** Uses a sign-in link once, only before it expires; false when it was used or has expired. */
  useSignInLink(tokenHash: string, at: Date): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.consoleSignInLink(tokenHash),
      UpdateExpression: "SET usedAt = :at",
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt >= :at",
      ExpressionAttributeValues: { ":at": at.toISOString() },
    });
  }

  /** Starts a session. */
  async createSession(sessionHash: string, session: ConsoleSession): Promise<boolean> {
    return this.table.putIfAbsent({ ...keys.consoleSession(sessionHash), type: "console-session", ...session });
  }

  /** A session by the hash of its id. */
  async findSession(sessionHash: string): Promise<ConsoleSession | undefined> {
    return strip<ConsoleSession>(await this.table.get(keys.consoleSession(sessionHash)));
  }

  /** Records a request of a live session, so it stays alive for another idle period. */
  touchSession(sessionHash: string, at: Date): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.consoleSession(sessionHash),
      UpdateExpression: "SET lastSeenAt = :at",
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(endedAt)",
      ExpressionAttributeValues: { ":at": at.toISOString() },
    });
  }

  /** Ends a session on the server: its cookie opens nothing afterwards, whatever the browser keeps. */
  endSession(sessionHash: string, at: Date): Promise<boolean> {
    return this.table.setOnce(keys.consoleSession(sessionHash), { endedAt: at.toISOString() }, "endedAt");
  }

  /**
   * Records what was done in the console: under the plan's fiscal year when it concerns one (beside the answers and
   * decisions of that year), else in the console's own log (signing in and out).
   */
  async audit(entry: AuditEntry, id: string, year?: { planId: string; fiscalYear: FiscalYear }): Promise<void> {
    const key = year
      ? keys.audit(year.planId, year.fiscalYear, new Date(entry.at), id)
      : keys.consoleAudit(new Date(entry.at), id);
    await this.table.put({ ...key, type: "audit", ...entry });
  }

  /** The console's own audit entries, oldest first. */
  async listAudit(): Promise<AuditEntry[]> {
    const items = await this.table.queryPrefix(keys.consoleAuditPrefix());
    return items.map((item) => strip<AuditEntry>(item) as AuditEntry);
  }
}
