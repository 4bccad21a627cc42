import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { NotFoundError } from "../domain/errors.ts";
import { renderReportUnavailablePage, renderServerErrorPage } from "../domain/html/pages.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../domain/link-token.ts";
import { REPORT_FILE_NAME } from "../domain/report/files.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { bucketEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { openTable } from "./adapters/table/index.ts";
import { httpErrorPages } from "./http/errors.ts";
import { fileResponse, type HttpResponse, htmlResponse } from "./http/responses.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const store = new ReportStore(s3Client, env.REPORTS_BUCKET);

/** Serves a draft's files to the holder of the secretariat's emailed link: GET /reports/{token}/[data/]{file}. */
export async function serveReport(event: APIGatewayProxyEventV2, now = new Date()): Promise<HttpResponse> {
  const token = event.pathParameters?.token ?? "";
  const file = event.pathParameters?.file ?? "";
  const inData = event.rawPath.includes("/data/");
  if (!isWellFormedLinkToken(token) || !REPORT_FILE_NAME.test(file)) throw new NotFoundError("Report file");
  const link = await table.reviews.findReportLinkByHash(hashLinkToken(token));
  if (!link || Date.parse(link.expiresAt) < now.getTime()) throw new NotFoundError("Report link");
  const stored = await store.getFile(`${link.prefix}${inData ? "data/" : ""}${file}`);
  if (!stored) throw new NotFoundError("Report file");
  return fileResponse({ name: file, ...stored });
}

function errorPage(status: number): HttpResponse {
  return status < 500 ? htmlResponse(404, renderReportUnavailablePage()) : htmlResponse(500, renderServerErrorPage());
}

export const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
  .use(httpErrorPages(errorPage))
  .handler((event) => serveReport(event));
