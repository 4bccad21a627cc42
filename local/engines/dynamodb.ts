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

/** How an engine's process ended: its exit code, or the signal that killed it (then `code` is null). */
export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it wrote to stderr, for the message that says it died. */
  stderr: string;
}

/** An engine that runs as a child process. */
export interface EngineProcess extends RunningEngine {
  pid: number;
  /** Settles once the process has exited, whichever way and whenever; already settled if it has. */
  exited: Promise<EngineExit>;
}

/**
 * Kills the process whose pid it is given as soon as its own stdin reaches end of file, which happens when the
 * process that holds the other end dies, even by SIGKILL. Java cannot watch its parent, so this small shell does.
 */
const WATCHDOG = 'read -r _line; kill -TERM "$1" 2>/dev/null';

/** A process's end, recorded from the moment it is spawned, so no later caller can miss an exit that already came. */
function exitOf(child: ChildProcess, stderr: () => string): Promise<EngineExit> {
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stderr: stderr().slice(-2000) })),
  );
}

/**
 * Starts DynamoDB Local, the official engine, from the jar shipped in the npm package amplify-dynamodb-simulator,
 * on the machine's Java 17. With `dataDir` the data survives restarts; without, it lives in memory (tests). Java
 * runs in a process group of its own, so a Ctrl-C meant for the stack does not kill it before the stack has
 * stopped what uses it; a watchdog ends it if the stack itself dies.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<EngineProcess> {
  const require = createRequire(import.meta.url);
  const jarDir = join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const storage = dataDir ? ["-dbPath", dataDir] : ["-inMemory"];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = spawn(
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
    { stdio: ["ignore", "ignore", "pipe"], cwd: dataDir ?? tmpdir(), detached: true },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = exitOf(child, () => stderr);
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`Cannot start java for DynamoDB Local: ${error.message}`))),
  );
  const exitedEarly = exited.then((exit) => {
    throw new Error(`DynamoDB Local exited (${exit.code ?? exit.signal}): ${exit.stderr}`);
  });
  try {
    await Promise.race([waitForPort(port, 30_000), exitedEarly, spawnFailed]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  exitedEarly.catch(() => {});
  const pid = child.pid ?? 0;
  const watchdog = spawn("sh", ["-c", WATCHDOG, "pdca-dynamodb-watchdog", String(pid)], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  // Its job ends with java's: it must never signal a pid the system has since given to another process.
  void exited.then(() => watchdog.kill("SIGKILL"));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const stubborn = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(stubborn);
      }
      await exited;
    },
  };
}
