import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { RunningEngine } from "./dynamodb.ts";

/** A secret the template declares, as the local engine serves it. */
export interface LocalSecret {
  arn: string;
  name: string;
  /** GenerateSecretString's length; the value is letters and digits, as with ExcludePunctuation. */
  length: number;
}

function generate(length: number): string {
  let value = "";
  while (value.length < length)
    value += randomBytes(length)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "");
  return value.slice(0, length);
}

/**
 * A local stand-in for Secrets Manager, which has no local engine here: it serves GetSecretValue (the one call the
 * handlers make) on loopback, in the service's own JSON protocol, so the handlers' ordinary SDK client reaches it
 * through AWS_ENDPOINT_URL_SECRETS_MANAGER. Values are generated as the template asks and, with `dataDir`, kept in
 * files (mode 600) so that a restart keeps every emailed link working.
 */
export async function startSecretsManagerLocal(options: {
  secrets: readonly LocalSecret[];
  dataDir?: string;
  port?: number;
}): Promise<RunningEngine> {
  const values = new Map<string, { secret: LocalSecret; value: string }>();
  for (const secret of options.secrets) {
    let value: string | undefined;
    if (options.dataDir) {
      const file = join(options.dataDir, `${secret.name}.txt`);
      if (existsSync(file)) value = readFileSync(file, "utf8").trim();
      else {
        mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
        value = generate(secret.length);
        writeFileSync(file, `${value}\n`, { mode: 0o600 });
      }
    }
    const entry = { secret, value: value ?? generate(secret.length) };
    values.set(secret.arn, entry);
    values.set(secret.name, entry);
  }
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
    response.end(JSON.stringify(body));
  };
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const action = String(request.headers["x-amz-target"] ?? "").replace("secretsmanager.", "");
    if (action !== "GetSecretValue")
      return answer(response, 400, {
        __type: "UnknownOperationException",
        message: `The local Secrets Manager serves GetSecretValue only, not ${action}`,
      });
    const { SecretId = "" } = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { SecretId?: string };
    const entry = values.get(SecretId);
    if (!entry)
      return answer(response, 400, {
        __type: "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret.",
      });
    answer(response, 200, {
      ARN: entry.secret.arn,
      Name: entry.secret.name,
      SecretString: entry.value,
      VersionId: "local",
      VersionStages: ["AWSCURRENT"],
      CreatedDate: Date.now() / 1000,
    });
  };
  const server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
