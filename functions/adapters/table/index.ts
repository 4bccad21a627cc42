import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ApprovalStore } from "./approvals.ts";
import { ConsoleStore } from "./console.ts";
import { InboundStore } from "./inbound.ts";
import { KnownCaseStore } from "./known-cases.ts";
import { PlanStore } from "./plans.ts";
import { ReminderStore } from "./reminders.ts";
import { RequestStore } from "./requests.ts";
import { ReviewStore } from "./reviews.ts";
import { RoundStore } from "./rounds.ts";
import { SingleTable } from "./single-table.ts";
import { SubmissionStore } from "./submissions.ts";

/** Every store of the single table, one per aggregate, sharing one client. Keys come only from domain/keys.ts. */
export function openTable(client: DynamoDBDocumentClient, tableName: string) {
  const table = new SingleTable(client, tableName);
  return {
    plans: new PlanStore(table),
    rounds: new RoundStore(table),
    requests: new RequestStore(table),
    reminders: new ReminderStore(table),
    submissions: new SubmissionStore(table),
    reviews: new ReviewStore(table),
    knownCases: new KnownCaseStore(table),
    approvals: new ApprovalStore(table),
    console: new ConsoleStore(table),
  };
}

/**
 * Replies by mail, apart from `openTable`: only the functions that write or read a reply address use it, and every
 * other function's bundle is spared its weight (test/infra/bundling.test.ts).
 */
export function openInboundStore(client: DynamoDBDocumentClient, tableName: string): InboundStore {
  return new InboundStore(new SingleTable(client, tableName));
}

/** The stores of the single table, as `openTable` returns them. */
export type Table = ReturnType<typeof openTable>;
