import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { RunningEngine } from "./dynamodb.ts";
import { freePort } from "./ports.ts";

/** One email as the emulator's store holds it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Files sent with it (raw messages only), their content in base64, as the mailbox page offers them. */
  attachments?: Array<{ filename?: string; contentType: string; content: string }>;
  at: number;
}

// The package is CommonJS with `exports.default`; loaded through require, it looks the same under tsx and vitest.
const require = createRequire(import.meta.url);
type StartSes = (config: { host: string; port: number }) => Promise<Server>;
const sesLocal = (require("aws-ses-v2-local") as { default: StartSes }).default;
/**
 * The emulator keeps its mailbox in one module-level object (dist/store.js) and has no way to load mail into it;
 * getStoreReadonly hands out that very object, which is how mail kept on disk goes back in.
 */
const sesStore = require("aws-ses-v2-local/dist/store") as {
  getStoreReadonly(): { emails: StoredEmail[] };
  clearStore(): void;
};

/** Writes the mailbox whole, through a temporary file, so a crash never leaves half a file. */
function saveMailbox(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ emails: sesStore.getStoreReadonly().emails }, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Starts the SES emulator (aws-ses-v2-local); its mailbox page is at the endpoint's root, its store at /store. With
 * `mailboxFile`, the mailbox survives restarts: it is loaded from the file at start and written back after every
 * request that changes it (a sent email, a cleared store), so the links people were sent can be found again.
 */
export async function startSesLocal(options: { port?: number; mailboxFile?: string } = {}): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  // A fresh emulator starts from its file, or empty, as it would in a process of its own.
  sesStore.clearStore();
  const { mailboxFile } = options;
  if (mailboxFile && existsSync(mailboxFile))
    sesStore.getStoreReadonly().emails.push(...(JSON.parse(readFileSync(mailboxFile, "utf8")).emails ?? []));
  const server = await sesLocal({ host: "127.0.0.1", port });
  if (mailboxFile)
    server.on("request", (request, response) => {
      if (request.method !== "GET") response.once("finish", () => saveMailbox(mailboxFile));
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          if (mailboxFile) saveMailbox(mailboxFile);
          resolve();
        }),
      ),
  };
}

/** Reads the emulator's mailbox through its HTTP API, as the mailbox page does. */
export async function readMailbox(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}
