import type { FiscalYear, Quarter } from "./calendar.ts";

/**
 * The single table's key layout. Every key is built here and nowhere else.
 *
 * | item                     | pk                         | sk                                   | gsi1pk         |
 * | ------------------------ | -------------------------- | ------------------------------------ | -------------- |
 * | plan                     | PLAN#{plan}                | PLAN                                 |                |
 * | plan, in the list        | PLANS                      | PLAN#{plan}                          |                |
 * | case seen by institution | PLAN#{plan}                | CASE#INST#{inst}#{case}              |                |
 * | round                    | PLAN#{plan}#FY#{fy}        | ROUND#Q{q}                           |                |
 * | request                  | PLAN#{plan}#FY#{fy}        | REQ#Q{q}#INST#{inst}                 | LINK#{hash}    |
 * | submission version       | PLAN#{plan}#FY#{fy}        | SUB#Q{q}#INST#{inst}#V#{000001}      |                |
 * | submission key           | PLAN#{plan}#FY#{fy}        | SUBKEY#Q{q}#INST#{inst}#{key}        |                |
 * | reminder (or escalation) | PLAN#{plan}#FY#{fy}        | REMINDER#Q{q}#INST#{inst}#{moment}   |                |
 * | latest submission        | PLAN#{plan}#FY#{fy}        | LATEST#Q{q}#INST#{inst}              |                |
 * | audit entry              | PLAN#{plan}#FY#{fy}        | AUDIT#{iso time}#{id}                |                |
 * | reply address            | PLAN#{plan}#FY#{fy}        | REPLYADDR#{hash}                     | LINK#{hash}    |
 * | received reply           | PLAN#{plan}#FY#{fy}        | INBOUND#{message id}                 |                |
 * | replies counted          | PLAN#{plan}#FY#{fy}        | REPLIES#Q{q}#INST#{inst}#{iso hour}  |                |
 * | review (draft version)   | PLAN#{plan}#FY#{fy}        | REVIEW#V#{000001}                    |                |
 * | report link              | PLAN#{plan}#FY#{fy}        | REPORTLINK#{hash}                    | LINK#{hash}    |
 * | approval step            | PLAN#{plan}#FY#{fy}        | STEP#V{000001}#{step}                |                |
 * | approval link            | PLAN#{plan}#FY#{fy}        | APPROVALLINK#{hash}                  | LINK#{hash}    |
 * | approval decision        | PLAN#{plan}#FY#{fy}        | DECISION#V{000001}#{step}#{approver} |                |
 * | secretariat's decision   | PLAN#{plan}#FY#{fy}        | STEPLINK#{hash}                      | LINK#{hash}    |
 * | console sign-in link     | CONSOLE#SIGNIN#{hash}      | LINK                                 |                |
 * | console session          | CONSOLE#SESSION#{hash}     | SESSION                              |                |
 * | sign-in requests counted | CONSOLE#ADDRESS#{hash}     | WINDOW#{iso hour}                    |                |
 * | console audit entry      | CONSOLE#AUDIT              | AUDIT#{iso time}#{id}                |                |
 * | published version        | SITE                       | PUB#{plan}#FY#{fy}#V#{000001}        |                |
 *
 * Rounds, requests and submissions of a fiscal year share one partition. A reminder item is written before its mail
 * goes, on the condition that it does not exist, so each moment of a round mails an institution at most once. The latest submission holds a copy of
 * its version's answer, so the year-end review reads a year's answers with one Query on `LATEST#`, page by page; the link index (gsi1) finds a request from the hash of the token in a form link.
 * A reply address (the `answer+<token>@` Reply-To of the request mail) is an item of its own in the link index, as
 * report and approval links are, because the request's own index key is its form link; a received reply is claimed
 * once by its SES message id, and the mail the platform writes back is counted per request and hour.
 * Every published version of every plan shares the one `SITE` partition, so the site's index is one Query (a few
 * items a year per plan; nothing else is read or written there).
 */
