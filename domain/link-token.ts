import { createHash, createHmac } from "node:crypto";

/** A link's token: 32 bytes (256 bits) as base64url, 43 characters. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The only form of a link token the table keeps. */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a string can be a link token at all; anything else is refused before any read. */
export function isWellFormedLinkToken(token: string): boolean {
  return LINK_TOKEN_PATTERN.test(token);
}

/** What a derived link opens: one institution's request in one round. */
export interface FormLinkSubject {
  planId: string;
  fiscalYear: number;
  quarter: number;
  institutionId: string;
}

/**
 * The form link's token of one request: an HMAC-SHA256 of the request under the platform's link key (a secret kept
 * outside the table). The same request always gets the same token, so a retried or repeated mail carries the link
 * the institution already holds, never a new one that would kill it; the table still keeps only the token's hash,
 * and without the key nobody can make a token from a request.
 */
export function formLinkToken(linkKey: string, subject: FormLinkSubject): string {
  return derivedToken(linkKey, [
    "form-link",
    "v1",
    subject.planId,
    subject.fiscalYear,
    subject.quarter,
    subject.institutionId,
  ]);
}

/** What an approval link opens: one approver's decision on one draft version, in one step. */
export interface ApprovalLinkSubject {
  planId: string;
  fiscalYear: number;
  version: number;
  stepId: string;
  approverId: string;
}

/** The approval link's token of one approver, version and step: the same on every retry, as form links are. */
export function approvalLinkToken(linkKey: string, subject: ApprovalLinkSubject): string {
  return derivedToken(linkKey, [
    "approval-link",
    "v1",
    subject.planId,
    subject.fiscalYear,
    subject.version,
    subject.stepId,
    subject.approverId,
  ]);
}

/** The secretariat's link to decide about a step's late approvers; `asked` counts the times it was asked. */
export function stepDecisionToken(
  linkKey: string,
  subject: Omit<ApprovalLinkSubject, "approverId"> & { asked: number },
): string {
  return derivedToken(linkKey, [
    "step-decision",
    "v1",
    subject.planId,
    subject.fiscalYear,
    subject.version,
    subject.stepId,
    subject.asked,
  ]);
}

function derivedToken(linkKey: string, parts: ReadonlyArray<string | number>): string {
  return createHmac("sha256", linkKey).update(parts.join("|"), "utf8").digest("base64url");
}
