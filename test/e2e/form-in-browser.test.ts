import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS } from "../helpers/browser.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// Chromium (the npm-shipped build) driven by playwright-core; screenshots land in test-results/e2e for a person to
// look at.

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
  // hro reported one case in Q2, so its Q3 form opens with it prefilled as 支援案件 1.
  const { links } = await startRoundAndCollectLinks(stack, 2021, 2, 3_600_000);
  const answered = await postForm(
    links.get("hro@example.jp") as string,
    minimalAnswer({
      "cases[0][caseId]": "HKD-2021-003",
      "cases[0][businessName]": "株式会社旭川木工",
      "cases[0][municipality]": "旭川市",
      "cases[0][field]": "monozukuri",
      "cases[0][firstFiscalYear]": "2021",
      "cases[0][supportKinds][]": "technical",
      "cases[0][activity]": "塗装工程の改善を助言した。",
    }),
  );
  expect(answered.status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("an institution answers in the browser", () => {
  it("goes from the mailbox to its prefilled form, fixes an error without losing a row, and gets a receipt", async () => {
    await stack.startRound({
      planId: PLAN_ID,
      fiscalYear: 2021,
      quarter: 3,
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 900 } });

    // The mailbox, as the local stack's README sends a newcomer there.
    await page.goto(stack.urls.mailbox);
    const mail = page.locator(".email", {
      hasText: "2021年度（令和3年度） 第3四半期（10月〜12月）の実施状況のご報告のお願い",
    });
    await expect.poll(() => mail.count(), { timeout: 15_000 }).toBe(5);
    const hroMail = mail.filter({ hasText: "hro@example.jp" });
    await hroMail.getByRole("button", { name: "Toggle text view" }).click();
    const body = await hroMail.locator(".email-text").innerText();
    await page.screenshot({ path: join(SCREENSHOTS, "1-mailbox.png"), fullPage: true });
    const link = /http:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/.exec(body)?.[0];
    expect(link).toBeDefined();

    // The form opens with Q2's case as 支援案件 1; a new case goes into 支援案件 2, its municipality forgotten, and
    // a count typed in kanji.
    await page.goto(link as string);
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe(
      "2021年度（令和3年度） 第3四半期（10月〜12月） 実施状況報告",
    );
    const known = page.getByRole("group", { name: "支援案件 1：株式会社旭川木工" });
    await expect(known.getByLabel("案件番号（必須）").inputValue()).resolves.toBe("HKD-2021-003");
    await known.getByLabel("今期の支援内容").fill("塗装ラインの試作を支援した。");
    const fresh = page.getByRole("group", { name: "支援案件 2（新規の案件があれば記入）" });
    await fresh.getByLabel("案件番号（必須）").fill("HKD-2021-007");
    await fresh.getByLabel("事業者・事業名（必須）").fill("株式会社東川クラフト");
    await fresh.getByLabel("事業分野（必須）").selectOption({ label: "ものづくり関連" });
    await fresh.getByLabel("支援開始年度（必須）").selectOption("2021");
    await fresh.getByLabel("技術支援・助言").check();
    await fresh.getByLabel("今期の支援内容（必須）").fill("家具の塗装工程について技術相談に対応した。");
    await page.getByLabel("相談対応件数（必須）").fill("十二");
    await page.getByLabel("セミナー・イベント開催件数（必須）").fill("1");
    await page.getByLabel("協定締結件数（必須）").fill("0");
    await page.getByRole("button", { name: "送信する", exact: true }).click();

    // The same form: every row as it was, the errors named by the rows the person saw, in plain words.
    const summary = page.getByRole("alert");
    await expect(summary.innerText()).resolves.toContain("入力内容を確認してください（2件）");
    await expect(summary.innerText()).resolves.toContain("支援案件2の市町村を選んでください");
    await expect(summary.innerText()).resolves.toContain("Municipality (case 2) needs a choice");
    await expect(summary.innerText()).resolves.toContain("相談対応件数は数字で入力してください");
    await expect(summary.innerText()).resolves.toContain("Consultations must be a number");
    await expect(known.getByLabel("今期の支援内容").inputValue()).resolves.toBe("塗装ラインの試作を支援した。");
    await expect(fresh.getByLabel("事業者・事業名（必須）").inputValue()).resolves.toBe("株式会社東川クラフト");
    await expect(fresh.getByLabel("市町村（必須）").getAttribute("aria-invalid")).resolves.toBe("true");
    await page.screenshot({ path: join(SCREENSHOTS, "2-form-with-errors.png"), fullPage: true });
    expect(await stack.table.submissions.findLatestSubmission(PLAN_ID, 2021, 3, "hro")).toBeUndefined();

    // Corrected from the plan's list of municipalities, and sent.
    await fresh.getByLabel("市町村（必須）").selectOption("東川町");
    await page.getByLabel("相談対応件数（必須）").fill("12");
    await page.getByRole("button", { name: "送信する", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("ご報告ありがとうございました");
    await expect(page.getByTestId("receipt-number").innerText()).resolves.toBe("2021Q3-hro-001");
    await page.screenshot({ path: join(SCREENSHOTS, "3-receipt.png"), fullPage: true });

    const stored = await stack.table.submissions.findLatestSubmission(PLAN_ID, 2021, 3, "hro");
    expect(stored?.report.cases.map((reported) => [reported.caseId, reported.municipality])).toEqual([
      ["HKD-2021-003", "旭川市"],
      ["HKD-2021-007", "東川町"],
    ]);
    expect(stored?.report.counts.consultations).toBe(12);
    await page.close();
  });

  it("answers 報告事項なし with one button, and is told it was recorded as such", async () => {
    const nortec = (await stack.table.requests.findRequest(PLAN_ID, 2021, 3, "nortec"))?.emailedAt;
    expect(nortec).toBeDefined();
    const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 900 } });
    await page.goto(stack.urls.mailbox);
    const mail = page
      .locator(".email", { hasText: "第3四半期（10月〜12月）の実施状況のご報告のお願い" })
      .filter({ hasText: "nortec@example.jp" });
    await mail.getByRole("button", { name: "Toggle text view" }).click();
    const link = /http:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/.exec(await mail.locator(".email-text").innerText())?.[0];
    await page.goto(link as string);
    await page.screenshot({ path: join(SCREENSHOTS, "5-form-top.png") });
    await page.getByRole("button", { name: "報告事項なしとして送信する" }).click();
    await expect(page.locator("main").innerText()).resolves.toContain("「報告事項なし」として受け付けました");
    const stored = await stack.table.submissions.findLatestSubmission(PLAN_ID, 2021, 3, "nortec");
    expect(stored?.report.nothingToReport).toBe(true);
    await page.close();
  });
});