export const keys = {
  plan: (planId: string) => ({ pk: `PLAN#${planId}`, sk: "PLAN" }),
  /** Every plan listed under one key, so the console can list them without a Scan. */
  planListed: (planId: string) => ({ pk: "PLANS", sk: `PLAN#${planId}` }),
  plansListPrefix: () => ({ pk: "PLANS", skPrefix: "PLAN#" }),
  caseSeen: (planId: string, institutionId: string, caseId: string) => ({
    pk: `PLAN#${planId}`,
    sk: `CASE#INST#${institutionId}#${caseId}`,
  }),
  casesSeenPrefix: (planId: string, institutionId: string) => ({
    pk: `PLAN#${planId}`,
    skPrefix: `CASE#INST#${institutionId}#`,
  }),
  fiscalYear: (planId: string, fiscalYear: FiscalYear) => `PLAN#${planId}#FY#${fiscalYear}`,
  round: (planId: string, fiscalYear: FiscalYear, quarter: Quarter) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `ROUND#Q${quarter}`,
  }),
  roundsPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "ROUND#",
  }),
  request: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REQ#Q${quarter}#INST#${institutionId}`,
  }),
  requestsPrefix: (planId: string, fiscalYear: FiscalYear, quarter: Quarter) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: `REQ#Q${quarter}#`,
  }),
  submissionVersion: (
    planId: string,
    fiscalYear: FiscalYear,
    quarter: Quarter,
    institutionId: string,
    version: number,
  ) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `SUB#Q${quarter}#INST#${institutionId}#V#${String(version).padStart(6, "0")}`,
  }),
  submissionVersionsPrefix: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: `SUB#Q${quarter}#INST#${institutionId}#V#`,
  }),
  /** Claims one posted form (its submission key) for the version it stored, so a repeated post stores nothing. */
  submissionKey: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string, key: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `SUBKEY#Q${quarter}#INST#${institutionId}#${key}`,
  }),
  /** One institution's reminder, overdue notice or escalation at one moment of a round (`manual-{iso}` by hand). */
  reminder: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string, momentId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REMINDER#Q${quarter}#INST#${institutionId}#${momentId}`,
  }),
  remindersPrefix: (planId: string, fiscalYear: FiscalYear, quarter: Quarter) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: `REMINDER#Q${quarter}#`,
  }),
  latestSubmission: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `LATEST#Q${quarter}#INST#${institutionId}`,
  }),
  latestSubmissionsOfRoundPrefix: (planId: string, fiscalYear: FiscalYear, quarter: Quarter) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: `LATEST#Q${quarter}#`,
  }),
  latestSubmissionsPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "LATEST#",
  }),
  audit: (planId: string, fiscalYear: FiscalYear, at: Date, id: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `AUDIT#${at.toISOString()}#${id}`,
  }),
  auditPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "AUDIT#",
  }),
  replyAddress: (planId: string, fiscalYear: FiscalYear, tokenHash: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REPLYADDR#${tokenHash}`,
  }),
  /** One received reply, by the id SES (or the local listener) gave the message: handled once, whatever retries. */
  inboundMessage: (planId: string, fiscalYear: FiscalYear, messageId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `INBOUND#${messageId}`,
  }),
  /** The mail written back about one request's replies in one hour, counted, so two robots cannot loop for ever. */
  replyWindow: (planId: string, fiscalYear: FiscalYear, quarter: Quarter, institutionId: string, hour: Date) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REPLIES#Q${quarter}#INST#${institutionId}#${hour.toISOString()}`,
  }),
  review: (planId: string, fiscalYear: FiscalYear, version: number) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REVIEW#V#${String(version).padStart(6, "0")}`,
  }),
  reviewsPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "REVIEW#V#",
  }),
  reportLink: (planId: string, fiscalYear: FiscalYear, tokenHash: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `REPORTLINK#${tokenHash}`,
  }),
  approvalStep: (planId: string, fiscalYear: FiscalYear, version: number, stepId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `STEP#V${String(version).padStart(6, "0")}#${stepId}`,
  }),
  approvalLink: (planId: string, fiscalYear: FiscalYear, tokenHash: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `APPROVALLINK#${tokenHash}`,
  }),
  approvalDecision: (planId: string, fiscalYear: FiscalYear, version: number, stepId: string, approverId: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `DECISION#V${String(version).padStart(6, "0")}#${stepId}#${approverId}`,
  }),
  approvalDecisionsPrefix: (planId: string, fiscalYear: FiscalYear, version: number) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: `DECISION#V${String(version).padStart(6, "0")}#`,
  }),
  approvalLinksPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "APPROVALLINK#",
  }),
  stepDecisionLink: (planId: string, fiscalYear: FiscalYear, tokenHash: string) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    sk: `STEPLINK#${tokenHash}`,
  }),
  stepDecisionLinksPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: keys.fiscalYear(planId, fiscalYear),
    skPrefix: "STEPLINK#",
  }),
  consoleSignInLink: (tokenHash: string) => ({ pk: `CONSOLE#SIGNIN#${tokenHash}`, sk: "LINK" }),
  consoleSession: (sessionHash: string) => ({ pk: `CONSOLE#SESSION#${sessionHash}`, sk: "SESSION" }),
  consoleAddressWindow: (addressHash: string, windowStart: Date) => ({
    pk: `CONSOLE#ADDRESS#${addressHash}`,
    sk: `WINDOW#${windowStart.toISOString()}`,
  }),
  consoleAudit: (at: Date, id: string) => ({ pk: "CONSOLE#AUDIT", sk: `AUDIT#${at.toISOString()}#${id}` }),
  consoleAuditPrefix: () => ({ pk: "CONSOLE#AUDIT", skPrefix: "AUDIT#" }),
  publication: (planId: string, fiscalYear: FiscalYear, version: number) => ({
    pk: "SITE",
    sk: `PUB#${planId}#FY#${fiscalYear}#V#${String(version).padStart(6, "0")}`,
  }),
  publicationsPrefix: () => ({ pk: "SITE", skPrefix: "PUB#" }),
  publicationsOfYearPrefix: (planId: string, fiscalYear: FiscalYear) => ({
    pk: "SITE",
    skPrefix: `PUB#${planId}#FY#${fiscalYear}#V#`,
  }),
  linkIndex: (tokenHash: string) => `LINK#${tokenHash}`,
} as const;

/** The name of the secondary index that finds a request by the hash of its link token. */
export const LINK_INDEX = "gsi1";

/** The id a person sees for a round: "hokkaido-kita-no-monozukuri-2019-Q1". Also its execution name. */
export function roundId(planId: string, fiscalYear: FiscalYear, quarter: Quarter): string {
  return `${planId}-${fiscalYear}-Q${quarter}`;
}

/** The YearEndReview execution name of a year: one review run per year unless the secretariat starts another. */
export function reviewExecutionName(planId: string, fiscalYear: FiscalYear): string {
  return `${planId}-${fiscalYear}-review`;
}

/**
 * The name of a review the secretariat starts (a new draft version): the year's, with the start time in base 36.
 * Step Functions allows 80 characters; a plan id has at most 64, so this stays within 79.
 */
export function draftExecutionName(planId: string, fiscalYear: FiscalYear, now: Date): string {
  return `${planId}-${fiscalYear}-d${now.getTime().toString(36)}`;
}
