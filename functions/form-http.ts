import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import qs from "qs";
import { ConflictError, DomainError, PayloadTooLargeError } from "../domain/errors.ts";
import { checkQuarterlyReport, dropBlankCaseRows, MAX_CASES_PER_REPORT, sameReport } from "../domain/form.ts";
import {
  type FormValues,
  knownCasesToFormValues,
  renderFormPage,
  renderLinkUnavailablePage,
  renderReceiptPage,
  renderServerErrorPage,
  renderTooLargePage,
  reportToFormValues,
} from "../domain/html/form-page.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../domain/link-token.ts";
import type { Plan } from "../domain/plan.ts";
import { isOnTime, type Round, receiptNumber } from "../domain/round.ts";
import { answeredOutput } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { sfnClient } from "./adapters/clients/sfn.ts";
import { formEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { PlanRepository, type StoredRequest } from "./adapters/table.ts";
import { WorkflowCallback } from "./adapters/workflow.ts";
import { logger } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...formEnv });
const repository = new PlanRepository(documentClient, env.TABLE_NAME);
const workflow = new WorkflowCallback(sfnClient);

/** The largest form body accepted; larger ones are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

type Response = APIGatewayProxyStructuredResultV2;

function htmlResponse(statusCode: number, body: string): Response {
  return {
    statusCode,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // The link token is in the URL: never send it on as a Referer, never let the page be framed.
      "referrer-policy": "no-referrer",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      "x-content-type-options": "nosniff",
    },
    body,
  };
}

const unavailable = () => htmlResponse(404, renderLinkUnavailablePage());

interface OpenLink {
  request: StoredRequest;
  round: Round;
  plan: Plan;
}

/** The request, open round and plan behind a link, or nothing: unknown, expired and closed look the same. */
async function resolveLink(token: string | undefined): Promise<OpenLink | undefined> {
  if (!token || !isWellFormedLinkToken(token)) return undefined;
  const request = await repository.findRequestByLinkHash(hashLinkToken(token));
  if (!request) return undefined;
  const round = await repository.findRound(request.planId, request.fiscalYear, request.quarter);
  if (round?.status !== "open") return undefined;
  const plan = await repository.getPlan(request.planId);
  return { request, round, plan };
}

function formContext(link: OpenLink) {
  const institution = link.plan.institutions.find((candidate) => candidate.id === link.request.institutionId);
  if (!institution) throw new DomainError("plan-mismatch", `Institution ${link.request.institutionId} left the plan`);
  return {
    plan: link.plan,
    institution,
    fiscalYear: link.request.fiscalYear,
    quarter: link.request.quarter,
    deadline: new Date(link.round.deadline),
    submittedVersions: link.request.latestVersion ?? 0,
  };
}

/**
 * Resumes the task waiting for this answer. The token is read again after the answer is stored (consistently):
 * the workflow may have parked a new one meanwhile (the late-answer wait), and a token bound after the answer
 * landed is resumed by the workflow's own step instead (it sees the request answered).
 */
async function resumeWaitingTask(request: StoredRequest): Promise<void> {
  const current = await repository.findRequest(
    request.planId,
    request.fiscalYear,
    request.quarter,
    request.institutionId,
  );
  if (!current?.taskToken) return;
  const resumed = await workflow.succeed(current.taskToken, answeredOutput(current));
  if (!resumed) logger.warn("answer stored but no task was waiting", { institutionId: request.institutionId });
}

/** GET: the form, prefilled with the last answer of this round, or else with the institution's known cases. */
async function showForm(link: OpenLink): Promise<Response> {
  const { request } = link;
  const latest = await repository.findLatestSubmission(
    request.planId,
    request.fiscalYear,
    request.quarter,
    request.institutionId,
  );
  const values: FormValues = latest
    ? reportToFormValues(latest.report)
    : knownCasesToFormValues(await repository.listKnownCases(request.planId, request.institutionId));
  return htmlResponse(200, renderFormPage(formContext(link), values));
}

function decodeBody(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return bytes.toString("utf8");
}

/**
 * POST: validate, then store and resume.
 * 1. Parse the urlencoded body; drop spare case rows left blank.
 * 2. Invalid: the form again with the input kept and each wrong field named; nothing stored.
 * 3. Valid: one transaction stores the version, moves the pointer, marks the request, writes the audit entry.
 *    A concurrent correction makes it lose; it is read again and retried once.
 * 4. The first answer of the round resumes the waiting workflow task; a correction resumes nothing.
 * 5. The receipt page with its receipt number.
 */
