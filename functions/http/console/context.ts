import type { SFNClient } from "@aws-sdk/client-sfn";
import type { FormLinks } from "../../adapters/form-links.ts";
import type { Mailer } from "../../adapters/mailer.ts";
import type { ReportStore } from "../../adapters/report-store.ts";
import type { Table } from "../../adapters/table/index.ts";
import type { WorkflowCallback } from "../../adapters/workflow.ts";
import type { ConsoleSessions } from "./session.ts";

/** What the console's routes use: the table, mail, sessions, the workflows and the report files. */
export interface ConsoleContext {
  table: Table;
  mailer: Mailer;
  sessions: ConsoleSessions;
  sfn: SFNClient;
  workflow: WorkflowCallback;
  reports: ReportStore;
  publicBaseUrl: string;
  reviewWorkflowArn: string;
  collectionWorkflowArn: string;
  remindWorkflowArn: string;
  /** The institutions' personal form links, for the mails of an extended deadline or an accepted late answer. */
  links: FormLinks;
  operators: string[];
  newId: () => string;
}

/** A page's form fields, from a urlencoded body (every console form is flat). */
export function formFields(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}
