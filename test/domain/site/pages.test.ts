import { describe, expect, it } from "vitest";
import { TABLE_NAMES } from "../../../domain/report/table-types.ts";
import { computeReview } from "../../../domain/review/review.ts";
import {
  CHANGING,
  IMMUTABLE,
  siteIndexFile,
  versionFiles,
  versionPdfPath,
  yearPageFile,
} from "../../../domain/site/files.ts";
import type { PublishedVersion } from "../../../domain/site/pages.ts";
import { handMadeReview } from "../../fixtures/review-inputs.ts";

const input = handMadeReview();
const review = computeReview(input);
const plan = input.plan;

function published(version: number, approvedAt: string, overrides: Partial<PublishedVersion> = {}): PublishedVersion {
  return {
    planId: plan.id,
    planName: plan.name,
    fiscalYear: 2020,
    version,
    approvedAt,
    publishedAt: approvedAt,
    ...overrides,
  };
}

// v2 approved on 2021-05-20 (Thursday) 10:00 Japan time; v4 on 2021-06-03.
const v2 = published(2, "2021-05-20T01:00:00.000Z");
const v4 = published(4, "2021-06-03T01:00:00.000Z");
const rendering = { charts: {}, generatedAt: "2021-05-19T01:00:00.000Z" };

describe("a published version's files", () => {
  const files = versionFiles(review, plan, { ...rendering, published: v2 });

  it("lie in the version's permanent folder, never to change: the page, one CSV per table and the JSON", () => {
    expect(files.map((file) => file.path)).toEqual([
      `${plan.id}/2020/v2/index.html`,
      ...TABLE_NAMES.map((name) => `${plan.id}/2020/v2/data/${name}.csv`),
      `${plan.id}/2020/v2/report.json`,
    ]);
    expect(files.every((file) => file.cacheControl === IMMUTABLE)).toBe(true);
    expect(versionPdfPath(v2)).toBe(`${plan.id}/2020/v2/report.pdf`);
  });

  it("read as the approved report, with its approval date in the era form and a link to its PDF", () => {
    const html = String(files[0]?.body);
    expect(html).toContain("<h1>北海道「北のものづくり」連携支援計画 2020年度（令和2年度）点検評価報告書</h1>");
    expect(html).toContain("<dt>承認日</dt><dd>令和3年5月20日（木）</dd>");
    expect(html).toContain("第2版（令和3年5月20日（木）承認）の固定のアドレスです。");
    expect(html).toContain('<a href="report.pdf">PDF（A4）</a>');
    expect(html).toContain('<a href="data/summary.csv" download>');
    expect(html).toContain('<a href="../../../index.html">公表資料の一覧</a>');
    expect(html).not.toContain("この報告書は案です");
    const json = JSON.parse(String(files.at(-1)?.body));
    expect(json).toMatchObject({ version: 2, status: "approved", approvedAt: v2.approvedAt });
  });
});

describe("the year's page", () => {
  const file = yearPageFile(review, plan, { ...rendering, published: v4, versions: [v2, v4] });
  const html = String(file.body);

  it("is the year's address, changing as versions are published", () => {
    expect(file.path).toBe(`${plan.id}/2020/index.html`);
    expect(file.cacheControl).toBe(CHANGING);
  });

  it("says which version it shows and when that was approved, and lists every published version, newest first", () => {
    expect(html).toContain("掲載している版は第4版（令和3年6月3日（木）承認）です。");
    expect(html).toContain("<dt>承認日</dt><dd>令和3年6月3日（木）</dd>");
    const permanent = [...html.matchAll(/<li><a href="(v\d+)\/index.html">/g)].map((match) => match[1]);
    expect(permanent).toEqual(["v4", "v2"]);
  });

  it("reads its data and PDF from the version's folder", () => {
    expect(html).toContain('<a href="v4/data/summary.csv" download>');
    expect(html).toContain('<a href="v4/report.json" download>');
    expect(html).toContain('<a href="v4/report.pdf">PDF（A4）</a>');
    expect(html).not.toMatch(/href="data\//);
  });
});

describe("the site's index", () => {
  it("lists every published year of every plan, each with the version its page shows", () => {
    const other = { planId: "another-plan", planName: "青森県連携支援計画" };
    const file = siteIndexFile([
      v2,
      v4,
      published(1, "2020-06-01T01:00:00.000Z", { fiscalYear: 2019 }),
      published(1, "2021-07-01T01:00:00.000Z", other),
    ]);
    const html = String(file.body);
    expect(file.path).toBe("index.html");
    expect(file.cacheControl).toBe(CHANGING);
    const years = [...html.matchAll(/<th scope="row"><a href="([^"]+)">/g)].map((match) => match[1]);
    // Plans by id, each plan's years newest first.
    expect(years).toEqual(["another-plan/2020/index.html", `${plan.id}/2020/index.html`, `${plan.id}/2019/index.html`]);
    expect(html).toContain("<td>第4版</td><td>令和3年6月3日（木）</td>");
    expect(html).not.toContain("<td>第2版</td>");
    expect(html).toContain(`href="${plan.id}/2020/v4/report.pdf"`);
  });

  it("says so when nothing is published yet", () => {
    expect(String(siteIndexFile([]).body)).toContain("公表している報告書はまだありません。");
  });
});
