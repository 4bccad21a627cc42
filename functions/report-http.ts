import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { page } from "../domain/html/escape.ts";
import { renderServerErrorPage } from "../domain/html/form-page.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../domain/link-token.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { bucketEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { PlanRepository } from "./adapters/table.ts";
import { logger } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv });
const repository = new PlanRepository(documentClient, env.TABLE_NAME);
const store = new ReportStore(s3Client, env.REPORTS_BUCKET);

type Response = APIGatewayProxyStructuredResultV2;

// Only a version's own files, by plain names: nothing that could climb out of its prefix.
const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(html|json|csv)$/;

function unavailable(): Response {
  return {
    statusCode: 404,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
    body: page(
      "このリンクは使用できません",
      `<h1>このリンクは使用できません</h1><p>リンクの有効期限が切れているか、ファイルがありません。事務局のシステム管理者にお問い合わせください。</p><p class="hint">This link cannot be used.</p>`,
    ),
  };
}

/** Serves a draft's files to the holder of the secretariat's emailed link: GET /reports/{token}/[data/]{file}. */
export async function serveReport(event: APIGatewayProxyEventV2, now = new Date()): Promise<Response> {
  try {
    const token = event.pathParameters?.token ?? "";
    const file = event.pathParameters?.file ?? "";
    const inData = event.rawPath.includes("/data/");
    if (!isWellFormedLinkToken(token) || !FILE_NAME.test(file)) return unavailable();
    const link = await repository.findReportLinkByHash(hashLinkToken(token));
    if (!link || Date.parse(link.expiresAt) < now.getTime()) return unavailable();
    const stored = await store.getFile(`${link.prefix}${inData ? "data/" : ""}${file}`);
    if (!stored) return unavailable();
    const headers: Record<string, string> = {
      "content-type": stored.contentType,
      "cache-control": "private, no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      // The report needs no script at all; inline styles and SVG only.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    };
    if (file.endsWith(".csv")) headers["content-disposition"] = `attachment; filename="${file}"`;
    return { statusCode: 200, headers, body: stored.body };
  } catch (error) {
    logger.error("report request failed", { error: error as Error });
    return {
      statusCode: 500,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
      body: renderServerErrorPage(),
    };
  }
}

export const handler = middy<APIGatewayProxyEventV2, Response>().handler((event) => serveReport(event));
