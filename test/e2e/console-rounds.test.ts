import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS, wcagViolations } from "../helpers/browser.ts";
import { signInLinksTo } from "../helpers/console.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// The secretariat acting on a round from the console, in Chromium on the local stack: a reminder now, a deadline
// extended for one institution (mailed, and its on-time answer counted so), a wrong date refused with nothing stored,
// and one institution's late answer accepted after the close while every other link stays closed.

const SECRETARIAT = "secretariat@example.jp";
const DAY_MS = 24 * 60 * 60 * 1000;

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The Japan date of an instant, as a date field takes it. */
function jstDate(instant: number): string {
  return new Date(instant + 9 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${stack.urls.api}/console/sign-in`);
  const before = (await signInLinksTo(stack, SECRETARIAT)).length;
  await page.getByLabel("メールアドレス").fill(SECRETARIAT);
  await page.getByRole("button", { name: "サインイン用のリンクを送る" }).click();
  await expect.poll(async () => (await signInLinksTo(stack, SECRETARIAT)).length, { timeout: 10_000 }).toBe(before + 1);
  await page.goto((await signInLinksTo(stack, SECRETARIAT)).at(-1) as string);
  await page.getByRole("button", { name: "サインインする" }).click();
  await page.waitForURL(/\/console$/);
}

async function mailsTo(address: string, subject: string) {
  return (await readMailbox(stack.urls.mailbox)).filter(
    (mail) => mail.destination.to.includes(address) && mail.subject.includes(subject),
  );
}

describe("acting on a round from the console", () => {
  it("reminds now and extends one institution's deadline, mailing each; a wrong date is refused and nothing changes", async () => {
    // FY2022 Q2, due tomorrow and closing in a month: long enough for an extension by date.
    const { links } = await startRoundAndCollectLinks(stack, 2022, 2, DAY_MS, 30 * DAY_MS);
    const page = await newJapanesePage(browser, { viewport: { width: 1200, height: 900 } });
    await signIn(page);
    const roundPage = `${stack.urls.api}/console/plans/${PLAN_ID}/years/2022/rounds/2`;
    await page.goto(roundPage);
    const status = page.getByRole("table", { name: "機関ごとの状況" });
    const rowOf = (name: RegExp) => status.getByRole("row", { name });

    // A reminder now, to hro alone.
    const remind = page.locator("form[action$='/remind']");
    await remind.getByLabel("機関").selectOption("hro");
    await remind.getByRole("button", { name: "督促を送る" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("督促の送信を始めました");
    await expect.poll(async () => (await mailsTo("hro@example.jp", "再送")).length, { timeout: 20_000 }).toBe(1);
    expect(await mailsTo("nortec@example.jp", "再送")).toEqual([]);
    await expect
      .poll(
        async () => {
          await page.reload();
          return rowOf(/北海道立総合研究機構/).innerText();
        },
        { timeout: 10_000 },
      )
      .toContain("督促（事務局）を送信：");

    // A date before the current deadline: refused, naming the field; nothing stored, nobody mailed.
    const extend = page.locator("form[action$='/extend']");
    await extend.getByLabel("機関").selectOption("nortec");
    await extend.getByLabel(/新しい回答期限/).fill(jstDate(Date.now()));
    await extend.getByRole("button", { name: "回答期限を延長する" }).click();
    const summary = page.getByRole("alert");
    await expect.poll(() => summary.innerText()).toContain("新しい回答期限：現在の期限");
    expect(await summary.innerText()).toContain("New deadline: enter a date after the current deadline");
    expect(await page.locator("#f-extend-deadline").count()).toBe(1);
    const untouched = await stack.table.requests.findRequest(PLAN_ID, 2022, 2, "nortec");
    expect(Date.parse(untouched?.deadline ?? "")).toBeLessThan(Date.now() + DAY_MS + 60_000);

    // Five days on: nortec's own deadline, mailed with its own link; the others keep the round's.
    await page.goto(roundPage);
    await extend.getByLabel("機関").selectOption("nortec");
    await extend.getByLabel(/新しい回答期限/).fill(jstDate(Date.now() + 5 * DAY_MS));
    await extend.getByRole("button", { name: "回答期限を延長する" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("回答期限を延長し");
    const extendedMail = (await mailsTo("nortec@example.jp", "延長しました"))[0];
    expect(extendedMail?.body.text).toContain(links.get("nortec@example.jp"));
    const extended = await stack.table.requests.findRequest(PLAN_ID, 2022, 2, "nortec");
    expect(Date.parse(extended?.deadline ?? "")).toBeGreaterThan(Date.now() + 4 * DAY_MS);
    const hsc = await stack.table.requests.findRequest(PLAN_ID, 2022, 2, "hsc");
    expect(Date.parse(hsc?.deadline ?? "")).toBeLessThan(Date.now() + 2 * DAY_MS);
    expect(await rowOf(/北海道中小企業総合支援センター/).innerText()).not.toContain("期限延長");
    await expect.poll(() => rowOf(/北海道科学技術総合振興センター/).innerText()).toContain("期限延長");
    await page.screenshot({ path: join(SCREENSHOTS, "console-round-actions.png"), fullPage: true });
    expect(await wcagViolations(page)).toEqual([]);

    // The audit log of the round names both actions with the secretariat member.
    await page.goto(`${stack.urls.api}/console/audit?plan=${PLAN_ID}&year=2022&quarter=2`);
    const audit = await page.getByRole("table", { name: /操作の記録/ }).innerText();
    expect(audit).toContain("督促（事務局）");
    expect(audit).toContain("回答期限の延長");
    expect(audit).toContain(SECRETARIAT);
    await page.close();
  });

  it("accepts one institution's late answer after the close: its link works again until then, no one else's", async () => {
    const { links } = await startRoundAndCollectLinks(stack, 2022, 3, 500, 1_000);
    await expect
      .poll(async () => (await stack.table.rounds.findRound(PLAN_ID, 2022, 3))?.status, { timeout: 30_000 })
      .toBe("closed");
    const dogin = links.get("dogin@example.jp") as string;
    const hokuyo = links.get("hokuyo@example.jp") as string;
    expect((await fetch(dogin)).status).toBe(404);

    const page = await newJapanesePage(browser, { viewport: { width: 1200, height: 900 } });
    await signIn(page);
    await page.goto(`${stack.urls.api}/console/plans/${PLAN_ID}/years/2022/rounds/3`);
    expect(await page.locator("form[action$='/remind']").count()).toBe(0);
    const accept = page.locator("form[action$='/accept-late']");
    await accept.getByLabel("機関").selectOption("dogin");
    await accept.getByLabel(/受付期限/).fill(jstDate(Date.now() + 3 * DAY_MS));
    await accept.getByRole("button", { name: "締切後の回答を受け付ける" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("締切後の回答を受け付けることにし");
    const accepted = (await mailsTo("dogin@example.jp", "まで受け付けます"))[0];
    expect(accepted?.body.text).toContain(dogin);
    expect(await page.getByRole("row", { name: /北洋銀行/ }).innerText()).not.toContain("締切後の回答を受付中");
    expect(await page.getByRole("row", { name: /北海道銀行/ }).innerText()).toContain("締切後の回答を受付中");

    // dogin's link opens and stores its answer, late; hokuyo's stays closed, and its post stores nothing.
    expect((await fetch(dogin)).status).toBe(200);
    const stored = await postForm(dogin, minimalAnswer());
    expect(stored.status).toBe(200);
    expect(await stored.text()).toContain("受付番号");
    const request = await stack.table.requests.findRequest(PLAN_ID, 2022, 3, "dogin");
    expect(request).toMatchObject({ status: "answered", answeredOnTime: false, latestVersion: 1 });
    expect((await postForm(hokuyo, minimalAnswer())).status).toBe(404);
    expect(await stack.table.submissions.findLatestSubmission(PLAN_ID, 2022, 3, "hokuyo")).toBeUndefined();
    await page.reload();
    expect(await page.getByRole("row", { name: /北海道銀行/ }).innerText()).toContain("締切後に受付");
    await page.close();
  });
});
