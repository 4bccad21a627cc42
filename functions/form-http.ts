import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { MethodNotAllowedError, PayloadTooLargeError } from "../domain/errors.ts";
import { checkQuarterlyReport, formRows } from "../domain/form.ts";
import { type FormValues, readPostedForm } from "../domain/html/form-fields.ts";
import { renderFormPage, SUBMISSION_KEY_FIELD } from "../domain/html/form-page.ts";
import { renderLinkUnavailablePage, renderServerErrorPage, renderTooLargePage } from "../domain/html/pages.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { httpErrorPages } from "./http/errors.ts";
import { OpenForms, type OpenLink, postedSubmissionKey } from "./http/open-forms.ts";
import { type HttpResponse, htmlResponse } from "./http/responses.ts";
import { SubmitAnswer } from "./use-cases/submit-answer.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);
const forms = new OpenForms(table);
const submitAnswer = new SubmitAnswer({ table, newId: randomUUID });

/** The largest form body accepted; larger ones are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

/** GET: the form, prefilled with the last answer of this round, or else with the institution's known cases. */
async function showForm(link: OpenLink): Promise<HttpResponse> {
  const { values, lastSaidNothingToReport } = await forms.prefill(link);
  return htmlResponse(200, renderFormPage({ ...forms.context(link), lastSaidNothingToReport }, values));
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
async function submitForm(link: OpenLink, body: string): Promise<HttpResponse> {
  const parsed = readPostedForm(body);
  const submissionKey = postedSubmissionKey(parsed[SUBMISSION_KEY_FIELD]);
  const checked = checkQuarterlyReport(link.plan, link.request.fiscalYear, parsed);
  if (!checked.ok) {
    const keptKey = parsed.nothingToReport ? { nothingToReport: submissionKey } : { answer: submissionKey };
    const values: FormValues = {
      cases: formRows(parsed.cases) as FormValues["cases"],
      counts: parsed.counts as FormValues["counts"],
      narrative: parsed.narrative as FormValues["narrative"],
    };
    return htmlResponse(400, renderFormPage(forms.context(link, keptKey), values, checked.errors));
  }
  const receipt = await submitAnswer.submit({
    request: link.request,
    report: checked.value,
    channel: "web-form",
    submissionKey,
    actor: `institution:${link.request.institutionId}`,
  });
  return htmlResponse(200, forms.receiptPage(link, receipt, checked.value));
}

/** Routes GET and POST /forms/{token}. */
export async function handleForm(event: APIGatewayProxyEventV2): Promise<HttpResponse> {
  const method = event.requestContext.http.method;
  if (method !== "GET" && method !== "POST") throw new MethodNotAllowedError(method);
  const token = event.pathParameters?.token;
  const body = method === "POST" ? decodeBody(event) : "";
  const link = await forms.resolve(token);
  return method === "GET" ? showForm(link) : submitForm(link, body);
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
