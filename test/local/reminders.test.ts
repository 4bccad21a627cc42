import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isWithinBusinessHours } from "../../domain/business-days.ts";
import { jstInstant } from "../../domain/calendar.ts";
import { toVirtual } from "../../domain/round-schedule.ts";
import { localClients } from "../../local/cli/common.ts";
import { readMailbox, type StoredEmail } from "../../local/engines/ses.ts";
import { referencePlan } from "../fixtures/plans.ts";
import { runCli } from "../helpers/cli.ts";
import { formLinks, minimalAnswer, PLAN_ID, postForm } from "../helpers/rounds.ts";
import { childrenOf, freePorts, isAlive, type StackProcess, startStackProcess } from "../helpers/stack-process.ts";

// A whole round with its reminders, on the local stack as npm start runs it (a process of its own), killed with
// kill -9 in the middle and started again. The round is FY2019 Q3 on a compressed clock: the plan's own calendar,
// business days and all, from the request on Monday, January 6, 2020 (the 1st fell in the New Year holidays) to the
// deadline on Wednesday the 15th, runs in DEADLINE_SECONDS. Five institutions: two answer at once, one after the
// first reminder, two never; so exactly 15 mails: 5 requests, 3 first reminders, 2 reminders on the deadline's
// morning, 2 overdue notices, 2 escalations (to each institution's head, the secretariat in copy) and the summary.

