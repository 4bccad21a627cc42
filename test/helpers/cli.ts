import { execFile } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../infra/app.ts";

/** What a `pdca` command printed, and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `pdca` command as a person would (a process of its own, through tsx), against a stack's data dir; `env`
 * adds to the environment (an AWS target's region, credentials and endpoints).
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "local/cli.ts"), ...args],
      { cwd: PROJECT_ROOT, timeout: 60_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
