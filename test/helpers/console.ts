import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "vitest";
import { keys } from "../../domain/keys.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";

/** The console sign-in links mailed to an address, oldest first. */
export async function signInLinksTo(stack: LocalStack, address: string): Promise<string[]> {
  return (await readMailbox(stack.urls.mailbox))
    .filter((mail) => mail.destination.to.includes(address))
    .flatMap((mail) => [...(mail.body.text ?? "").matchAll(/https?:\/\/\S+\/console\/sign-in\/[A-Za-z0-9_-]{43}/g)])
    .map((match) => match[0]);
}

/** A request to the console as a browser makes it: a GET, or a form POST when there is a body; no redirects followed. */
export function consoleRequest(
  stack: LocalStack,
  path: string,
  options: { cookie?: string; body?: URLSearchParams } = {},
): Promise<Response> {
  return fetch(new URL(path, stack.urls.api), {
    method: options.body ? "POST" : "GET",
    redirect: "manual",
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: options.body?.toString(),
  });
}

/**
 * Signs in as a person would, without a browser: asks for a link, takes it from the mailbox, presses the button.
 * Returns the session cookie, the CSRF token its pages carry, and the hash the table keeps the session under.
 */
export async function signInByFetch(
  stack: LocalStack,
  address: string,
): Promise<{ cookie: string; csrf: string; sessionHash: string }> {
  const before = (await signInLinksTo(stack, address)).length;
  await consoleRequest(stack, "/console/sign-in", { body: new URLSearchParams({ email: address }) });
  await expect.poll(async () => (await signInLinksTo(stack, address)).length, { timeout: 10_000 }).toBe(before + 1);
  const link = (await signInLinksTo(stack, address)).at(-1) as string;
  const signedIn = await fetch(link, { method: "POST", redirect: "manual" });
  const cookie = (signedIn.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
  const page = await (await consoleRequest(stack, "/console", { cookie })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  const sessionId = cookie.slice("pdca_session=".length).split(".")[0] ?? "";
  return { cookie, csrf, sessionHash: createHash("sha256").update(sessionId).digest("hex") };
}

/** Moves a session's last request back in time, as if its holder had been away (straight into the local table). */
export async function backdateSession(stack: LocalStack, sessionHash: string, lastSeenAt: Date): Promise<void> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  await client.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: keys.consoleSession(sessionHash),
      UpdateExpression: "SET lastSeenAt = :at",
      ExpressionAttributeValues: { ":at": lastSeenAt.toISOString() },
    }),
  );
  client.destroy();
}
