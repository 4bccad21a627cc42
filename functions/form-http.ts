import { randomBytes, randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError, PlanMismatchError } from "../domain/errors.ts";
import { checkQuarterlyReport, formRows } from "../domain/form.ts";
import { type FormValues, readPostedForm } from "../domain/html/form-fields.ts";
import {
  type FormContext,
  knownCasesToFormValues,
  renderFormPage,
  renderReceiptPage,
  reportToFormValues,
  SUBMISSION_KEY_FIELD,
} from "../domain/html/form-page.ts";
import { renderLinkUnavailablePage, renderServerErrorPage, renderTooLargePage } from "../domain/html/pages.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../domain/link-token.ts";
import type { Plan } from "../domain/plan.ts";
import { deadlineOf, lateAnswerAccepted, type Round } from "../domain/round.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import type { StoredRequest } from "./adapters/table/requests.ts";
import { httpErrorPages } from "./http/errors.ts";
import { type HttpResponse, htmlResponse } from "./http/responses.ts";
import { SubmitAnswer } from "./use-cases/submit-answer.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);
const submitAnswer = new SubmitAnswer({ table, newId: randomUUID });

/** The largest form body accepted; larger ones are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

/** What a personal form link opens: the request, its open round and the plan. */
interface OpenLink {
  request: StoredRequest;
  round: Round;
  plan: Plan;
}

/**
 * The request, open round and plan behind a link; unknown, expired and closed links all end as NotFoundError. A
 * closed round's link works again for an institution whose late answer the secretariat accepted, while that runs.
 */
async function resolveLink(token: string | undefined): Promise<OpenLink> {
  if (!token || !isWellFormedLinkToken(token)) throw new NotFoundError("Form link");
  const request = await table.requests.findRequestByLinkHash(hashLinkToken(token));
  if (!request) throw new NotFoundError("Form link");
  const round = await table.rounds.findRound(request.planId, request.fiscalYear, request.quarter);
  if (!round || (round.status !== "open" && !lateAnswerAccepted(request, new Date())))
    throw new NotFoundError("Form link");
  const plan = await table.plans.getPlan(request.planId);
  return { request, round, plan };
}

/** A fresh key for one form on a page: 128 random bits, as base64url. */
function newSubmissionKey(): string {
  return randomBytes(16).toString("base64url");
}

const SUBMISSION_KEY_PATTERN = /^[A-Za-z0-9_-]{22}$/;

function formContext(link: OpenLink, keys: Partial<FormContext["submissionKeys"]> = {}): FormContext {
  const institution = link.plan.institutions.find((candidate) => candidate.id === link.request.institutionId);
  if (!institution) throw new PlanMismatchError(`Institution ${link.request.institutionId} left the plan`);
  return {
    plan: link.plan,
    institution,
    fiscalYear: link.request.fiscalYear,
    quarter: link.request.quarter,
    // The form shows the institution's own deadline: the round's, or the one the secretariat extended it to, or the
    // end of a late answer's acceptance.
    deadline: link.request.lateAnswerUntil
      ? new Date(link.request.lateAnswerUntil)
      : deadlineOf(link.request, link.round),
    submittedVersions: link.request.latestVersion ?? 0,
    submissionKeys: {
      answer: keys.answer ?? newSubmissionKey(),
      nothingToReport: keys.nothingToReport ?? newSubmissionKey(),
    },
  };
}

/** GET: the form, prefilled with the last answer of this round, or else with the institution's known cases. */
async function showForm(link: OpenLink): Promise<HttpResponse> {
  const { planId, fiscalYear, quarter, institutionId } = link.request;
  const latest = await table.submissions.findLatestSubmission(planId, fiscalYear, quarter, institutionId);
  const values: FormValues = latest
    ? reportToFormValues(latest.report)
    : knownCasesToFormValues(await table.knownCases.listKnownCases(planId, institutionId), fiscalYear);
  const context = { ...formContext(link), lastSaidNothingToReport: latest?.report.nothingToReport === true };
  return htmlResponse(200, renderFormPage(context, values));
}

function decodeBody(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return bytes.toString("utf8");
}

/**
 * POST: validate, then store through the one use case every channel shares.
 * 1. Parse the urlencoded body, every row where it was (blank and left-out rows are dropped by the schema, in place).
 * 2. Invalid: the form again with every row as it was, the same submission key, and each wrong field named by the
 *    row number the person saw; nothing stored.
 * 3. Valid: SubmitAnswer stores it under the form's submission key (or finds it stored) and the receipt page shows
 *    its number.
 */
async function submitForm(link: OpenLink, body: string, token: string): Promise<HttpResponse> {
  const parsed = readPostedForm(body);
  const postedKey = String(parsed[SUBMISSION_KEY_FIELD] ?? "");
  const submissionKey = SUBMISSION_KEY_PATTERN.test(postedKey) ? postedKey : undefined;
  const checked = checkQuarterlyReport(link.plan, link.request.fiscalYear, parsed);
  if (!checked.ok) {
    const keptKey = parsed.nothingToReport ? { nothingToReport: submissionKey } : { answer: submissionKey };
    const values: FormValues = {
      cases: formRows(parsed.cases) as FormValues["cases"],
      counts: parsed.counts as FormValues["counts"],
      narrative: parsed.narrative as FormValues["narrative"],
    };
    return htmlResponse(400, renderFormPage(formContext(link, keptKey), values, checked.errors));
  }
  const receipt = await submitAnswer.submit({
    request: link.request,
    report: checked.value,
    channel: "web-form",
    submissionKey,
    actor: `institution:${link.request.institutionId}`,
  });
  const { institution } = formContext(link);
  return htmlResponse(
    200,
    renderReceiptPage({
      plan: link.plan,
      institution,
      fiscalYear: link.request.fiscalYear,
      quarter: link.request.quarter,
      receiptNumber: receipt.receiptNumber,
      version: receipt.version,
      submittedAt: receipt.submittedAt,
      nothingToReport: checked.value.nothingToReport,
      formUrl: `/forms/${token}`,
    }),
  );
}

/** Routes GET and POST /forms/{token}. */
export async function handleForm(event: APIGatewayProxyEventV2): Promise<HttpResponse> {
  const method = event.requestContext.http.method;
  if (method !== "GET" && method !== "POST") throw new MethodNotAllowedError(method);
  const token = event.pathParameters?.token;
  const body = method === "POST" ? decodeBody(event) : "";
  const link = await resolveLink(token);
  return method === "GET" ? showForm(link) : submitForm(link, body, token as string);
}

/** Unknown, expired and closed links get one page, with one status, so a link's existence is never revealed. */
function errorPage(status: number): HttpResponse {
  if (status === 404 || status === 410) return htmlResponse(404, renderLinkUnavailablePage());
  if (status === 413) return htmlResponse(413, renderTooLargePage(MAX_BODY_BYTES));
  return htmlResponse(Math.min(status, 500), renderServerErrorPage());
}

export const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
  .use(httpErrorPages(errorPage))
  .handler((event) => handleForm(event));
