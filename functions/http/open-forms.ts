import { randomBytes } from "node:crypto";
import { NotFoundError, PlanMismatchError } from "../../domain/errors.ts";
import type { QuarterlyReport } from "../../domain/form.ts";
import type { FormValues } from "../../domain/html/form-fields.ts";
import {
  type FormContext,
  knownCasesToFormValues,
  renderReceiptPage,
  reportToFormValues,
} from "../../domain/html/form-page.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../../domain/link-token.ts";
import type { Institution, Plan } from "../../domain/plan.ts";
import { deadlineOf, lateAnswerAccepted, type Round } from "../../domain/round.ts";
import type { Table } from "../adapters/table/index.ts";
import type { StoredRequest } from "../adapters/table/requests.ts";
import type { AnswerReceipt } from "../use-cases/submit-answer.ts";

/** What a personal form link opens: the request, its open round and the plan. */
export interface OpenLink {
  token: string;
  request: StoredRequest;
  round: Round;
  plan: Plan;
}

const SUBMISSION_KEY_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A fresh key for one form on a page: 128 random bits, as base64url. */
function newSubmissionKey(): string {
  return randomBytes(16).toString("base64url");
}

/** A posted submission key, if it is one this page could have rendered. */
export function postedSubmissionKey(value: unknown): string | undefined {
  const key = String(value ?? "");
  return SUBMISSION_KEY_PATTERN.test(key) ? key : undefined;
}

/** The form's addresses under its link: the page itself and its answer file (download and upload). */
export function formUrls(token: string): { form: string; file: string } {
  return { form: `/forms/${token}`, file: `/forms/${token}/file` };
}

/**
 * What every handler behind a personal form link shares (the web form and its answer file): the link resolved to
 * its open round, the page's context, the prefill, and the receipt.
 */
export class OpenForms {
  constructor(private readonly table: Pick<Table, "requests" | "rounds" | "plans" | "submissions" | "knownCases">) {}

  /**
   * The request, open round and plan behind a link; unknown, expired and closed links all end as NotFoundError. A
   * closed round's link works again for an institution whose late answer the secretariat accepted, while that runs.
   */
  async resolve(token: string | undefined): Promise<OpenLink> {
    if (!token || !isWellFormedLinkToken(token)) throw new NotFoundError("Form link");
    const request = await this.table.requests.findRequestByLinkHash(hashLinkToken(token));
    if (!request) throw new NotFoundError("Form link");
    const round = await this.table.rounds.findRound(request.planId, request.fiscalYear, request.quarter);
    if (!round || (round.status !== "open" && !lateAnswerAccepted(request, new Date())))
      throw new NotFoundError("Form link");
    const plan = await this.table.plans.getPlan(request.planId);
    return { token, request, round, plan };
  }

  institutionOf(link: OpenLink): Institution {
    const institution = link.plan.institutions.find((candidate) => candidate.id === link.request.institutionId);
    if (!institution) throw new PlanMismatchError(`Institution ${link.request.institutionId} left the plan`);
    return institution;
  }

  /** The page's context; a page shown again after an error keeps the key that was posted. */
  context(link: OpenLink, keys: Partial<FormContext["submissionKeys"]> = {}): FormContext {
    return {
      plan: link.plan,
      institution: this.institutionOf(link),
      fiscalYear: link.request.fiscalYear,
      quarter: link.request.quarter,
      // The institution's own deadline: the round's, or the one the secretariat extended it to, or the end of a late
      // answer's acceptance.
      deadline: link.request.lateAnswerUntil
        ? new Date(link.request.lateAnswerUntil)
        : deadlineOf(link.request, link.round),
      submittedVersions: link.request.latestVersion ?? 0,
      submissionKeys: {
        answer: keys.answer ?? newSubmissionKey(),
        nothingToReport: keys.nothingToReport ?? newSubmissionKey(),
        file: keys.file ?? newSubmissionKey(),
      },
      fileUrl: formUrls(link.token).file,
      formUrl: formUrls(link.token).form,
    };
  }

  /** The form's prefill: the last answer of this round, or else the institution's known cases. */
  async prefill(link: OpenLink): Promise<{ values: FormValues; lastSaidNothingToReport: boolean }> {
    const { planId, fiscalYear, quarter, institutionId } = link.request;
    const latest = await this.table.submissions.findLatestSubmission(planId, fiscalYear, quarter, institutionId);
    const values: FormValues = latest
      ? reportToFormValues(latest.report)
      : knownCasesToFormValues(await this.table.knownCases.listKnownCases(planId, institutionId), fiscalYear);
    return { values, lastSaidNothingToReport: latest?.report.nothingToReport === true };
  }

  /** The receipt page of a stored (or found stored) answer. */
  receiptPage(link: OpenLink, receipt: AnswerReceipt, report: QuarterlyReport): string {
    return renderReceiptPage({
      plan: link.plan,
      institution: this.institutionOf(link),
      fiscalYear: link.request.fiscalYear,
      quarter: link.request.quarter,
      receiptNumber: receipt.receiptNumber,
      version: receipt.version,
      submittedAt: receipt.submittedAt,
      nothingToReport: report.nothingToReport,
      formUrl: formUrls(link.token).form,
    });
  }
}
