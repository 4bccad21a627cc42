import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { answerWorkbookFileName, buildAnswerWorkbook } from "../domain/answer-file/build.ts";
import { type AnswerFileError, readAnswerFile } from "../domain/answer-file/read.ts";
import { MethodNotAllowedError } from "../domain/errors.ts";
import {
  ANSWER_FILE_FIELD,
  MAX_UPLOAD_FILE_BYTES,
  renderFormPage,
  SUBMISSION_KEY_FIELD,
} from "../domain/html/form-page.ts";
import { renderLinkUnavailablePage, renderServerErrorPage } from "../domain/html/pages.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { readEnv, tableEnv } from "./adapters/env.ts";
import { openTable } from "./adapters/table/index.ts";
import { httpErrorPages } from "./http/errors.ts";
import { readMultipart } from "./http/multipart.ts";
import { OpenForms, type OpenLink, postedSubmissionKey } from "./http/open-forms.ts";
import { downloadResponse, type HttpResponse, htmlResponse } from "./http/responses.ts";
import { SubmitAnswer } from "./use-cases/submit-answer.ts";

const env = readEnv(tableEnv);
const table = openTable(documentClient, env.TABLE_NAME);
const forms = new OpenForms(table);
const submitAnswer = new SubmitAnswer({ table, newId: randomUUID });

/** A multipart body around the largest file: the file, its part headers and the submission key. */
export const MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_FILE_BYTES + 64 * 1024;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const TOO_LARGE: AnswerFileError = {
  ja: `ウェブからアップロードできるファイルは${MAX_UPLOAD_FILE_BYTES / 1024 / 1024}MBまでです。画像などを除いて保存し直すか、CSVで保存してください。`,
  en: `Files uploaded on the web may be at most ${MAX_UPLOAD_FILE_BYTES / 1024 / 1024} MB. Remove pictures or save as CSV.`,
};
const NO_FILE: AnswerFileError = {
  ja: "ファイルが選ばれていません。記入済みのファイルを選んでから送信してください。",
  en: "No file was chosen. Choose the filled file and send it again.",
};

/** GET: the quarter's workbook, prefilled as the web form is (the last answer, or else the known cases). */
async function downloadWorkbook(link: OpenLink): Promise<HttpResponse> {
  const { values } = await forms.prefill(link);
  const context = forms.context(link);
  const bytes = await buildAnswerWorkbook({ ...context, values });
  return downloadResponse({ name: answerWorkbookFileName(context), contentType: XLSX_TYPE, bytes });
}

/** The form page again, prefilled as before, with the file's errors in its file section; nothing was stored. */
async function refuseFile(
  link: OpenLink,
  status: number,
  errors: readonly AnswerFileError[],
  key?: string,
): Promise<HttpResponse> {
  const { values, lastSaidNothingToReport } = await forms.prefill(link);
  const context = { ...forms.context(link, { file: key }), lastSaidNothingToReport, fileErrors: errors };
  return htmlResponse(status, renderFormPage(context, values));
}

/**
 * POST: an uploaded workbook or CSV, stored as the web form's answer would be.
 * 1. Refuse a body over the upload limit before parsing it (the file's own limit is in readAnswerFile too).
 * 2. Read the multipart body: the file and the page's submission key.
 * 3. readAnswerFile checks it with the web form's schema; errors: the form page again, listing them, nothing stored.
 * 4. Valid: SubmitAnswer stores it (versions, receipt, the same key storing once) and the receipt page shows it.
 */
async function uploadFile(link: OpenLink, event: APIGatewayProxyEventV2): Promise<HttpResponse> {
  const raw = event.body ?? "";
  const body = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (body.byteLength > MAX_UPLOAD_BODY_BYTES) return refuseFile(link, 413, [TOO_LARGE]);
  const contentType = event.headers["content-type"] ?? "";
  let form: Awaited<ReturnType<typeof readMultipart>>;
  try {
    form = await readMultipart(body, contentType, {
      fileField: ANSWER_FILE_FIELD,
      maxFileBytes: MAX_UPLOAD_FILE_BYTES,
    });
  } catch {
    return refuseFile(link, 400, [NO_FILE]);
  }
  const submissionKey = postedSubmissionKey(form.fields[SUBMISSION_KEY_FIELD]);
  const { file } = form;
  if (!file || (file.fileName === "" && file.bytes.byteLength === 0))
    return refuseFile(link, 400, [NO_FILE], submissionKey);
  if (file.truncated) return refuseFile(link, 413, [TOO_LARGE], submissionKey);
  const context = forms.context(link);
  const read = await readAnswerFile(file, context);
  if (!read.ok) return refuseFile(link, 400, read.errors, submissionKey);
  const receipt = await submitAnswer.submit({
    request: link.request,
    report: read.answer,
    channel: "spreadsheet",
    submissionKey,
    actor: `institution:${link.request.institutionId}`,
  });
  return htmlResponse(200, forms.receiptPage(link, receipt, read.answer));
}

/** Routes GET and POST /forms/{token}/file. */
export async function handleAnswerFile(event: APIGatewayProxyEventV2): Promise<HttpResponse> {
  const method = event.requestContext.http.method;
  if (method !== "GET" && method !== "POST") throw new MethodNotAllowedError(method);
  const link = await forms.resolve(event.pathParameters?.token);
  return method === "GET" ? downloadWorkbook(link) : uploadFile(link, event);
}

/** Unknown, expired and closed links get the form's one page for them, so a link's existence is never revealed. */
function errorPage(status: number): HttpResponse {
  if (status === 404 || status === 410) return htmlResponse(404, renderLinkUnavailablePage());
  return htmlResponse(Math.min(status, 500), renderServerErrorPage());
}

export const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
  .use(httpErrorPages(errorPage))
  .handler((event) => handleAnswerFile(event));
