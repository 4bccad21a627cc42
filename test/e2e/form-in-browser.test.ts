import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS } from "../helpers/browser.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// Chromium (the npm-shipped build) driven by playwright-core; screenshots land in test-results/e2e for a person to look at.

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

describe("an institution answers in the browser", () => {
  it("goes from the mailbox to the form, fixes an error, and gets a receipt", async () => {
    await stack.startRound({
      planId: PLAN_ID,
      fiscalYear: 2021,
      quarter: 3,
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 900 } });

    // The mailbox, as the local stack's README sends a newcomer there.
    await page.goto(stack.urls.mailbox);
    await expect.poll(() => page.locator(".email").count(), { timeout: 15_000 }).toBe(5);
    const mail = page.locator(".email", { hasText: "hro@example.jp" });
    await expect
      .poll(() => mail.innerText())
      .toContain("2021年度（令和3年度） 第3四半期（10月〜12月）の実施状況のご報告のお願い");
    await mail.getByRole("button", { name: "Toggle text view" }).click();
    const body = await mail.locator(".email-text").innerText();
    await page.screenshot({ path: join(SCREENSHOTS, "1-mailbox.png"), fullPage: true });
    const link = /http:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/.exec(body)?.[0];
    expect(link).toBeDefined();

    // The form: one case half filled, a count that is not a number.
    await page.goto(link as string);
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe(
      "2021年度（令和3年度） 第3四半期（10月〜12月） 実施状況報告",
    );
    await page.getByLabel("案件番号（必須）").first().fill("HKD-2021-007");
    await page.getByLabel("事業者・事業名（必須）").first().fill("株式会社旭川木工");
    await page.getByLabel("事業分野（必須）").first().selectOption({ label: "ものづくり関連" });
    await page.getByLabel("支援開始年度（必須）").first().selectOption("2021");
    await page.getByLabel("技術支援・助言").first().check();
    await page.getByLabel("今期の支援内容（必須）").first().fill("家具の塗装工程について技術相談に対応した。");
    await page.getByLabel("相談対応件数（必須）").fill("十二");
    await page.getByLabel("セミナー・イベント開催件数（必須）").fill("1");
    await page.getByLabel("協定締結件数（必須）").fill("0");
    await page.getByRole("button", { name: "送信する" }).click();

    // The same form, with what was typed kept and each wrong field named.
    const summary = page.getByRole("alert");
    await expect(summary.innerText()).resolves.toContain("入力内容を確認してください（2件）");
    await expect(summary.innerText()).resolves.toContain("1件目の市町村を入力してください");
    await expect(summary.innerText()).resolves.toContain("相談対応件数の形式が正しくありません");
    await expect(page.getByLabel("事業者・事業名（必須）").first().inputValue()).resolves.toBe("株式会社旭川木工");
    await expect(page.getByLabel("市町村（必須）").first().getAttribute("aria-invalid")).resolves.toBe("true");
    await page.screenshot({ path: join(SCREENSHOTS, "2-form-with-errors.png"), fullPage: true });
    expect(await stack.repository.findLatestSubmission(PLAN_ID, 2021, 3, "hro")).toBeUndefined();

    // Corrected and sent.
    await page.getByLabel("市町村（必須）").first().fill("旭川市");
    await page.getByLabel("相談対応件数（必須）").fill("12");
    await page.getByRole("button", { name: "送信する" }).click();
    await expect(page.getByRole("heading", { level: 1 }).innerText()).resolves.toBe("ご報告ありがとうございました");
    await expect(page.getByTestId("receipt-number").innerText()).resolves.toBe("2021Q3-hro-001");
    await page.screenshot({ path: join(SCREENSHOTS, "3-receipt.png"), fullPage: true });

    const stored = await stack.repository.findLatestSubmission(PLAN_ID, 2021, 3, "hro");
    expect(stored?.report.cases[0]).toMatchObject({
      caseId: "HKD-2021-007",
      municipality: "旭川市",
      field: "monozukuri",
      supportKinds: ["technical"],
    });
    expect(stored?.report.counts.consultations).toBe(12);
    await page.close();
  });
});
