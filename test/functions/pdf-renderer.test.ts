import { afterAll, describe, expect, inject, it } from "vitest";
import { renderChartSvgs } from "../../domain/report/chart-render.ts";
import { buildChartSpecs } from "../../domain/report/chart-specs.ts";
import { computeReview } from "../../domain/review/review.ts";
import { versionFiles } from "../../domain/site/files.ts";
import { PdfRenderer } from "../../functions/adapters/pdf-renderer.ts";
import { handMadeReview, secondYearReview } from "../fixtures/review-inputs.ts";
import { readPdf } from "../helpers/pdf.ts";

// The renderer PublishReport prints with: the npm Chromium with its Lambda flags (unpacked once by the global setup),
// the Japanese font's subsets embedded. What the PDF says is read back with PDF.js.

const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? inject("chromiumPath") });
afterAll(() => renderer.close());

async function publicPage(input: ReturnType<typeof secondYearReview>, version: number): Promise<string> {
  const review = computeReview(input);
  const charts = await renderChartSvgs(buildChartSpecs(review, input.plan));
  const published = {
    planId: input.plan.id,
    planName: input.plan.name,
    fiscalYear: review.fiscalYear,
    version,
    approvedAt: "2021-06-03T01:00:00.000Z",
    publishedAt: "2021-06-03T02:00:00.000Z",
  };
  return String(versionFiles(review, input.plan, { published, charts, generatedAt: review.generatedAt })[0]?.body);
}

describe("the PDF renderer", () => {
  it("embeds only the font pieces the document's text needs, in the two weights the report uses", async () => {
    const html = await publicPage(secondYearReview(), 2);
    const { html: embedded, subsets } = await renderer.embedFonts(html);
    expect(subsets).toBeGreaterThan(5);
    expect(subsets).toBeLessThan(124);
    expect(embedded.match(/@font-face\{font-family:"Noto Sans CJK JP"/g)).toHaveLength(subsets * 2);
    expect(embedded.match(/font-weight:700/g)).toHaveLength(subsets);
  });

  it("prints A4 pages whose text is the report's, page numbers included, and a second report in the same browser", async () => {
    const first = await renderer.render(await publicPage(secondYearReview(), 2));
    expect(new TextDecoder().decode(first.pdf.subarray(0, 5))).toBe("%PDF-");
    const pdf = await readPdf(first.pdf);
    expect(pdf.pages).toBeGreaterThanOrEqual(4);
    expect(pdf.text[0]).toContain("北海道「北のものづくり」連携支援計画 2019年度（令和元年度）点検評価報告書");
    expect(pdf.text[0]).toContain("承認日 令和3年6月3日（木）");
    expect(pdf.text.at(-1)).toContain(`${pdf.pages} / ${pdf.pages}`);
    // The site's way around and the downloads are for the screen only.
    expect(pdf.text.join("")).not.toContain("公表資料の一覧");
    expect(pdf.text.join("")).not.toContain("データのダウンロード");

    const second = await renderer.render(await publicPage(handMadeReview(), 3));
    expect(second.launchMs).toBe(0);
    expect((await readPdf(second.pdf)).text[0]).toContain("2020年度（令和2年度）点検評価報告書");
  });
});
