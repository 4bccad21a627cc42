import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClients } from "../../local/cli/common.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import { runCli } from "../helpers/cli.ts";
import { formLinks, PLAN_ID } from "../helpers/rounds.ts";
import { childrenOf, freePorts, isAlive, type StackProcess, startStackProcess } from "../helpers/stack-process.ts";

// `npm start` as a person runs it, in a process of its own with its own DynamoDB Local (a java child process), on a
// data directory kept across its restarts; killed the ways a machine kills things. The tests run in order.

let dataDir: string;
let ports: Awaited<ReturnType<typeof freePorts>>;
const started: StackProcess[] = [];
const javas = new Set<number>();

/** `pdca round <command>` for the round these tests use, on their data directory. */
function round(command: "start" | "status"): string[] {
  return ["round", command, "--plan", PLAN_ID, "--fiscal-year", "2021", "--quarter", "1", "--data-dir", dataDir];
}

function javaOf(stack: StackProcess): number {
  const [java] = childrenOf(stack.pid, "java");
  if (!java) throw new Error(`no java child of ${stack.pid}`);
  javas.add(java);
  return java;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pdca-stack-process-"));
  ports = await freePorts();
});
afterAll(() => {
  // Whatever a failed test left running is ended here, so no engine outlives the run.
  for (const stack of started) if (stack.child.exitCode === null) stack.child.kill("SIGKILL");
  for (const java of javas) if (isAlive(java)) process.kill(java, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the local stack as its own process", () => {
  it("restarts a DynamoDB Local that died, says so in its log and on the status page, and Ctrl-C still stops it", async () => {
    const stack = await startStackProcess(dataDir, ports);
    started.push(stack);
    const cli = await runCli([...round("start"), "--deadline-minutes", "60"]);
    expect(cli.stdout).toContain("照会を開始しました");
    // Every request emailed and recorded as such, so the engine's death below cuts no send in half (a send cut
    // between the email and its record is retried and emails again, which is the handler's business, not this test's).
    const clients = localClients(stack.stack);
    try {
      await expect
        .poll(
          async () =>
            (await clients.table.requests.listRequests(PLAN_ID, 2021, 1)).filter((request) => request.emailedAt).length,
          { timeout: 30_000 },
        )
        .toBe(5);
    } finally {
      clients.close();
    }
    expect(await readMailbox(stack.stack.urls.mailbox)).toHaveLength(5);

    const first = javaOf(stack);
    process.kill(first, "SIGKILL");
    await expect
      .poll(async () => (await fetch(stack.stack.urls.status)).text(), { timeout: 60_000, interval: 500 })
      .toContain("DynamoDB Local を再起動しました");
    const page = await (await fetch(stack.stack.urls.status)).text();
    expect(page).toContain(`DynamoDB Local（pid ${first}）が停止しました（シグナル SIGKILL）`);
    expect(page).toContain("died (signal SIGKILL); restarting it on the same port and data");
    expect(stack.output()).toContain("DynamoDB Local を再起動しました");
    const second = javaOf(stack);
    expect(second).not.toBe(first);

    // The data is where it was: the round started before the engine died is still there, still open.
    const status = await runCli(round("status"));
    expect(status.stdout).toContain("受付中");

    stack.child.kill("SIGINT");
    const exit = await Promise.race([stack.exited, new Promise((resolve) => setTimeout(resolve, 60_000, "hung"))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isAlive(second)).toBe(false);
  });

  it("finds the mail it sent before the restart in its mailbox, with links that still work", async () => {
    const stack = await startStackProcess(dataDir, ports);
    started.push(stack);
    const mails = await readMailbox(stack.stack.urls.mailbox);
    // The five requests of the round started before; resuming that round emailed no one again.
    expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual([
      "dogin@example.jp",
      "hokuyo@example.jp",
      "hro@example.jp",
      "hsc@example.jp",
      "nortec@example.jp",
    ]);
    expect(stack.output()).toContain(`再開した照会 / resumed rounds: ${PLAN_ID}-2021-Q1`);
    const link = formLinks(mails[0]?.body.text ?? "")[0] ?? "";
    expect(link).toMatch(/\/forms\//);
    const form = await fetch(link);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("2021年度（令和3年度） 第1四半期（4月〜6月） 実施状況報告");
  });

  it("takes its DynamoDB Local with it when it is killed outright", async () => {
    const previous = started.at(-1);
    const stack = previous?.child.exitCode === null ? previous : await startStackProcess(dataDir, ports);
    if (stack !== previous) started.push(stack);
    const java = javaOf(stack);
    stack.child.kill("SIGKILL");
    await stack.exited;
    await expect.poll(() => isAlive(java), { timeout: 20_000, interval: 250 }).toBe(false);
  });
});
