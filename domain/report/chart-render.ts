import * as vega from "vega";
import { compile } from "vega-lite";
import { escapeHtml } from "../html/escape.ts";
import { CHART_NAMES, type ChartSpec, type ChartSpecs, type ChartSvgs } from "./chart-specs.ts";
import { ChartLoadRefusedError } from "./errors.ts";

/**
 * Server-side chart rendering, apart from the specs and the HTML so that a caller that skips charts (a quick draft,
 * a test) never loads vega. Everything is computed in memory: the specs carry their data inline and the loader
 * below refuses any URL or file a spec might name, so rendering never reads a file or the network.
 */

const refuse = (uri: unknown) => Promise.reject(new ChartLoadRefusedError(String(uri)));
const NO_LOADER: vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

// Warnings go nowhere: a warning would be console output from a pure module, and the specs are tested instead.
const SILENT = vega.logger(vega.None);

// Full-width characters (kana, kanji, full-width forms) take one em; other glyphs of Noto Sans CJK JP about 0.6 em.
const FULL_WIDTH = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

interface TextItem {
  fontSize?: number;
  limit?: number;
}

/**
 * Without a canvas vega guesses every character at 0.8 em, too narrow for Japanese, and the axis titles then overlap
 * their labels. This estimate counts full-width characters as 1 em. It must not truncate (vega truncates through it).
 */
function estimateTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize ?? 11;
  let ems = 0;
  for (const character of String(text ?? "")) ems += FULL_WIDTH.test(character) ? 1 : character === " " ? 0.3 : 0.6;
  const width = ems * size;
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

// vega exports its text metrics object (vl-convert replaces `width` the same way) but does not declare it in types.
const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text: unknown) => number } }).textMetrics;

/**
 * Adds `role="img"`, an `aria-label` and a `<title>` to vega's SVG, so the chart is announced by what it shows.
 * The picture is one image: the roles vega still gives its mark containers (graphics-symbol without a name, which
 * an accessibility checker rightly flags) are taken off, since the description and the table say what they show.
 */
export function labelSvg(svg: string, description: string): string {
  const label = escapeHtml(description);
  return svg
    .replace(/ role="graphics-[a-z]+"| aria-roledescription="[^"]*"/g, "")
    .replace(/^<svg\b([^>]*)>/, `<svg role="img" aria-label="${label}"$1><title>${label}</title>`);
}

/** Renders one chart to a standalone SVG string. */
export async function renderChartSvg(chart: ChartSpec): Promise<string> {
  if (metrics) metrics.width = estimateTextWidth;
  const compiled = compile(chart.spec, { logger: SILENT }).spec;
  // vega would only log a failed load and draw an empty chart; a spec that names a URL is refused outright instead.
  for (const data of compiled.data ?? []) if ("url" in data) throw new ChartLoadRefusedError(String(data.url));
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader: NO_LOADER, logger: SILENT });
  try {
    return labelSvg(await view.toSVG(), chart.description);
  } finally {
    view.finalize();
  }
}

/** Renders every chart of `buildChartSpecs` to SVG with vega-lite and vega, in memory. */
export async function renderChartSvgs(specs: ChartSpecs): Promise<ChartSvgs> {
  const svgs: ChartSvgs = {};
  for (const name of CHART_NAMES) {
    const chart = specs[name];
    if (chart) svgs[name] = await renderChartSvg(chart);
  }
  return svgs;
}
