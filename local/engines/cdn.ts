import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, NoSuchKey, type S3Client } from "@aws-sdk/client-s3";
import type { RunningEngine } from "./dynamodb.ts";

/** What the template's distribution says: the bucket behind it, the folder it serves as its root, the root object. */
export interface LocalDistribution {
  bucket: string;
  /** The origin path without its leading slash and with a trailing one ("site/"), or "" for the bucket's root. */
  originPrefix: string;
  defaultRootObject: string;
}

/**
 * A local stand-in for the CloudFront distribution of the published site, which has no local engine: GET and HEAD
 * of `/<path>` answer with the object `<origin path>/<path>` of the local bucket, with the Content-Type and
 * Cache-Control it was stored with; `/` answers with the default root object. As behind CloudFront with origin
 * access control (the distribution may not list the bucket), a missing object is 403, and there is no directory
 * index: a year's page is `/<plan>/<year>/index.html`.
 */
export async function startCdnLocal(options: {
  distribution: LocalDistribution;
  s3: S3Client;
  port?: number;
}): Promise<RunningEngine> {
  const { distribution, s3 } = options;
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("Method not allowed");
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const key = `${distribution.originPrefix}${path === "/" ? distribution.defaultRootObject : path.slice(1)}`;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: distribution.bucket, Key: key }));
      const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      response.writeHead(200, {
        "content-type": object.ContentType ?? "application/octet-stream",
        ...(object.CacheControl ? { "cache-control": object.CacheControl } : {}),
        "content-length": body.length,
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      if (!(error instanceof NoSuchKey || (error as Error).name === "NoSuchKey")) throw error;
      response.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end("AccessDenied");
    }
  };
  const server = createServer((request, response) =>
    serve(request, response).catch((error: unknown) => {
      console.error("local CDN error", error);
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end("Bad gateway");
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