async function submitForm(link: OpenLink, body: string, token: string, now: Date): Promise<Response> {
  const parsed = qs.parse(body, { depth: 4, arrayLimit: MAX_CASES_PER_REPORT + 50, parameterLimit: 50_000 }) as Record<
    string,
    unknown
  >;
  const raw = { ...parsed, cases: dropBlankCaseRows(parsed.cases ?? []) };
  const context = formContext(link);
  const checked = checkQuarterlyReport(link.plan, link.request.fiscalYear, raw);
  if (!checked.ok) {
    const values = raw as unknown as FormValues;
    return htmlResponse(
      400,
      renderFormPage(context, { ...values, cases: Array.isArray(values.cases) ? values.cases : [] }, checked.errors),
    );
  }
  const receipt = (version: number, submittedAt: Date) =>
    htmlResponse(
      200,
      renderReceiptPage({
        plan: link.plan,
        institution: context.institution,
        fiscalYear: link.request.fiscalYear,
        quarter: link.request.quarter,
        receiptNumber: receiptNumber(
          link.request.fiscalYear,
          link.request.quarter,
          link.request.institutionId,
          version,
        ),
        version,
        submittedAt,
        formUrl: `/forms/${token}`,
      }),
    );
  // The same answer sent again (a double click, a reload of the receipt) is the version already stored, not a
  // correction: nothing is written and the receipt of that version is shown.
  const latest = await repository.findLatestSubmission(
    link.request.planId,
    link.request.fiscalYear,
    link.request.quarter,
    link.request.institutionId,
  );
  if (latest && sameReport(latest.report, checked.value)) return receipt(latest.version, new Date(latest.submittedAt));
  let request = link.request;
  for (let attempt = 0; ; attempt++) {
    const previousVersion = request.latestVersion ?? 0;
    const firstAnswer = request.status !== "answered";
    const version = previousVersion + 1;
    const answeredOnTime = isOnTime(now, new Date(link.round.deadline));
    try {
      await repository.storeSubmission({
        submission: {
          planId: request.planId,
          fiscalYear: request.fiscalYear,
          quarter: request.quarter,
          institutionId: request.institutionId,
          version,
          submittedAt: now.toISOString(),
          channel: "web-form",
          report: checked.value,
        },
        previousVersion,
        answeredOnTime,
        firstAnswer,
        auditId: randomUUID(),
        actor: `institution:${request.institutionId}`,
      });
    } catch (error) {
      if (error instanceof ConflictError && attempt === 0) {
        const fresh = await repository.findRequest(
          request.planId,
          request.fiscalYear,
          request.quarter,
          request.institutionId,
        );
        if (fresh) request = fresh;
        continue;
      }
      throw error;
    }
    // The answer is stored: what follows must not turn its receipt into an error page. A failed prefill update
    // only delays a prefill; a lost resume only delays the round until the wait times out, and the answer counts
    // from the table either way.
    try {
      await repository.rememberCases(request.planId, request.institutionId, checked.value.cases, {
        fiscalYear: request.fiscalYear,
        quarter: request.quarter,
      });
      if (firstAnswer) await resumeWaitingTask(request);
    } catch (error) {
      logger.error("answer stored; follow-up step failed", {
        error: error as Error,
        institutionId: request.institutionId,
      });
    }
    logger.info("submission stored", { institutionId: request.institutionId, version, firstAnswer });
    return receipt(version, now);
  }
}

/** Routes GET and POST /forms/{token}; every failure becomes a page, never a stack trace. */
export async function handleForm(event: APIGatewayProxyEventV2, now = new Date()): Promise<Response> {
  try {
    const method = event.requestContext.http.method;
    const token = event.pathParameters?.token;
    const body = method === "POST" ? decodeBody(event) : "";
    const link = await resolveLink(token);
    if (!link || !token) return unavailable();
    if (method === "GET") return await showForm(link);
    if (method === "POST") return await submitForm(link, body, token, now);
    return htmlResponse(405, renderServerErrorPage());
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return htmlResponse(413, renderTooLargePage(MAX_BODY_BYTES));
    if (error instanceof DomainError && error.status === 410) return unavailable();
    logger.error("form request failed", { error: error as Error });
    return htmlResponse(500, renderServerErrorPage());
  }
}

export const handler = middy<APIGatewayProxyEventV2, Response>().handler((event) => handleForm(event));
