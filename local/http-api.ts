import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** API Gateway's own payload limit; the handlers enforce their smaller ones. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** A route of the template's HTTP API: "GET /forms/{token}" → a function. */
export interface LocalRoute {
  routeKey: string;
  invoke(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
}

/** Pages the local stack serves beside the API (status page, start button). */
export type ExtraHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<boolean>;

function matcher(routeKey: string): { method: string; pattern: RegExp; names: string[] } {
  const [method = "ANY", path = "/"] = routeKey.split(" ");
  const names: string[] = [];
  const pattern = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { method, pattern: new RegExp(`^${pattern}$`), names };
}

/**
 * Serves the template's HTTP API routes on loopback, turning each request into the payload format 2.0 event that
 * API Gateway would send, and answers everything else with the local pages.
 */
export class LocalHttpApi {
  private server?: Server;
  private readonly routes: Array<ReturnType<typeof matcher> & { route: LocalRoute }>;

  constructor(
    routes: LocalRoute[],
    private readonly extra: ExtraHandler,
  ) {
    this.routes = routes.map((route) => ({ ...matcher(route.routeKey), route }));
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(port, "127.0.0.1", resolve);
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAYLOAD_BYTES) {
          response.writeHead(413, { "content-type": "text/plain" }).end("Payload too large");
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? "/", "http://localhost");
      const method = request.method ?? "GET";
      for (const { method: routeMethod, pattern, names, route } of this.routes) {
        const match = pattern.exec(url.pathname);
        if (!match || (routeMethod !== "ANY" && routeMethod !== method)) continue;
        const pathParameters = Object.fromEntries(
          names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? "")]),
        );
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(",") : (value ?? ""),
          ]),
        );
        // API Gateway hands the Cookie header to the function as a `cookies` list and takes it out of the headers.
        const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
        delete headers.cookie;
        const contentType = headers["content-type"] ?? "";
        // HTTP APIs base64-encode bodies that are not plainly text, form posts among them.
        const isBase64Encoded = body.length > 0 && !/^(text\/|application\/json)/.test(contentType);
        const event: APIGatewayProxyEventV2 = {
          version: "2.0",
          routeKey: route.routeKey,
          rawPath: url.pathname,
          rawQueryString: url.search.slice(1),
          headers,
          cookies,
          pathParameters,
          queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
          body: body.length ? body.toString(isBase64Encoded ? "base64" : "utf8") : undefined,
          isBase64Encoded,
          requestContext: {
            accountId: "000000000000",
            apiId: "local",
            domainName: headers.host ?? "localhost",
            domainPrefix: "local",
            http: {
              method,
              path: url.pathname,
              protocol: "HTTP/1.1",
              sourceIp: request.socket.remoteAddress ?? "",
              userAgent: headers["user-agent"] ?? "",
            },
            requestId: crypto.randomUUID(),
            routeKey: route.routeKey,
            stage: "$default",
            time: new Date().toUTCString(),
            timeEpoch: Date.now(),
          },
        };
        const result = await route.invoke(event);
        // A returned `cookies` list becomes one Set-Cookie header each, as API Gateway sends them.
        const outgoing: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
        if (result.cookies?.length) outgoing["set-cookie"] = result.cookies;
        response.writeHead(result.statusCode ?? 200, outgoing);
        response.end(result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? ""));
        return;
      }
      if (await this.extra(request, response, body)) return;
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
    } catch (error) {
      console.error("local API error", error);
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal error");
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
