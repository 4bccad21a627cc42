import { describe, expect, it } from "vitest";
import { renderReportHtml } from "../../../domain/report/html.ts";
import { computeReview } from "../../../domain/review/review.ts";
import type { Review } from "../../../domain/review/types.ts";
import { referencePlan } from "../../fixtures/plans.ts";
import {
  handMadeReview,
  REVIEW_NOW,
  reportedCase,
  secondYearReview,
  submission,
} from "../../fixtures/review-inputs.ts";

const MALICIOUS = `<script>alert("x")</script><img src=x onerror=alert(1)>&`;

function tablesOf(html: string): string[] {
  return [...html.matchAll(/<table[ >][\s\S]*?<\/table>/g)].map((match) => match[0]);
}

describe("the draft report of the hand-made FY2020 review", () => {
  const input = handMadeReview();
  const review = computeReview(input);
  const html = renderReportHtml(review, input.plan, { version: 2, status: "draft", charts: {} });

  it("is a Japanese document titled with the plan, both forms of the year and 案", () => {
    expect(html.startsWith('<!doctype html>\n<html lang="ja">')).toBe(true);
    expect(html).toContain(
      "<title>北海道「北のものづくり」連携支援計画 2020年度（令和2年度）点検評価報告書（案）</title>",
    );
    expect(html).toContain("<h1>北海道「北のものづくり」連携支援計画 2020年度（令和2年度）点検評価報告書（案）</h1>");
    expect(html).toContain("第2版（案）");
  });

  it("dates the version in the era form, from the review's computation time", () => {
    expect(html).toContain("<dt>作成日</dt><dd>令和3年5月20日（木）</dd>");
  });

  it("has the eight sections and the notes, in order", () => {
    const headings = [...html.matchAll(/<h2 id="[^"]+">([^<]+)<\/h2>/g)].map((match) => match[1]);
    expect(headings).toEqual([
      "1　概要",
      "2　支援件数の目標と実績",
      "3　フォローアップの状況",
      "4　計画期間の累計と見通し",
      "5　内訳",
      "6　成果指標",
      "7　報告の状況",
      "8　事務局の所見・見直し",
      "付記",
      "データのダウンロード",
    ]);
  });

  it("lists the findings in the review's order, the year's overall result first", () => {
    const list = html.match(/<ol class="findings">([\s\S]*?)<\/ol>/)?.[1] ?? "";
    const items = [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]);
    expect(items).toEqual(review.findings.map((finding) => finding.text));
    expect(items[0]).toBe("2020年度の支援件数（新規・継続の計）は5件で、目標30件に対し達成率16.7%でした。");
  });

  it("shows each year's targets and actuals with rates to one decimal and statuses in words", () => {
    expect(html).toContain('<th scope="rowgroup" rowspan="3">2018年度（2017年度を含む）</th>');
    expect(html).toMatch(
      /<th scope="row">計<\/th><td class="num">30<\/td><td class="num">5<\/td><td class="num">16\.7%<\/td><td class="status s-not-achieved">未達成<\/td>/,
    );
    expect(html).toContain("（単位：件）");
  });

  it("lists the cases that missed follow-up with their institutions", () => {
    expect(html).toContain(
      '<th scope="row">C18</th><td>事業者C18</td><td>中小企業総合支援センター</td><td>2019年度</td>',
    );
  });

  it("works the projection out with the review's own figures", () => {
    const toDate = review.planToDate;
    expect(html).toContain(`算出方法：${toDate.projection.formula}`);
    expect(html).toMatch(/今回の数値では、12件 ÷ .+ ≒ 24件です。/);
  });

  it("says once per institution that a shared case counts once for the plan", () => {
    expect(html).toContain(
      "複数の機関が支援した案件は、計画全体の件数では1件、機関別の内訳では支援した機関ごとに1件と数えています。",
    );
    expect(html).toContain("機関別の件数の合計（6件）は、支援案件の実数（5件）を上回ることがあります。");
  });

  it("shows each institution's quarters as 期限内, 期限後 or 未報告 with the year's rates", () => {
    expect(html).toMatch(
      /<th scope="row">中小企業総合支援センター<\/th><td class="status a-late">期限後<\/td>(<td class="status a-on-time">期限内<\/td>){3}<td class="num">4<\/td><td class="num">3<\/td><td class="num">100\.0%<\/td><td class="num">75\.0%<\/td>/,
    );
    expect(html).toContain('<td class="status a-missing">未報告</td>');
  });

  it("leaves a placeholder for the secretariat until the review meeting", () => {
    expect(html).toContain("事務局の所見と見直しの内容は、点検評価会議の後に記載します。");
  });

  it("gives every table a caption and scoped headers, and right-aligns its numbers", () => {
    const tables = tablesOf(html);
    expect(tables.length).toBeGreaterThanOrEqual(11);
    for (const table of tables) {
      expect(table).toMatch(/<caption>表\d+　/);
      const headers = [...table.matchAll(/<th\b[^>]*>/g)].map((match) => match[0]);
      expect(headers.length).toBeGreaterThan(0);
      for (const header of headers) expect(header).toMatch(/scope="(col|row|rowgroup)"/);
    }
    expect(html).toContain('<td class="num">');
  });

  it("carries no script and links its data relative to its own folder", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toContain('<a href="data/supported-cases.csv" download>');
    expect(html).toContain('<a href="report.json" download>');
  });
});

