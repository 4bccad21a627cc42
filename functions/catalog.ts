/**
 * Every Lambda function of the platform, once: its entry file and what it may touch. `infra/` creates and grants
 * from this list; `local/` wires the same handlers in process from it. A test checks that every handler file in
 * `functions/` is listed here and nothing else is.
 */
/** The platform's state machines, by the name the catalog's grants use. */
export type WorkflowName = "collection" | "review" | "remind";

/** One function of the catalog. */
export interface CatalogEntry {
  /** Path from the repository root to the file exporting `handler`. */
  entry: string;
  description: string;
  /** How long one call may run. @default 30 */
  timeoutSeconds?: number;
  /** What the function may touch; each maps to one least-privilege grant. */
  access: {
    table?: "read" | "read-write";
    /** Sends mail through SES from the platform's identity. */
    mail?: boolean;
    /** Resumes the tasks that this workflow parks to wait for a person (states:SendTaskSuccess). */
    workflowCallback?: WorkflowName;
    /**
     * Starts these workflows (states:StartExecution, and states:ListExecutions: a round started by hand looks for its
     * earlier runs first); each one's ARN is in `<NAME>_WORKFLOW_ARN`.
     */
    startsWorkflows?: readonly WorkflowName[];
    /** Writes personal links, which need the public base URL of the HTTP API. */
    publicUrl?: boolean;
    /** Derives form links from the link key (a secret: secretsmanager:GetSecretValue on it alone). */
    linkKey?: boolean;
    /** The report bucket (drafts, review files). */
    bucket?: "read" | "read-write";
    /** Signs console sessions with the session key (a secret: secretsmanager:GetSecretValue on it alone). */
    sessionKey?: boolean;
    /** Reads the addresses named at deploy time that may use the console besides the secretariat contacts. */
    consoleOperators?: boolean;
    /** The published site: writes (and reads) objects under the site's prefix of the site bucket, nothing else. */
    site?: "write";
    /** Writes the published site's address into mail, which needs its public base URL (the CDN's on AWS). */
    siteUrl?: boolean;
    /** Writes a request's reply address (answer+<token>@ the inbound domain) as the Reply-To of its mail. */
    replyAddress?: boolean;
    /** Reads the received messages the SES receipt rule stored in the inbound bucket (under its prefix only). */
    inboundMail?: "read";
  };
  /**
   * Prints with headless Chromium: the browser comes in a layer (esbuild cannot bundle a binary), the function runs
   * on x86_64 (the npm package's Chromium is built for it alone) with the memory and time a browser needs.
   */
  browser?: boolean;
}

