import { createRequire } from "node:module";
import type { RunningEngine } from "./dynamodb.ts";
import { freePort } from "./ports.ts";

// The package is CommonJS with `exports.default`; loaded through require, it looks the same under tsx and vitest.
type StartSes = (config: { host: string; port: number }) => Promise<import("node:http").Server>;
const sesLocal = (createRequire(import.meta.url)("aws-ses-v2-local") as { default: StartSes }).default;

/** Starts the SES emulator (aws-ses-v2-local); its mailbox page is at the endpoint's root, its store at /store. */
export async function startSesLocal(options: { port?: number } = {}): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  const server = await sesLocal({ host: "127.0.0.1", port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One email as the emulator's store holds it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Reads the emulator's mailbox through its HTTP API, as the mailbox page does. */
export async function readMailbox(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}
