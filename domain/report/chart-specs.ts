import type { TopLevelSpec } from "vega-lite";
import type { Plan } from "../plan.ts";
import type { BreakdownRow, Review } from "../review/types.ts";

/** The report's charts; each has a table beside it that carries the same figures. */
export const CHART_NAMES = ["supported-cases", "follow-up", "by-field", "by-institution"] as const;
/** The name of one of the report's charts. */
export type ChartName = (typeof CHART_NAMES)[number];

/** A chart as data: its vega-lite spec with inline values, and the Japanese text that describes it to a reader. */
export interface ChartSpec {
  name: ChartName;
  title: string;
  /** Read out in place of the picture (the SVG's title and aria-label). */
  description: string;
  spec: TopLevelSpec;
}

/** The charts a review has data for; a chart with nothing to draw is left out. */
export type ChartSpecs = Partial<Record<ChartName, ChartSpec>>;

/** Rendered charts: one standalone SVG document per chart, ready to be inlined in the HTML. */
export type ChartSvgs = Partial<Record<ChartName, string>>;

/**
 * The font stack of every chart label. Noto Sans CJK JP is what Debian's fonts-noto-cjk installs (the server and
 * the Chromium tests); the others are what a reader's Mac or Windows has when the SVG is shown in a browser.
 */
export const CHART_FONT = "'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif";

const COLORS = { target: "#b8c2cc", actual: "#1d4f91" };
const FOLLOW_UP_COLORS = ["#1d4f91", "#4f86c6", "#9cc3e6", "#c9ddf0", "#e3eef8"];

// Shared look: no chart frame, integer ticks (every figure counted here is a whole number), legend under the plot.
const CONFIG = {
  font: CHART_FONT,
  background: "white",
  // The SVG as a whole is labelled by `description`; vega's per-mark ARIA roles would only repeat the table.
  aria: false,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 240 },
  axisQuantitative: { tickMinStep: 1, format: "d", grid: true, gridColor: "#e3e6ea" },
  axisBand: { labelAngle: 0 },
  // Japanese is not read sideways: the vertical axis's title stands upright above the axis, ending at its line.
  axisY: { titleAngle: 0, titleAlign: "right", titleBaseline: "bottom", titleX: 0, titleY: -8 },
  legend: { orient: "bottom", labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal" },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal" },
  title: { fontSize: 13, fontWeight: "bold", anchor: "start" },
} as const;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

// Figure 2's bars: one per year of follow-up, grouped by cohort. A group is as wide as its bars need, but never
// narrower than its label's longer line (「2018年度開始」, about 70 px at 11 px) plus a gap: the label is centred on
// its group, so a narrower group lets it run into the next one's.
const FOLLOW_UP_BAR_STEP = 26;
const COHORT_MIN_STEP = 96;

function supportedCasesChart(review: Review): ChartSpec | null {
  if (review.supportedCases.length === 0) return null;
  const categories = [
    ["新規", "newCases"],
    ["継続", "continuingCases"],
    ["計", "total"],
  ] as const;
  const values = review.supportedCases.flatMap((year) =>
    categories.flatMap(([category, key]) => [
      { year: `${year.fiscalYear}年度`, category, series: "目標", cases: year[key].target ?? 0 },
      { year: `${year.fiscalYear}年度`, category, series: "実績", cases: year[key].actual },
    ]),
  );
  const first = review.supportedCases[0]?.fiscalYear;
  const last = review.supportedCases.at(-1)?.fiscalYear;
  const description = `${first}年度から${last}年度までの支援件数の目標と実績を、新規・継続・計の区分ごとに年度別に比べた棒グラフ。${review.supportedCases
    .map((year) => `${year.fiscalYear}年度は計${year.total.actual}件（目標${year.total.target ?? "なし"}件）`)
    .join("、")}。`;
  return {
    name: "supported-cases",
    title: "支援件数の目標と実績",
    description,
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: {
        column: {
          field: "category",
          type: "nominal",
          title: null,
          sort: categories.map(([category]) => category),
        },
      },
      spec: {
        width: { step: 28 },
        height: 200,
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              color: {
                field: "series",
                type: "nominal",
                title: null,
                sort: ["目標", "実績"],
                scale: { domain: ["目標", "実績"], range: [COLORS.target, COLORS.actual] },
              },
            },
          },
          {
            mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 10 },
            encoding: { text: { field: "cases", type: "quantitative" } },
          },
        ],
        encoding: {
          x: { field: "year", type: "ordinal", title: "年度", axis: { labelAngle: 0 } },
          xOffset: { field: "series", type: "nominal", sort: ["目標", "実績"] },
          y: { field: "cases", type: "quantitative", title: "支援件数（件）" },
        },
      },
      resolve: { scale: { y: "shared" } },
      config: CONFIG,
    },
  };
}

