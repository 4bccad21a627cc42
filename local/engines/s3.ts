import { mkdirSync } from "node:fs";
import S3rver from "s3rver";
import type { RunningEngine } from "./dynamodb.ts";
import { freePort } from "./ports.ts";

/** Starts s3rver, an S3-compatible server keeping objects in `directory`, reached by the standard S3 client. */
export async function startS3Local(options: { directory: string; port?: number }): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ port, address: "127.0.0.1", directory: options.directory, silent: true });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: async () => void (await server.close()) };
}
