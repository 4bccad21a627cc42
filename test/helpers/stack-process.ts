import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";
import type { RunningStack } from "../../local/cli/common.ts";
import { freePort } from "../../local/engines/ports.ts";
import { type LocalStackOptions, STACK_FILE } from "../../local/stack.ts";

/** A local stack running as `npm start` runs it, in a process of its own. */
export interface StackProcess {
  child: ChildProcess;
  pid: number;
  stack: RunningStack;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the stack in a process of its own on `dataDir` and `ports` (the same ones on a restart, as npm start's
 * fixed ports are, so emailed links keep working), and waits until it has described itself there.
 */
export async function startStackProcess(
  dataDir: string,
  ports: LocalStackOptions["ports"],
  plansDirectory?: string,
): Promise<StackProcess> {
  const script = join(PROJECT_ROOT, "test/helpers/stack-main.ts");
  const args = [script, dataDir, JSON.stringify(ports), ...(plansDirectory ? [plansDirectory] : [])];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid ?? 0;
  const file = join(dataDir, STACK_FILE);
  // A stack.json a killed stack left behind names another pid; wait for this process's own.
  const stack = await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`The stack exited while starting:\n${output}`);
      const described = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
      if (described?.pid !== pid) throw new Error("not started yet");
      return described as RunningStack;
    },
    { timeout: 180_000, interval: 250 },
  );
  return { child, pid, stack, output: () => output, exited };
}

/** The pids of a process's children whose command is `command` (ps, as on any Linux or macOS). */
export function childrenOf(pid: number, command: string): number[] {
  const listed = execFileSync("ps", ["-A", "-o", "pid=,ppid=,comm="], { encoding: "utf8" });
  return listed
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, parent, name]) => Number(parent) === pid && name === command)
    .map(([child]) => Number(child));
}

/** Whether a process runs; a zombie (dead, not yet reaped by whoever inherited it) does not. */
export function isAlive(pid: number): boolean {
  try {
    return !execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" })
      .trim()
      .startsWith("Z");
  } catch {
    return false;
  }
}

/** Free ports for every engine of a stack, to keep across its restarts. */
export async function freePorts(): Promise<NonNullable<LocalStackOptions["ports"]>> {
  return {
    api: await freePort(),
    ses: await freePort(),
    sfn: await freePort(),
    dynamodb: await freePort(),
    s3: await freePort(),
    smtp: await freePort(),
  };
}
