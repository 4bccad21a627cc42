import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";
import { simulationRefusal } from "../../local/cli/simulate.ts";
import { tryOutCommand } from "../../local/rounds.ts";
import type { LocalStack } from "../../local/stack.ts";
import { runCli } from "../helpers/cli.ts";
import { startTestStack } from "../helpers/local-stack.ts";

// The README's "Trying it out" walkthrough, read from the README itself and followed in its order on a local stack:
// the round it starts by hand must leave free every year it then tells the reader to simulate.

/** The `pdca` commands of the walkthrough's shell blocks, in order, with `for year in …` loops unrolled. */
function walkthroughCommands(): string[][] {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Trying it out"), readme.indexOf("### The `pdca` command"));
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => (block[1] ?? "").split("\n"));
  return lines.flatMap((line) => {
    const command = line.replace(/#.*$/, "").trim();
    const loop = /^for (\w+) in ([\d ]+); do (.+); done$/.exec(command);
    const expanded = loop
      ? (loop[2] ?? "")
          .trim()
          .split(/\s+/)
          .map((value) => (loop[3] ?? "").replaceAll(`$${loop[1]}`, value))
      : [command];
    return expanded
      .filter((text) => text.startsWith("npm run pdca -- "))
      .map((text) => text.replace("npm run pdca -- ", "").split(/\s+/));
  });
}

function option(args: string[], name: string): string {
  const value = args[args.indexOf(name) + 1];
  if (!args.includes(name) || value === undefined) throw new Error(`no ${name} in ${args.join(" ")}`);
  return value;
}

let stack: LocalStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pdca-walkthrough-"));
  stack = await startTestStack(undefined, { dataDir });
});
afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the README's walkthrough", () => {
  it("starts by hand the round the start banner and the status page offer", () => {
    const plan = stack.plans[0];
    if (!plan) throw new Error("no plan");
    const start = walkthroughCommands().find((args) => args[0] === "round" && args[1] === "start");
    expect(`npm run pdca -- ${start?.join(" ")}`).toBe(tryOutCommand(plan));
  });

  it("works in its own order: every year it simulates is still free after the round it starts by hand", async () => {
    const plan = stack.plans[0];
    if (!plan) throw new Error("no plan");
    const commands = walkthroughCommands();
    const simulated: number[] = [];
    for (const args of commands) {
      if (args[0] === "round") {
        const run = await runCli([...args, "--data-dir", dataDir]);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
      }
      if (args[0] === "simulate") {
        // Whether the year may be simulated, as the command decides it; the simulation itself is tested elsewhere.
        const year = Number(option(args, "--fiscal-year"));
        expect(await simulationRefusal(stack.table, plan, year)).toBeUndefined();
        simulated.push(year);
      }
    }
    expect(simulated).toEqual([2018, 2019, 2020, 2021]);
  });

  it("says which years are free when asked to simulate the year it tried by hand", async () => {
    const plan = stack.plans[0];
    if (!plan) throw new Error("no plan");
    await expect.poll(() => stack.table.rounds.listRounds(plan.id, 2022)).toHaveLength(1);
    const refusal = await simulationRefusal(stack.table, plan, 2022);
    expect(refusal).toContain("2022年度（令和4年度）にはすでに照会があります（第1四半期（4月〜6月）：受付中）");
    expect(refusal).toContain("照会のない年度：2018年度、2019年度、2020年度、2021年度");
    expect(refusal).toContain("Years without rounds: 2018, 2019, 2020, 2021.");
  });
});
