import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { freePort, waitForPort } from "./ports.ts";

/** A running engine reached through the AWS SDK at `endpoint`. */
export interface RunningEngine {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, the official engine, from the jar shipped in the npm package amplify-dynamodb-simulator,
 * on the machine's Java 17. With `dataDir` the data survives restarts; without, it lives in memory (tests).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<RunningEngine> {
  const require = createRequire(import.meta.url);
  const jarDir = join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const storage = dataDir ? ["-dbPath", dataDir] : ["-inMemory"];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    "java",
    [
      `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
      "-Xmx512m",
      "-jar",
      join(jarDir, "DynamoDBLocal.jar"),
      "-port",
      String(port),
      "-sharedDb",
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working directory; keep it beside the data, not in the repo.
    { stdio: ["ignore", "ignore", "pipe"], cwd: dataDir ?? tmpdir() },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`DynamoDB Local exited (${code}): ${stderr.slice(-2000)}`))),
  );
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`Cannot start java for DynamoDB Local: ${error.message}`))),
  );
  await Promise.race([waitForPort(port, 30_000), exited, spawnFailed]);
  exited.catch(() => {});
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
