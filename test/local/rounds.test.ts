import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListExecutionsCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoundNotStartedError } from "../../functions/use-cases/start-round.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { runCli } from "../helpers/cli.ts";
import { sfnClientOf, startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// Starting a round, the one way the CLI, the status page and a restart share (local/rounds.ts), against the local
// stack; the CLI runs as its own process, as a person runs it, and finds the stack through its data directory.

let stack: LocalStack;
let sfn: SFNClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pdca-rounds-"));
  stack = await startTestStack(undefined, { dataDir });
  sfn = sfnClientOf(stack);
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function executionsNamed(prefix: string) {
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.collectionArn }));
  return executions.filter((execution) => execution.name?.startsWith(prefix));
}

const roundArgs = (fiscalYear: number, quarter: number) => [
  "round",
  "start",
  "--plan",
  PLAN_ID,
  "--fiscal-year",
  String(fiscalYear),
  "--quarter",
  String(quarter),
  "--data-dir",
  dataDir,
];

describe("starting a round", () => {
  it("starts it once when two people start it at the same moment, and tells the other plainly", async () => {
    const deadline = new Date(Date.now() + 60 * 60_000).toISOString();
    const input = { planId: PLAN_ID, fiscalYear: 2020, quarter: 1 as const, deadline };
    const outcomes = await Promise.allSettled([stack.startRound(input), stack.startRound(input)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((outcome) => outcome.status === "rejected")?.reason;
    expect(refused).toBeInstanceOf(RoundNotStartedError);
    expect(refused).toMatchObject({ reason: "running" });
    expect(refused.message).toContain("2020年度（令和2年度） 第1四半期（4月〜6月）の照会はすでに実行中です");
    expect(refused.message).toContain(`The round ${PLAN_ID}-2020-Q1 is already running.`);
    expect((await executionsNamed(`${PLAN_ID}-2020-Q1`)).map((execution) => execution.status)).toEqual(["RUNNING"]);

    // The command says the same, in words and with no stack trace.
    const cli = await runCli(roundArgs(2020, 1));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("の照会はすでに実行中です");
    expect(cli.stderr).not.toMatch(/ExecutionAlreadyExists|\n\s+at /);
  });

  it("refuses a closed round in words, starting nothing and emailing no one", async () => {
    const now = Date.now();
    const { executionArn } = await stack.startRound({
      planId: PLAN_ID,
      fiscalYear: 2020,
      quarter: 2,
      deadline: new Date(now + 1_000).toISOString(),
      closesAt: new Date(now + 1_500).toISOString(),
    });
    expect((await stack.stepFunctions.waitForExecution(executionArn, 30_000)).status).toBe("SUCCEEDED");
    const mailsBefore = (await readMailbox(stack.urls.mailbox)).length;

    const cli = await runCli(roundArgs(2020, 2));
    expect(cli.code).toBe(1);
    expect(cli.stdout).not.toContain("照会を開始しました");
    expect(cli.stderr).toContain("2020年度（令和2年度） 第2四半期（7月〜9月）の照会は締め切られています");
    expect(cli.stderr).toContain(`The round ${PLAN_ID}-2020-Q2 is closed: nothing was started and no one was emailed.`);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    await expect(stack.startRound({ planId: PLAN_ID, fiscalYear: 2020, quarter: 2 })).rejects.toMatchObject({
      reason: "closed",
    });
    expect(await executionsNamed(`${PLAN_ID}-2020-Q2`)).toHaveLength(1);
    expect(await readMailbox(stack.urls.mailbox)).toHaveLength(mailsBefore);
  });

  it("says it resumed an open round whose execution stopped, under the next free name", async () => {
    const deadline = new Date(Date.now() + 60 * 60_000).toISOString();
    const first = await stack.startRound({ planId: PLAN_ID, fiscalYear: 2020, quarter: 3, deadline });
    expect(first).toMatchObject({ name: `${PLAN_ID}-2020-Q3`, resumed: false });
    await expect.poll(() => stack.table.rounds.findRound(PLAN_ID, 2020, 3)).toMatchObject({ status: "open" });
    stack.stepFunctions.abortAll();

    const cli = await runCli(roundArgs(2020, 3));
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(
      `2020年度（令和2年度） 第3四半期（10月〜12月）の照会を再開しました（${PLAN_ID}-2020-Q3-2）`,
    );
    expect(cli.stdout).toContain("Resumed the round");
  });

  it("names an unknown plan instead of failing inside the workflow", async () => {
    const cli = await runCli([
      "round",
      "start",
      "--plan",
      "no-such-plan",
      "--fiscal-year",
      "2020",
      "--quarter",
      "4",
      "--data-dir",
      dataDir,
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("計画「no-such-plan」はありません");
    expect(cli.stderr).toContain("No plan no-such-plan");
  });
});
