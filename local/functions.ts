import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { catalog, type FunctionName } from "../functions/catalog.ts";
import { PROJECT_ROOT } from "../infra/app.ts";

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<FunctionName, Promise<Handler>>();

/** Imports a catalog function's handler from source, once; its module reads process.env as Lambda's would. */
function loadHandler(name: FunctionName): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    const url = pathToFileURL(join(PROJECT_ROOT, catalog[name].entry)).href;
    handler = import(url).then((module: { handler: Handler }) => module.handler);
    loaded.set(name, handler);
  }
  return handler;
}

/**
 * Invokes a catalog function in process with a Lambda-shaped context (the runtime's object: no engine exists for
 * it, and the handlers only read its request id and remaining time).
 */
export async function invokeInProcess(name: FunctionName, event: unknown): Promise<unknown> {
  const handler = await loadHandler(name);
  const deadline = Date.now() + 30_000;
  const context = {
    functionName: name,
    functionVersion: "$LATEST",
    awsRequestId: randomUUID(),
    invokedFunctionArn: `local:${name}`,
    memoryLimitInMB: "512",
    logGroupName: `/local/${name}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  } satisfies Context;
  // A Lambda payload crosses JSON both ways; so does the local one, so nothing passes that AWS would not carry.
  const result = await handler(JSON.parse(JSON.stringify(event ?? null)), context);
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
