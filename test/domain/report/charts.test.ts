import { beforeAll, describe, expect, it } from "vitest";
import { labelSvg, renderChartSvg, renderChartSvgs } from "../../../domain/report/chart-render.ts";
import { buildChartSpecs, CHART_NAMES, type ChartSpec, type ChartSvgs } from "../../../domain/report/chart-specs.ts";
import { ChartLoadRefusedError } from "../../../domain/report/errors.ts";
import { renderReportHtml } from "../../../domain/report/html.ts";
import { computeReview } from "../../../domain/review/review.ts";
import { referencePlan } from "../../fixtures/plans.ts";
import { handMadeReview, REVIEW_NOW } from "../../fixtures/review-inputs.ts";

const input = handMadeReview();
const review = computeReview(input);

describe("chart specs", () => {
  const specs = buildChartSpecs(review, input.plan);

  it("are the four charts, with their data inline and a Japanese description", () => {
    expect(Object.keys(specs)).toEqual([...CHART_NAMES]);
    for (const chart of Object.values(specs)) {
      expect(JSON.stringify(chart.spec)).not.toMatch(/"url"/);
      expect(chart.description).toMatch(/グラフ。/);
    }
  });

  it("put the year's targets beside its actuals", () => {
    const spec = specs["supported-cases"]?.spec as { data?: { values?: unknown[] } } | undefined;
    const values = spec?.data?.values ?? [];
    expect(values).toContainEqual({ year: "2020年度", category: "計", series: "目標", cases: 30 });
    expect(values).toContainEqual({ year: "2020年度", category: "計", series: "実績", cases: 5 });
  });

  it("leave out a chart with nothing to draw", () => {
    const early = computeReview({
      plan: referencePlan(),
      fiscalYear: 2017,
      submissions: [],
      requests: [],
      now: REVIEW_NOW,
    });
    expect(Object.keys(buildChartSpecs(early, referencePlan()))).not.toContain("supported-cases");
  });
});

describe("chart rendering", () => {
  let svgs: ChartSvgs = {};
  beforeAll(async () => {
    svgs = await renderChartSvgs(buildChartSpecs(review, input.plan));
  });

  it("gives each chart as an SVG announced as an image with its description", () => {
    expect(Object.keys(svgs)).toEqual([...CHART_NAMES]);
    for (const [name, svg] of Object.entries(svgs)) {
      expect(svg.startsWith('<svg role="img" aria-label="'), name).toBe(true);
      expect(svg, name).toMatch(/^<svg [^>]*><title>[^<]+<\/title>/);
      expect(svg, name).not.toMatch(/<script/i);
    }
  });

  it("draws the Japanese axis titles and labels", () => {
    expect(svgs["supported-cases"]).toContain("支援件数（件）");
    expect(svgs["supported-cases"]).toContain("2018年度");
    expect(svgs["follow-up"]).toContain("支援した案件数（件）");
    expect(svgs["follow-up"]).toContain("支援開始年度（案件数）");
    expect(svgs["by-field"]).toContain("事業分野");
    expect(svgs["by-field"]).toContain("食料品製造関連");
    expect(svgs["by-institution"]).toContain("支援機関");
    expect(svgs["by-institution"]).toContain("ノーステック財団");
  });

  it("escapes text from the plan inside the SVG", async () => {
    const hostile = {
      ...review,
      breakdowns: {
        ...review.breakdowns,
        byField: [{ key: "x", label: `<script>alert(1)</script>"&`, cases: 2 }],
      },
    };
    const svg = (await renderChartSvgs(buildChartSpecs(hostile, input.plan)))["by-field"] ?? "";
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses a spec that would load data from elsewhere", async () => {
    const chart: ChartSpec = {
      name: "by-field",
      title: "外部",
      description: "外部のデータ",
      spec: { data: { url: "http://127.0.0.1:9/data.json" }, mark: "bar" },
    };
    await expect(renderChartSvg(chart)).rejects.toThrow(ChartLoadRefusedError);
  });

  it("labels an SVG as one image, leaving the rest of it but the roles of its parts", () => {
    expect(labelSvg('<svg width="1"><g/></svg>', "図 <1>")).toBe(
      '<svg role="img" aria-label="図 &lt;1&gt;" width="1"><title>図 &lt;1&gt;</title><g/></svg>',
    );
    expect(
      labelSvg(
        '<svg><g class="mark-rect" role="graphics-symbol" aria-roledescription="rect mark container"/></svg>',
        "図",
      ),
    ).toBe('<svg role="img" aria-label="図"><title>図</title><g class="mark-rect"/></svg>');
  });

  it("render with no named part inside the image (every part is said by the description and the table)", () => {
    for (const svg of Object.values(svgs)) {
      expect(svg.startsWith('<svg role="img" aria-label="')).toBe(true);
      expect(svg.slice(svg.indexOf(">") + 1)).not.toMatch(/\brole="|aria-roledescription/);
    }
  });

  it("inline into the report, which still has no script", () => {
    const html = renderReportHtml(review, input.plan, { version: 1, status: "draft", charts: svgs });
    expect(html.match(/<figure>/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script/i);
  });
});
