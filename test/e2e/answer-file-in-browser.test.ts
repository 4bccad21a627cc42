import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack.ts";
import { editWorkbook, sheet } from "../fixtures/answer-workbook.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS, wcagViolations } from "../helpers/browser.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// Chromium answers with the workbook: downloads it from the form page, fills it as a person would, uploads it.

let stack: LocalStack;
let browser: Browser;
let link: string;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
  // hro reported one case in Q1, so the Q2 workbook comes with it prefilled.
  const { links: q1 } = await startRoundAndCollectLinks(stack, 2021, 1, 3_600_000);
  const answered = await postForm(
    q1.get("hro@example.jp") as string,
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
  const { links } = await startRoundAndCollectLinks(stack, 2021, 2, 3_600_000);
  link = links.get("hro@example.jp") as string;
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("an institution answers with the workbook in the browser", () => {
  it("downloads it prefilled, uploads it with a mistake, sees the cell named, fixes it and gets a receipt", async () => {
    const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    // The request in the local mailbox carries the workbook, offered for download as any attachment.
    await page.goto(stack.urls.mailbox);
    const mail = page
      .locator(".email", { hasText: "2021年度（令和3年度） 第2四半期（7月〜9月）の実施状況のご報告のお願い" })
      .filter({ hasText: "hro@example.jp" });
    await expect.poll(() => mail.count(), { timeout: 15_000 }).toBe(1);
    await expect(mail.getByRole("link", { name: "実施状況報告_2021年度第2四半期_道総研.xlsx" }).count()).resolves.toBe(
      1,
    );
    await mail.screenshot({ path: join(SCREENSHOTS, "file-0-mailbox.png") });

    await page.goto(link);
    const section = page.getByRole("region", { name: "Excel で回答する場合" });
    await section.screenshot({ path: join(SCREENSHOTS, "file-1-section.png") });
    expect(await wcagViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      section.getByRole("link", { name: "様式（Excel ファイル）をダウンロードする" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("実施状況報告_2021年度第2四半期_道総研.xlsx");
    const downloaded = new Uint8Array(readFileSync((await download.path()) as string));

    // As a person fills it: Q1's case (row 8) supported again, a new case below it with its municipality forgotten
    // and its first year typed as an era date, counts typed with full-width digits.
    const withMistake = await editWorkbook(downloaded, (workbook) => {
      const cases = sheet(workbook, "案件");
      expect(cases.getCell("B8").value).toBe("HKD-2021-003");
      cases.getCell("O8").value = "塗装ラインの試作を支援した。";
      cases.getCell("B9").value = "HKD-2021-008";
      cases.getCell("C9").value = "株式会社東川クラフト";
      cases.getCell("E9").value = "ものづくり関連";
      cases.getCell("F9").value = "令和3年8月2日";
      cases.getCell("G9").value = "○";
      cases.getCell("O9").value = "家具の塗装工程について技術相談に対応した。";
      const summary = sheet(workbook, "件数・概要");
      summary.getCell("B7").value = "１２";
      summary.getCell("B8").value = "1";
      summary.getCell("B9").value = "0";
    });
    await section.getByLabel("記入済みのファイル").setInputFiles({
      name: "実施状況報告_記入済み.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(withMistake),
    });
    await section.getByRole("button", { name: "ファイルを送信する" }).click();
    const errors = page.getByRole("alert").filter({ hasText: "ファイルを受け付けられませんでした" });
    await expect(errors.innerText()).resolves.toContain("案件!D9：市町村を選んでください");
    // The page opens at the file section, where the errors are.
    expect(page.url()).toMatch(/\/file#file-heading$/);
    await page.getByRole("region", { name: "Excel で回答する場合" }).screenshot({
      path: join(SCREENSHOTS, "file-2-errors.png"),
    });
    expect(await wcagViolations(page)).toEqual([]);
    expect(await stack.table.submissions.findLatestSubmission(PLAN_ID, 2021, 2, "hro")).toBeUndefined();

    const fixed = await editWorkbook(withMistake, (workbook) => {
      sheet(workbook, "案件").getCell("D9").value = "東川町";
    });
    await page.getByLabel("記入済みのファイル").setInputFiles({
      name: "実施状況報告_記入済み.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(fixed),
    });
    await page.getByRole("button", { name: "ファイルを送信する" }).click();
    await expect(page.getByTestId("receipt-number").innerText()).resolves.toBe("2021Q2-hro-001");
    await page.screenshot({ path: join(SCREENSHOTS, "file-3-receipt.png"), fullPage: true });

    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, 2021, 2, "hro");
    expect(versions.map((version) => [version.version, version.channel])).toEqual([[1, "spreadsheet"]]);
    expect(versions[0]?.report.cases.map((reported) => [reported.caseId, reported.firstFiscalYear])).toEqual([
      ["HKD-2021-003", 2021],
      ["HKD-2021-008", 2021],
    ]);
    expect(versions[0]?.report.counts.consultations).toBe(12);
  });
});
