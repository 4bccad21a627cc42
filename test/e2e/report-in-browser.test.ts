import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChartSvgs } from "../../domain/report/chart-render.ts";
import { buildChartSpecs } from "../../domain/report/chart-specs.ts";
import { renderReportHtml } from "../../domain/report/html.ts";
import { computeReview } from "../../domain/review/review.ts";
import { referencePlan } from "../fixtures/plans.ts";
import { REVIEW_NOW, reportedCase, requestsOfYear, secondYearReview, submission } from "../fixtures/review-inputs.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS } from "../helpers/browser.ts";

// The draft report as a reader's browser lays it out, with the Japanese webfont: what a string test cannot see.

const REPORT_URL = "http://report.test/index.html";

async function secondYearReport(): Promise<string> {
  const input = secondYearReview();
  const review = computeReview(input);
  const charts = await renderChartSvgs(buildChartSpecs(review, input.plan));
  return renderReportHtml(review, input.plan, { version: 1, status: "draft", charts });
}

/** The plan's last year, every cohort begun: the most groups and years the two bar charts ever have to fit. */
async function finalYearReport(): Promise<string> {
  const plan = referencePlan();
  const earlierCases = [];
  for (let cohort = 2018; cohort < 2022; cohort++)
    for (let index = 0; index < 10; index++)
      for (let year = cohort; year < Math.min(cohort + 3, 2022); year++)
        earlierCases.push({
          caseId: `C${cohort}-${index}`,
          firstFiscalYear: cohort,
          institutionId: "hro",
          fiscalYear: year,
        });
  const cases = [2020, 2021, 2022].flatMap((cohort) =>
    Array.from({ length: 9 }, (_, index) => reportedCase(`C${cohort}-${index}`, { firstFiscalYear: cohort })),
  );
  const review = computeReview({
    plan,
    fiscalYear: 2022,
    earlierCases,
    submissions: [submission("hro", 1, cases)],
    requests: requestsOfYear(plan, 2022),
    now: REVIEW_NOW,
  });
  const charts = await renderChartSvgs(buildChartSpecs(review, plan));
  return renderReportHtml(review, plan, { version: 1, status: "draft", charts });
}

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The labels of every axis of every figure, as the page lays them out, grouped by figure and axis. */
async function axisLabelBoxes(page: Page): Promise<{ figure: string; labels: Box[] }[]> {
  const axes: { figure: string; labels: Box[] }[] = [];
  for (const figure of await page.locator("figure").all()) {
    const caption = (await figure.locator("figcaption").textContent()) ?? "";
    for (const axis of await figure.locator("g.role-axis-label").all()) {
      const labels: Box[] = [];
      for (const text of await axis.locator("text").all()) {
        const box = await text.boundingBox();
        if (box)
          labels.push({
            text: (await text.textContent()) ?? "",
            left: box.x,
            right: box.x + box.width,
            top: box.y,
            bottom: box.y + box.height,
          });
      }
      axes.push({ figure: caption, labels });
    }
  }
  return axes;
}

/** Each pair of labels on one axis whose boxes share any area. */
function overlaps(axes: { figure: string; labels: Box[] }[]): string[] {
  const found: string[] = [];
  for (const { figure, labels } of axes)
    labels.forEach((a, index) => {
      for (const b of labels.slice(index + 1))
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
          found.push(`${figure}: 「${a.text}」 and 「${b.text}」`);
    });
  return found;
}

let browser: Browser;
let secondYear: string;
let finalYear: string;

beforeAll(async () => {
  [browser, secondYear, finalYear] = await Promise.all([launchChromium(), secondYearReport(), finalYearReport()]);
});
afterAll(() => browser?.close());

async function openReport(html: string, width: number): Promise<Page> {
  const page = await newJapanesePage(browser, { viewport: { width, height: 1200 } });
  await page.route(REPORT_URL, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
  await page.goto(REPORT_URL);
  // Measured with the webfont, not a fallback: the labels' widths depend on it.
  await page.evaluate("document.fonts.ready");
  return page;
}

describe("the draft report's figures in Chromium", () => {
  it("lays out every axis's labels without one running into the next (figure 2's cohorts included)", async () => {
    const page = await openReport(secondYear, 1100);
    const axes = await axisLabelBoxes(page);
    const cohorts = axes.find((axis) => axis.labels.some((label) => label.text.includes("年度開始")));
    expect(cohorts?.labels.map((label) => label.text)).toEqual(["2018年度開始（14件）", "2019年度開始（8件）"]);
    await page
      .locator("figure", { hasText: "フォローアップの状況" })
      .screenshot({ path: join(SCREENSHOTS, "report-figure-2.png") });
    expect(overlaps(axes)).toEqual([]);
  });

  it("keeps them apart when printed on A4 too", async () => {
    // A4 less the report's 15 mm side margins is about 680 CSS pixels wide.
    const page = await openReport(secondYear, 680);
    await page.emulateMedia({ media: "print" });
    await page
      .locator("figure", { hasText: "フォローアップの状況" })
      .screenshot({ path: join(SCREENSHOTS, "report-figure-2-print.png") });
    expect(overlaps(await axisLabelBoxes(page))).toEqual([]);
    await page.pdf({ format: "A4", path: join(SCREENSHOTS, "report-figures.pdf") });
  });

  it("keeps them apart in the plan's last year, with every cohort and year drawn", async () => {
    const page = await openReport(finalYear, 1100);
    expect(overlaps(await axisLabelBoxes(page))).toEqual([]);
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 680, height: 1200 });
    expect(overlaps(await axisLabelBoxes(page))).toEqual([]);
  });
});

describe("the draft report printed from Chromium", () => {
  it("is an A4 document without the screen's backdrop, the table of contents or the download links", async () => {
    const page = await openReport(secondYear, 1100);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("h1").isVisible()).toBe(true);
    expect(await page.locator("nav.toc").isVisible()).toBe(false);
    expect(await page.locator("section.downloads").isVisible()).toBe(false);
    // Even a reader who prints backgrounds gets white paper: the grey page behind the report is screen-only.
    expect(await page.evaluate("getComputedStyle(document.body).backgroundColor")).toBe("rgba(0, 0, 0, 0)");
    // The report's own @page rule decides the paper, not the caller.
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
    expect(pages.length).toBeGreaterThan(1);
    for (const [, width, height] of pages)
      expect([Math.round(Number(width)), Math.round(Number(height))]).toEqual([595, 842]);
  });
});