export const catalog = {
  putPlan: {
    entry: "functions/put-plan.ts",
    description: "Writes a plan file into the table when the stack deploys (a custom resource per plan)",
    access: { table: "read-write" },
  },
  openRound: {
    entry: "functions/open-round.ts",
    description: "Opens a quarter's collection round and lists who still has to answer",
    access: { table: "read-write" },
  },
  sendRequest: {
    entry: "functions/send-request.ts",
    description: "Emails a batch of institutions their personal form links, each once",
    access: { table: "read-write", mail: true, publicUrl: true, linkKey: true, replyAddress: true },
  },
  nextMoment: {
    entry: "functions/next-moment.ts",
    description: "Finds a round's next moment (reminder, deadline, overdue notice, escalation, close) on business days",
    access: { table: "read" },
  },
  actOnMoment: {
    entry: "functions/act-on-moment.ts",
    description: "Reminds, marks overdue or escalates a batch of a round's unanswered institutions, each once a moment",
    access: { table: "read-write", mail: true, publicUrl: true, linkKey: true, replyAddress: true },
  },
  remindNow: {
    entry: "functions/remind-now.ts",
    description: "Sends the secretariat's reminder now to one institution or every one unanswered, once an hour each",
    // Every unanswered institution of the largest plan, one after the other (about 0.25 s each), fits in 600 s.
    timeoutSeconds: 600,
    access: { table: "read-write", mail: true, publicUrl: true, linkKey: true, replyAddress: true },
  },
  recordMailFeedback: {
    entry: "functions/record-mail-feedback.ts",
    description: "Marks bounced or complained-about addresses undeliverable and tells the secretariat",
    access: { table: "read-write", mail: true },
  },
  closeRound: {
    entry: "functions/close-round.ts",
    description: "Closes a round, stores its completeness and emails the secretariat a summary",
    access: { table: "read-write", mail: true },
  },
  rememberRoundCases: {
    entry: "functions/remember-round-cases.ts",
    description: "Remembers the cases of a closed round's final answers to prefill the next forms",
    access: { table: "read-write" },
  },
  receiveReply: {
    entry: "functions/receive-reply.ts",
    description:
      "Reads a reply to a request mail that SES received (raw message in the inbound bucket) and stores its attached answer",
    // Parsing a workbook of a few MB and the reply mail fit well within a minute; SES retries a failed Event call.
    timeoutSeconds: 60,
    access: {
      table: "read-write",
      mail: true,
      publicUrl: true,
      linkKey: true,
      replyAddress: true,
      inboundMail: "read",
    },
  },
  formHttp: {
    entry: "functions/form-http.ts",
    description: "Serves and accepts the quarterly form behind a personal link",
    access: { table: "read-write" },
  },
  answerFileHttp: {
    entry: "functions/answer-file-http.ts",
    description: "Serves the quarter's prefilled workbook and accepts a filled workbook or CSV behind a form link",
    access: { table: "read-write" },
  },
  startYearEndReview: {
    entry: "functions/start-year-end-review.ts",
    description: "Starts the year's review when its fourth round closes",
    access: { startsWorkflows: ["review"] },
  },
  checkRoundsClosed: {
    entry: "functions/check-rounds-closed.ts",
    description: "Lists the year's rounds that are not closed before the review",
    access: { table: "read" },
  },
  notifyRoundsOpen: {
    entry: "functions/notify-rounds-open.ts",
    description: "Tells the secretariat which rounds are still open and how to review anyway",
    access: { table: "read", mail: true },
  },
  computeReview: {
    entry: "functions/compute-review.ts",
    description: "Computes the year-end review against the targets as a new draft version",
    access: { table: "read-write", bucket: "read-write" },
  },
  renderDraftReport: {
    entry: "functions/render-draft-report.ts",
    description: "Renders a draft version as HTML with charts, CSV and JSON into the report bucket",
    access: { table: "read", bucket: "read-write" },
  },
  notifyDraft: {
    entry: "functions/notify-draft.ts",
    description: "Emails the secretariat a personal link to a new draft report",
    access: { table: "read-write", mail: true, publicUrl: true },
  },
  nextApprovalStep: {
    entry: "functions/next-approval-step.ts",
    description: "Decides what a draft version's circulation for approval does next, and begins each step",
    access: { table: "read-write" },
  },
  requestApproval: {
    entry: "functions/request-approval.ts",
    description: "Emails an approver a personal link to decide on a draft version, and parks the wait with it",
    access: { table: "read-write", mail: true, workflowCallback: "review", publicUrl: true, linkKey: true },
  },
  askAboutLateApprovers: {
    entry: "functions/ask-about-late-approvers.ts",
    description: "Asks the secretariat to extend a step's deadline or go on without its late approvers",
    access: { table: "read-write", mail: true, workflowCallback: "review", publicUrl: true, linkKey: true },
  },
  notifyChangesRequested: {
    entry: "functions/notify-changes-requested.ts",
    description: "Emails the secretariat the approvers' requests for changes on a draft version",
    access: { table: "read", mail: true, publicUrl: true },
  },
  publishReport: {
    entry: "functions/publish-report.ts",
    description:
      "Publishes an approved version on the site: its page, PDF, CSV and JSON, the year's page and the index",
    access: { table: "read-write", bucket: "read", site: "write" },
    browser: true,
  },
  notifyPublished: {
    entry: "functions/notify-published.ts",
    description: "Emails everyone on the plan the address of the year's published report",
    access: { table: "read", mail: true, siteUrl: true },
  },
  approvalHttp: {
    entry: "functions/approval-http.ts",
    description: "Serves the approvers' pages (decide on a draft) and the secretariat's page about late approvers",
    access: { table: "read-write", workflowCallback: "review", bucket: "read" },
  },
  reportHttp: {
    entry: "functions/report-http.ts",
    description: "Serves a draft report's files behind the secretariat's personal link",
    access: { table: "read", bucket: "read" },
  },
  consoleHttp: {
    entry: "functions/console-http.ts",
    description:
      "Serves the secretariat's console: sign-in by emailed link, dashboard, plans, rounds, reviews, decisions, audit",
    access: {
      table: "read-write",
      mail: true,
      publicUrl: true,
      bucket: "read",
      startsWorkflows: ["review", "collection", "remind"],
      workflowCallback: "review",
      // The mails of an extended deadline or an accepted late answer carry the institution's own form link.
      linkKey: true,
      sessionKey: true,
      consoleOperators: true,
    },
  },
} as const satisfies Record<string, CatalogEntry>;

export type FunctionName = keyof typeof catalog;

export const functionNames = Object.keys(catalog) as FunctionName[];