function followUpChart(review: Review): ChartSpec | null {
  const cohorts = review.followUp.cohorts.filter((cohort) => cohort.years.length > 0);
  if (cohorts.length === 0) return null;
  const values = cohorts.flatMap((cohort) =>
    cohort.years.map((year) => ({
      // Two lines, so that a cohort's label fits under its group of bars.
      cohort: `${cohort.fiscalYear}年度開始\n（${cohort.cases}件）`,
      year: `${year.fiscalYear - cohort.fiscalYear + 1}年目（${year.fiscalYear}年度）`,
      step: `${year.fiscalYear - cohort.fiscalYear + 1}年目`,
      supported: year.supported,
    })),
  );
  const steps = Array.from({ length: review.followUp.followUpYears }, (_, index) => `${index + 1}年目`);
  const description = `支援開始年度ごとの案件が、フォローアップ期間の各年度に何件支援されたかを示す棒グラフ。${cohorts
    .map(
      (cohort) =>
        `${cohort.fiscalYear}年度開始の${cohort.cases}件は${cohort.years.map((year) => `${year.fiscalYear}年度に${year.supported}件`).join("、")}`,
    )
    .join("。")}。`;
  return {
    name: "follow-up",
    title: "支援開始年度別のフォローアップの状況",
    description,
    spec: {
      $schema: SCHEMA,
      data: { values },
      // The step is the cohort's: vega-lite would otherwise give each bar a step, and a cohort with one year so far
      // would get one bar's width for its whole label.
      width: { step: Math.max(FOLLOW_UP_BAR_STEP * steps.length, COHORT_MIN_STEP), for: "position" },
      height: 200,
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            color: {
              field: "step",
              type: "ordinal",
              title: "経過",
              sort: steps,
              scale: { domain: steps, range: FOLLOW_UP_COLORS.slice(0, steps.length) },
            },
          },
        },
        {
          mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 10 },
          encoding: { text: { field: "supported", type: "quantitative" } },
        },
      ],
      encoding: {
        x: {
          field: "cohort",
          type: "ordinal",
          title: "支援開始年度（案件数）",
          sort: null,
          axis: { labelExpr: "split(datum.label, '\\n')" },
        },
        // Every year of the follow-up period has its place in each group, so that a young cohort's missing years
        // show as room still to come rather than as wider bars.
        xOffset: { field: "step", type: "ordinal", sort: steps, scale: { domain: steps } },
        y: { field: "supported", type: "quantitative", title: "支援した案件数（件）" },
        tooltip: null,
      },
      config: CONFIG,
    },
  };
}

function horizontalBars(
  name: "by-field" | "by-institution",
  title: string,
  axisTitle: string,
  rows: readonly BreakdownRow[],
  description: string,
): ChartSpec | null {
  if (rows.length === 0) return null;
  return {
    name,
    title,
    description: `${description}${rows.map((row) => `${row.label}${row.cases}件`).join("、")}。`,
    spec: {
      $schema: SCHEMA,
      data: { values: rows.map((row) => ({ label: row.label, cases: row.cases })) },
      width: 360,
      height: { step: 24 },
      layer: [
        { mark: { type: "bar", color: COLORS.actual } },
        {
          mark: { type: "text", align: "left", baseline: "middle", dx: 3, fontSize: 10 },
          encoding: { text: { field: "cases", type: "quantitative" } },
        },
      ],
      encoding: {
        // The plan's order (lead institution first, fields as the plan lists them), not sorted by size.
        y: { field: "label", type: "nominal", title: axisTitle, sort: null },
        x: { field: "cases", type: "quantitative", title: "支援案件数（件）" },
      },
      config: CONFIG,
    },
  };
}

/**
 * The report's charts as vega-lite specs with inline data; no I/O, so they may be built wherever the review is. The
 * plan is taken, like `reportTables`, so that a later chart may draw on it; the review alone suffices today.
 */
export function buildChartSpecs(review: Review, _plan: Plan): ChartSpecs {
  const { byField, byInstitution } = review.breakdowns;
  const charts = [
    supportedCasesChart(review),
    followUpChart(review),
    horizontalBars(
      "by-field",
      "事業分野別の支援案件数",
      "事業分野",
      byField,
      `${review.fiscalYear}年度に支援した案件${review.breakdowns.cases}件の事業分野別の内訳を示す横棒グラフ。`,
    ),
    horizontalBars(
      "by-institution",
      "支援機関別の支援案件数",
      "支援機関",
      byInstitution,
      `${review.fiscalYear}年度に各支援機関が報告した支援案件数を示す横棒グラフ。複数の機関が報告した案件は、機関ごとに1件と数えています。`,
    ),
  ];
  const specs: ChartSpecs = {};
  for (const chart of charts) if (chart) specs[chart.name] = chart;
  return specs;
}