const DEADLINE_SECONDS = 120;
let dataDir: string;
let plansDir: string;
let ports: Awaited<ReturnType<typeof freePorts>>;
const started: StackProcess[] = [];
const javas = new Set<number>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pdca-reminders-"));
  plansDir = join(dataDir, "plans");
  mkdirSync(plansDir);
  const plan = referencePlan();
  // Five business days before the deadline leaves a long quiet stretch after the first reminder to restart in.
  plan.collection = {
    ...plan.collection,
    lateAnswerDays: 5,
    reminders: [{ businessDays: -5 }, { businessDays: 0 }, { businessDays: 1 }],
  };
  plan.escalation = { afterBusinessDays: 2 };
  writeFileSync(join(plansDir, "plan.yaml"), stringify(plan));
  ports = await freePorts();
});
afterAll(() => {
  for (const stack of started) if (stack.child.exitCode === null) stack.child.kill("SIGKILL");
  for (const java of javas) if (isAlive(java)) process.kill(java, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<StackProcess> {
  const stack = await startStackProcess(dataDir, ports, plansDir);
  started.push(stack);
  for (const java of childrenOf(stack.pid, "java")) javas.add(java);
  return stack;
}

const round = ["--plan", PLAN_ID, "--fiscal-year", "2019", "--quarter", "3"];
const who = (mail: StoredEmail) => mail.destination.to.join(",");
const kindOf = (mail: StoredEmail) =>
  mail.subject.includes("回答期限を過ぎています")
    ? "overdue"
    : mail.subject.includes("ご確認のお願い")
      ? "escalation"
      : mail.subject.includes("再送")
        ? "reminder"
        : mail.subject.includes("締め切りました")
          ? "summary"
          : "request";

describe("a round's reminders, overdue notices and escalation", () => {
  it("sends exactly the expected mails, only in business hours, and nothing twice across a kill -9", async () => {
    let stack = await start();
    const cli = await runCli([
      "round",
      "start",
      ...round,
      "--deadline-minutes",
      String(DEADLINE_SECONDS / 60),
      "--data-dir",
      dataDir,
    ]);
    expect(cli.stdout).toContain("照会を開始しました");
    const mailbox = () => readMailbox(stack.stack.urls.mailbox);
    const ofKind = async (kind: string) => (await mailbox()).filter((mail) => kindOf(mail) === kind);
    await expect.poll(async () => (await ofKind("request")).length, { timeout: 30_000 }).toBe(5);
    const links = new Map(
      (await ofKind("request")).map((mail) => [who(mail), formLinks(mail.body.text ?? "")[0] ?? ""]),
    );

    // Two answer at once.
    for (const address of ["hro@example.jp", "nortec@example.jp"])
      expect((await postForm(links.get(address) ?? "", minimalAnswer())).status).toBe(200);
    // The first reminder, five business days before the deadline (Tuesday, January 7), to the three others, with
    // the link their request carried.
    await expect.poll(async () => (await ofKind("reminder")).length, { timeout: 60_000, interval: 250 }).toBe(3);
    const first = await ofKind("reminder");
    expect(first.map(who).sort()).toEqual(["dogin@example.jp", "hokuyo@example.jp", "hsc@example.jp"]);
    for (const mail of first) expect(formLinks(mail.body.text ?? "")[0]).toBe(links.get(who(mail)));
    // One answers after it.
    expect((await postForm(links.get("hsc@example.jp") ?? "", minimalAnswer())).status).toBe(200);

    // Killed outright in the quiet stretch before the deadline's morning, then started again on the same data.
    const killed = stack;
    killed.child.kill("SIGKILL");
    await killed.exited;
    for (const java of javas) await expect.poll(() => isAlive(java), { timeout: 20_000, interval: 250 }).toBe(false);
    stack = await start();
    expect(stack.output()).toContain(`再開した照会 / resumed rounds: ${PLAN_ID}-2019-Q3`);

    // The round closes (its summary arrives) on its own calendar, January 20.
    await expect.poll(async () => (await ofKind("summary")).length, { timeout: 240_000, interval: 500 }).toBe(1);
    const mails = await mailbox();
    const count = (kind: string) =>
      mails
        .filter((mail) => kindOf(mail) === kind)
        .map(who)
        .sort();
    expect(count("request")).toHaveLength(5);
    expect(count("reminder")).toEqual([
      "dogin@example.jp",
      "dogin@example.jp",
      "hokuyo@example.jp",
      "hokuyo@example.jp",
      "hsc@example.jp",
    ]);
    expect(count("overdue")).toEqual(["dogin@example.jp", "hokuyo@example.jp"]);
    expect(count("escalation")).toEqual(["dogin-head@example.jp", "hokuyo-head@example.jp"]);
    for (const mail of mails.filter((candidate) => kindOf(candidate) === "escalation"))
      expect(mail.destination.cc).toEqual(["secretariat@example.jp"]);
    expect(mails).toHaveLength(15);

    // None went out on a closed day or outside business hours on the round's own calendar. The mailbox keeps whole
    // seconds (hours of the compressed calendar), so the table's own records of each send are read instead.
    const clients = localClients(stack.stack);
    try {
      const stored = await clients.table.rounds.findRound(PLAN_ID, 2019, 3);
      expect(stored?.clock).toBeDefined();
      const hours = { start: 9, end: 18 };
      const calendar = (at: string | undefined) => toVirtual(stored?.clock, new Date(at ?? 0));
      const requests = await clients.table.requests.listRequests(PLAN_ID, 2019, 3);
      const reminders = await clients.table.reminders.listReminders(PLAN_ID, 2019, 3);
      expect(reminders.map((reminder) => reminder.status)).toEqual(Array(9).fill("sent"));
      for (const sent of [...requests.map((request) => request.emailedAt), ...reminders.map((r) => r.sentAt)])
        expect(isWithinBusinessHours(calendar(sent), hours), `${sent} is ${calendar(sent).toISOString()}`).toBe(true);
      // The overdue notices went on Thursday the 16th, the escalations on Friday the 17th.
      const sentAt = (kind: string) =>
        reminders.filter((reminder) => reminder.kind === kind).map((reminder) => calendar(reminder.sentAt).getTime());
      for (const at of sentAt("overdue-notice"))
        expect(at).toBeGreaterThanOrEqual(jstInstant(2020, 1, 16, 9).getTime());
      for (const at of sentAt("escalation")) expect(at).toBeGreaterThanOrEqual(jstInstant(2020, 1, 17, 9).getTime());
      // Every reminder and escalation is in the audit trail, and the summary says who was chased.
      const audit = await clients.table.submissions.listAudit(PLAN_ID, 2019);
      expect(audit.filter((entry) => ["reminder", "overdue-notice", "escalation"].includes(entry.action))).toHaveLength(
        9,
      );
      const summary = mails.find((mail) => kindOf(mail) === "summary");
      expect(summary?.body.text).toContain("■ 督促・上申：");
      expect(summary?.body.text).toMatch(/株式会社北海道銀行：.*督促.*期限超過のお知らせ.*上申/);
    } finally {
      clients.close();
    }
    const page = await (await fetch(stack.stack.urls.status)).text();
    expect(page).toContain("上申");
    expect(page).toContain("令和2年1月15日（水）17時00分");
    stack.child.kill("SIGINT");
    await stack.exited;
  }, 560_000);
});
