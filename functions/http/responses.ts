import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** What an HTTP handler returns to API Gateway (payload format 2.0). */
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/**
 * The headers every page and file of the platform carries. Links hold personal tokens in their path: never sent on
 * as a Referer, never cached, never framed. Pages need no script at all: inline styles, inline SVG, data: images,
 * and forms that post back to their own address.
 */
const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
} as const;

/** An HTML page with the platform's security headers. */
export function htmlResponse(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS }, body };
}

/** A stored file (report HTML, CSV, JSON) with the platform's security headers; CSV comes as a download. */
export function fileResponse(file: { name: string; contentType: string; body: string }): HttpResponse {
  const headers: Record<string, string> = { "content-type": file.contentType, ...SECURITY_HEADERS };
  if (file.name.endsWith(".csv")) headers["content-disposition"] = `attachment; filename="${file.name}"`;
  return { statusCode: 200, headers, body: file.body };
}

/**
 * A file to save (the answer workbook), base64 as API Gateway carries binary bodies. The name goes both as plain
 * ASCII and as RFC 6266's UTF-8 `filename*`, which browsers prefer, so a Japanese name survives.
 */
export function downloadResponse(file: { name: string; contentType: string; bytes: Uint8Array }): HttpResponse {
  const ascii = file.name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    statusCode: 200,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      ...SECURITY_HEADERS,
    },
    isBase64Encoded: true,
    body: Buffer.from(file.bytes).toString("base64"),
  };
}
