import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { runCli } from "../helpers/cli.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// `pdca round remind`, as the secretariat runs it: a process of its own, finding the stack through its data
// directory and starting its SendReminderNow workflow.

let stack: LocalStack;
let dataDir: string;
let links: Map<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pdca-remind-"));
  stack = await startTestStack(undefined, { dataDir });
  ({ links } = await startRoundAndCollectLinks(stack, 2022, 2, 60 * 60_000, 60 * 60_000));
  expect((await postForm(links.get("hro@example.jp") ?? "", minimalAnswer())).status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const remind = (...extra: string[]) =>
  runCli([
    "round",
    "remind",
    "--plan",
    PLAN_ID,
    "--fiscal-year",
    "2022",
    "--quarter",
    "2",
    "--data-dir",
    dataDir,
    ...extra,
  ]);
const reminders = async () => (await readMailbox(stack.urls.mailbox)).filter((mail) => mail.subject.includes("再送"));

describe("pdca round remind", () => {
  it("reminds one institution now with its own link, and not again within the hour", async () => {
    const once = await remind("--institution", "dogin");
    expect(once.stdout).toContain("北海道銀行：督促を送りました / reminded");
    const [mail] = await reminders();
    expect(mail?.destination.to).toEqual(["dogin@example.jp"]);
    expect(mail?.body.text).toContain(links.get("dogin@example.jp"));
    expect(mail?.body.text).toContain("行き違いでご回答いただいている場合は");
    const again = await remind("--institution", "dogin");
    expect(again.stdout).toContain("1時間以内に督促済みのため送りません");
    expect(await reminders()).toHaveLength(1);
  });

  it("reminds every institution that has not answered, each once, and records each in the audit trail", async () => {
    const all = await remind();
    expect(all.stdout).toContain("道総研：回答済みのため送りません / answered already");
    expect(all.stdout).toContain("北海道銀行：1時間以内に督促済みのため送りません");
    expect((await reminders()).map((mail) => mail.destination.to[0]).sort()).toEqual([
      "dogin@example.jp",
      "hokuyo@example.jp",
      "hsc@example.jp",
      "nortec@example.jp",
    ]);
    const audit = await stack.table.submissions.listAudit(PLAN_ID, 2022);
    expect(audit.filter((entry) => entry.action === "manual-reminder")).toHaveLength(4);
    expect(audit.find((entry) => entry.action === "manual-reminder")?.actor).toMatch(/^pdca round remind/);
    const status = await runCli([
      "round",
      "status",
      "--plan",
      PLAN_ID,
      "--fiscal-year",
      "2022",
      "--quarter",
      "2",
      "--data-dir",
      dataDir,
    ]);
    expect(status.stdout).toMatch(/北海道銀行.*督促（事務局）/);
  });

  it("refuses plainly for a round that was never started", async () => {
    const refused = await runCli([
      "round",
      "remind",
      "--plan",
      PLAN_ID,
      "--fiscal-year",
      "2021",
      "--quarter",
      "4",
      "--data-dir",
      dataDir,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("督促を送れませんでした");
  });
});