describe("the plan to date after two of five years", () => {
  const input = secondYearReview();
  const html = renderReportHtml(computeReview(input), input.plan, { version: 1, status: "draft", charts: {} });
  const table = tablesOf(html).find((candidate) => candidate.includes("計画期間の累計と見通し")) ?? "";

  it("words each year's standing by the plan's thresholds, with a class, so colour is never the only cue", () => {
    const supported = tablesOf(html).find((candidate) => candidate.includes("支援件数の目標と実績")) ?? "";
    const rows = [...supported.matchAll(/<th scope="row">([^<]+)<\/th>.*?<td class="status ([^"]+)">([^<]+)<\/td>/g)];
    expect(rows.map(([, category, className, word]) => `${category} ${word} ${className}`)).toEqual([
      // FY2018 (with 2017): 14 new against 10; nothing continuing is owed in a plan's first year.
      "新規 達成 s-achieved",
      "継続 目標なし s-no-target",
      "計 達成 s-achieved",
      // FY2019: 8 new against 10 is 80%, the plan's threshold for 概ね達成; 12 continuing against 10.
      "新規 概ね達成 s-nearly",
      "継続 達成 s-achieved",
      "計 達成 s-achieved",
    ]);
  });

  it("is judged against the targets so far, with the plan total for reference and the projection as a pace", () => {
    expect(table).toMatch(/113\.3%<\/td><td class="status s-achieved">達成<\/td>/);
    expect(table).toMatch(/28\.3%<\/td><td class="status s-reference">参考<\/td>/);
    expect(table).toContain('<td class="status p-ahead">見込み：目標を上回るペース</td>');
    expect(table).not.toContain("未達成");
  });

  it("says in words which figure is judged and where the pace leads", () => {
    expect(html).toContain(
      "計画期間の途中であるため、この割合は参考として示すもので、評価は同期間の目標に対して行っています。",
    );
    expect(html).toContain("計画全体の目標120件に対して113.3%となる見込みで、目標を上回るペースです。");
  });
});

describe("what the report says and escapes", () => {
  const plan = referencePlan();

  it("shows seed 004's 22 commercialised of 59 as 37.3%, with what it divides", () => {
    const cases = Array.from({ length: 59 }, (_, index) =>
      reportedCase(`P${index}`, { outcomes: { commercialised: index < 22 } }),
    );
    const review = computeReview({
      plan,
      fiscalYear: 2020,
      submissions: [submission("nortec", 4, cases)],
      requests: [],
      now: REVIEW_NOW,
    });
    const html = renderReportHtml(review, plan, { version: 1, status: "draft", charts: {} });
    expect(html).toContain('<th scope="row">事業化率</th><td class="num">37.3%（22／59）</td>');
  });

  it("escapes a business name, a plan name and the secretariat's text", () => {
    const input = handMadeReview();
    input.earlierCases = input.earlierCases.map((earlier) =>
      earlier.caseId === "E19" ? { ...earlier, businessName: MALICIOUS } : earlier,
    );
    const review: Review = {
      ...computeReview(input),
      secretariatFindings: [`所見${MALICIOUS}`],
      decisions: ["見直し<b>太字</b>"],
    };
    const hostile = { ...input.plan, name: `計画${MALICIOUS}` };
    const html = renderReportHtml(review, hostile, { version: 1, status: "draft", charts: {} });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;");
    expect(html).toContain("<li>見直し&lt;b&gt;太字&lt;/b&gt;</li>");
    expect(html).not.toContain("点検評価会議の後に記載します");
  });

  it("drops 案 from an approved version's title", () => {
    const input = handMadeReview();
    const html = renderReportHtml(computeReview(input), input.plan, { version: 3, status: "approved", charts: {} });
    expect(html).toContain("<h1>北海道「北のものづくり」連携支援計画 2020年度（令和2年度）点検評価報告書</h1>");
    expect(html).toContain("第3版（承認済み）");
    expect(html).not.toContain("この報告書は案です");
  });

  it("inlines a chart given to it as a numbered figure next to its table", () => {
    const input = handMadeReview();
    const svg = '<svg role="img" aria-label="図"><title>図</title></svg>';
    const html = renderReportHtml(computeReview(input), input.plan, {
      version: 1,
      status: "draft",
      charts: { "by-field": svg },
    });
    expect(html).toMatch(/<figcaption>図1　事業分野別の支援案件数<\/figcaption>\n<svg role="img"/);
    expect(html).toContain('図の数値は<a href="#table-by-field">表7</a>と同じです。');
    expect(html).toContain('<table id="table-by-field">');
  });

  it("says so rather than showing empty comparisons for a year before the first target year", () => {
    const review = computeReview({ plan, fiscalYear: 2017, submissions: [], requests: [], now: REVIEW_NOW });
    const html = renderReportHtml(review, plan, { version: 1, status: "draft", charts: {} });
    expect(html).toContain("2017年度（平成29年度）点検評価報告書（案）");
    expect(html).toContain("この年度には、目標と比べる支援件数がありません。");
    expect(html).toContain("累計と見通しはまだ求めていません。");
    expect(html).not.toContain("NaN");
  });
});
