import { join } from "node:path";
import { ListExecutionsCommand } from "@aws-sdk/client-sfn";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { referencePlan } from "../fixtures/plans.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS, wcagViolations } from "../helpers/browser.ts";
import { backdateSession, consoleRequest, signInByFetch, signInLinksTo } from "../helpers/console.ts";
import { sfnClientOf, startTestStack } from "../helpers/local-stack.ts";
import { formLinks, minimalAnswer, PLAN_ID, postForm } from "../helpers/rounds.ts";

// The secretariat's console in Chromium, on the local stack as deployed: sign in from the mailbox, start a round,
// compare an institution's answers, decide what the approval waits for, make a new draft version, sign out; then
// every action of the test in the audit log.

const SECRETARIAT = "secretariat@example.jp";
const HEAD = "secretariat-head@example.jp";
/** Another secretariat contact, for the refusals: an address may ask for only a few sign-in links an hour. */
const STAFF = "staff@example.jp";
const HEADS = ["hro-head", "nortec-head", "hsc-head", "hokuyo-head", "dogin-head"].map((id) => `${id}@example.jp`);

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  // The secretariat's head is one of its contacts here, so that the final approver can decide in the console too.
  const plan = referencePlan();
  plan.secretariat.contacts.push({ name: "事務局長", email: HEAD }, { name: "事務局員", email: STAFF });
  stack = await startTestStack([plan]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signInInBrowser(page: Page, address: string): Promise<void> {
  await page.goto(`${stack.urls.api}/console`);
  expect(new URL(page.url()).pathname).toBe("/console/sign-in");
  const before = (await signInLinksTo(stack, address)).length;
  await page.getByLabel("メールアドレス").fill(address);
  await page.getByRole("button", { name: "サインイン用のリンクを送る" }).click();
  await expect.poll(async () => (await signInLinksTo(stack, address)).length, { timeout: 10_000 }).toBe(before + 1);
  await page.goto((await signInLinksTo(stack, address)).at(-1) as string);
  await page.getByRole("button", { name: "サインインする" }).click();
  await page.waitForURL(/\/console$/);
}

async function approvalLinkTo(address: string, fiscalYear: number): Promise<string | undefined> {
  const mails = (await readMailbox(stack.urls.mailbox)).filter(
    (mail) => mail.destination.to.includes(address) && mail.subject.includes(`${fiscalYear}年度`),
  );
  return mails
    .flatMap((mail) => [...(mail.body.text ?? "").matchAll(/https?:\/\/\S+\/approvals\/[A-Za-z0-9_-]{43}/g)])
    .map((match) => match[0])
    .at(-1);
}

describe("the secretariat's console in the browser", () => {
  it("signs in from the mailbox, starts a round, compares answers, decides, drafts, signs out; the audit shows it all", async () => {
    const page = await newJapanesePage(browser, { viewport: { width: 1200, height: 900 } });
    await signInInBrowser(page, SECRETARIAT);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("ダッシュボード");
    await page.screenshot({ path: join(SCREENSHOTS, "console-1-dashboard.png"), fullPage: true });

    // Start FY2022 Q1 from its round page, with the plan's calendar; every institution is emailed its link.
    const round = `${stack.urls.api}/console/plans/${PLAN_ID}/years/2022/rounds/1`;
    await page.goto(round);
    await page.getByRole("button", { name: "今すぐ照会を開始する" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("照会を開始しました");
    const requestLinks = async () =>
      (await readMailbox(stack.urls.mailbox))
        .filter((mail) => mail.subject.includes("2022年度（令和4年度） 第1四半期"))
        .flatMap((mail) => formLinks(mail.body.text ?? "").map((link) => [mail.destination.to[0], link] as const));
    await expect.poll(async () => (await requestLinks()).length, { timeout: 20_000 }).toBe(5);
    const hroLink = new Map(await requestLinks()).get("hro@example.jp") as string;
    // hro answers, then corrects its consultations from 3 to 5: two versions to compare.
    expect((await postForm(hroLink, minimalAnswer())).status).toBe(200);
    expect((await postForm(hroLink, minimalAnswer({ "counts[consultations]": "5" }))).status).toBe(200);
    await page.goto(`${round}?institution=hro`);
    const versions = page.getByRole("table", { name: "地方独立行政法人北海道立総合研究機構の回答の各版" });
    await expect.poll(() => versions.locator("thead th").count()).toBe(3);
    const consultations = versions.getByRole("row", { name: /相談対応件数/ });
    await expect.poll(() => consultations.locator("td").allInnerTexts()).toEqual(["3", "＊5"]);
    expect(await consultations.locator("td.changed").count()).toBe(1);
    await expect.poll(() => page.getByRole("table", { name: "機関ごとの状況" }).innerText()).toContain("回答済み");
    await page.screenshot({ path: join(SCREENSHOTS, "console-2-round.png"), fullPage: true });
    await page.goto(`${stack.urls.api}/console`);
    await expect.poll(() => page.locator("main").innerText()).toContain("回答率 20.0%（1/5機関）");

    // FY2021's draft circulates; one head approves by mail, the others let the (short) deadline pass.
    // The final approver signs in now: each step lasts only seconds here, and on a loaded machine signing in later
    // could take longer than the final step itself.
    const headPage = await newJapanesePage(browser, { viewport: { width: 1200, height: 900 } });
    await signInInBrowser(headPage, HEAD);
    const review = stack.startReview({ planId: PLAN_ID, fiscalYear: 2021, proceedAnyway: true, stepSeconds: 10 });
    await expect.poll(() => approvalLinkTo(HEADS[0] as string, 2021), { timeout: 30_000 }).toBeDefined();
    const approved = await postForm((await approvalLinkTo(HEADS[0] as string, 2021)) as string, "decision=approve");
    expect(approved.status).toBe(200);
    const year = `${stack.urls.api}/console/plans/${PLAN_ID}/years/2021`;
    const waiting = page.getByRole("region", { name: /期限までに判断のない承認者/ });
    await expect
      .poll(
        async () => {
          await page.goto(year);
          return waiting.count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, "console-3-waiting.png"), fullPage: true });
    // The console decides; the secretariat's mailed link for the same decision is then told it was used.
    await waiting.getByRole("button", { name: "判断なしで次に進む" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("次に進みました");
    const askedMail = (await readMailbox(stack.urls.mailbox)).find(
      (mail) => mail.subject.includes("2021年度") && mail.subject.includes("期限までに判断のない承認者"),
    );
    const mailedDecision = /https?:\/\/\S+\/decisions\/[A-Za-z0-9_-]{43}/.exec(askedMail?.body.text ?? "")?.[0];
    const told = await postForm(mailedDecision as string, "decision=extend&days=7");
    expect(told.status).toBe(404);
    expect(await told.text()).toContain("このリンクは使用できません");

    // The final approver approves from the console, as their mailed link would.
    const mine = headPage.getByRole("region", { name: /あなたの判断を待っています/ });
    await expect
      .poll(
        async () => {
          await headPage.goto(year);
          return mine.count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await mine.getByLabel("承認する").check();
    await mine.getByRole("button", { name: "判断を送信する" }).click();
    await expect.poll(() => headPage.getByRole("status").innerText()).toContain("承認を記録しました");
    const finished = await stack.stepFunctions.waitForExecution(review.executionArn, 60_000);
    expect(finished.states).toContain("Published");
    await headPage.context().close();

    // Findings typed here make a new draft version (v2), recorded in the year's audit.
    await page.goto(year);
    await page
      .getByLabel(/事務局の所見/)
      .fill("十勝地域の食料品製造関連の案件が増えている。\n\n金融機関の紹介案件が多い。");
    await page.getByLabel(/見直しの方針/).fill("次年度は道東地域の相談窓口を増やす。");
    // FY2021's rounds never ran here: the review goes on only when told to, as the secretariat decides.
    await page.getByLabel("締め切られていない照会があっても点検評価を行う").check();
    await page.getByRole("button", { name: "新しい版を作る" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("点検評価を開始しました");
    await expect
      .poll(async () => (await stack.table.reviews.findLatestReview(PLAN_ID, 2021))?.version, { timeout: 30_000 })
      .toBe(2);
    await page.goto(year);
    await expect.poll(() => page.getByLabel(/事務局の所見/).inputValue()).toContain("金融機関の紹介案件が多い。");
    expect(await page.getByRole("table", { name: "報告書（案）の版" }).innerText()).toContain("第2版");
    await page.screenshot({ path: join(SCREENSHOTS, "console-4-year.png"), fullPage: true });

    // The audit log of the year and of the round, in the page and as CSV.
    await page.goto(`${stack.urls.api}/console/audit?plan=${PLAN_ID}&year=2021`);
    const audit = await page.getByRole("table", { name: /操作の記録/ }).innerText();
    for (const words of ["承認者の判断なしで進行", "報告書（案）の作成開始", "承認"]) expect(audit).toContain(words);
    expect(audit).toContain(`secretariat:${SECRETARIAT}`);
    expect(audit).toContain("事務局コンソール");
    await page.goto(`${stack.urls.api}/console/audit?plan=${PLAN_ID}&year=2022&quarter=1&institution=hro`);
    const roundAudit = await page.getByRole("table", { name: /操作の記録/ }).innerText();
    expect(roundAudit).toContain("回答の修正");
    await page.screenshot({ path: join(SCREENSHOTS, "console-5-audit.png"), fullPage: true });
    const csvHref = await page.getByRole("link", { name: "CSVでダウンロード" }).getAttribute("href");
    const cookies = await page.context().cookies();
    const csv = await consoleRequest(stack, csvHref as string, {
      cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "),
    });
    expect(csv.headers.get("content-disposition")).toContain("audit.csv");
    // Read as bytes: fetch's text() would drop the BOM that Excel needs to read UTF-8.
    const text = Buffer.from(await csv.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFF日時,実施者,操作,経路,対象,版,内容")).toBe(true);
    expect(text).toContain("回答の修正");

    // Signing out ends the session on the server: the old cookie, replayed, opens nothing.
    const session = cookies.find((cookie) => cookie.name === "pdca_session");
    await page.getByRole("button", { name: "サインアウト" }).click();
    await page.waitForURL(/\/console\/sign-in$/);
    const replayed = await consoleRequest(stack, "/console", { cookie: `pdca_session=${session?.value}` });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toBe("/console/sign-in");
    await page.goto(`${stack.urls.api}/console/audit`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    const { cookie } = await signInByFetch(stack, SECRETARIAT);
    const own = await (await consoleRequest(stack, "/console/audit", { cookie })).text();
    for (const words of ["サインイン", "サインアウト"]) expect(own).toContain(words);
  }, 150_000);
});

describe("the console's pages, for everyone", () => {
  it("pass axe-core at WCAG 2.1 AA: sign-in, dashboard, plan, year, round with versions, audit, refusal", async () => {
    const page = await newJapanesePage(browser, { viewport: { width: 1200, height: 900 } });
    await page.goto(`${stack.urls.api}/console/sign-in`);
    const found = (await wcagViolations(page)).map((violation) => `sign-in: ${violation}`);
    await signInInBrowser(page, SECRETARIAT);
    const pages = [
      "/console",
      `/console/plans/${PLAN_ID}`,
      `/console/plans/${PLAN_ID}/years/2021`,
      `/console/plans/${PLAN_ID}/years/2022/rounds/1?institution=hro`,
      `/console/plans/${PLAN_ID}/years/2022/rounds/2`,
      `/console/audit?plan=${PLAN_ID}&year=2021`,
      "/console/plans/nowhere",
    ];
    for (const path of pages) {
      await page.goto(`${stack.urls.api}${path}`);
      found.push(...(await wcagViolations(page)).map((violation) => `${path}: ${violation}`));
    }
    expect(found).toEqual([]);
    await page.context().close();
  });
});

describe("what the console refuses", () => {
  it("answers a stranger's address exactly as a known one, and mails only the known one", async () => {
    const ask = async (email: string) =>
      (await consoleRequest(stack, "/console/sign-in", { body: new URLSearchParams({ email }) })).text();
    const known = await ask(SECRETARIAT);
    const stranger = await ask("stranger@example.com");
    expect(stranger).toBe(known);
    expect(stranger).toContain("登録されたアドレスであれば");
    expect(await signInLinksTo(stack, "stranger@example.com")).toEqual([]);
  });

  it("refuses too many sign-in requests for one address, plainly", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++)
      statuses.push(
        (await consoleRequest(stack, "/console/sign-in", { body: new URLSearchParams({ email: "busy@example.com" }) }))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await consoleRequest(stack, "/console/sign-in", {
      body: new URLSearchParams({ email: "BUSY@example.com " }),
    });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("送信が多すぎます");
  });

  it("signs in once per link: opening it signs nobody in, a used or expired link is refused", async () => {
    await consoleRequest(stack, "/console/sign-in", { body: new URLSearchParams({ email: HEAD }) });
    const link = (await signInLinksTo(stack, HEAD)).at(-1) as string;
    for (let visit = 0; visit < 2; visit++) expect((await fetch(link)).status).toBe(200);
    const first = await fetch(link, { method: "POST", redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.getSetCookie()[0]).toMatch(
      /^pdca_session=[^;]+; Path=\/console; HttpOnly; Secure; SameSite=Strict/,
    );
    const reused = await fetch(link, { method: "POST", redirect: "manual" });
    expect(reused.status).toBe(404);
    expect(reused.headers.getSetCookie()).toEqual([]);
    expect(await reused.text()).toContain("このリンクは使用できません");

    // A link past its 15 minutes: stored as the console stores one (by hash), with an expiry already gone.
    const token = "e".repeat(43);
    const { createHash } = await import("node:crypto");
    await stack.table.console.putSignInLink(createHash("sha256").update(token).digest("hex"), {
      email: SECRETARIAT,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const expired = new URL(`/console/sign-in/${token}`, stack.urls.api).toString();
    expect((await fetch(expired)).status).toBe(404);
    expect((await fetch(expired, { method: "POST", redirect: "manual" })).status).toBe(404);
  });

  it("refuses a POST without the session's CSRF token, and does nothing", async () => {
    const { cookie, csrf } = await signInByFetch(stack, STAFF);
    const sfn = sfnClientOf(stack);
    const runs = async () =>
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.reviewArn }))).executions?.length;
    const before = await runs();
    const draft = `/console/plans/${PLAN_ID}/years/2020/drafts`;
    for (const token of [undefined, "forged", `${csrf}x`]) {
      const body = new URLSearchParams({ findings: "所見", ...(token ? { csrf: token } : {}) });
      const refused = await consoleRequest(stack, draft, { cookie, body });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("何も変更していません");
    }
    expect(await runs()).toBe(before);
    // Signing out without the token is refused too: the session still works.
    expect((await consoleRequest(stack, "/console/sign-out", { cookie, body: new URLSearchParams() })).status).toBe(
      403,
    );
    expect((await consoleRequest(stack, "/console", { cookie })).status).toBe(200);
    sfn.destroy();
  });

  it("opens nothing with a forged cookie, an idle session, or another plan's address", async () => {
    for (const forged of ["pdca_session=abc", `pdca_session=${"A".repeat(43)}.${"B".repeat(43)}`]) {
      const response = await consoleRequest(stack, "/console", { cookie: forged });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/console/sign-in");
    }
    const { cookie, sessionHash } = await signInByFetch(stack, STAFF);
    expect((await consoleRequest(stack, `/console/plans/other-plan`, { cookie })).status).toBe(404);
    // A working day without a request ends the session.
    await backdateSession(stack, sessionHash, new Date(Date.now() - 10 * 3_600_000));
    expect((await consoleRequest(stack, "/console", { cookie })).status).toBe(303);
  });
});
