/**
 * Prints the reference plan's report to PDF as PublishReport does (functions/adapters/pdf-renderer.ts: the Chromium of
 * @sparticuz/chromium with its Lambda flags, driven by playwright-core, the Japanese font's subsets embedded) and
 * prints, against rendering the same HTML to a full-page PNG screenshot in the same browser build and process:
 *
 * - cold: unpacking the browser from the npm package (what a fresh Lambda container does), launching it, and the
 *   first report;
 * - warm: a second report (the next year's) in the same process, the browser already up;
 * - the size of the PDF against the size of the PNG.
 *
 * Each run is a fresh Node process with a fresh temporary directory, so the browser is unpacked again as in a new
 * container; one run is discarded first (it warms the disk cache, as a warm-up), then the median of the rest.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FiscalYear } from "../domain/calendar.ts";
import type { Plan } from "../domain/plan.ts";
import { renderChartSvgs } from "../domain/report/chart-render.ts";
import { buildChartSpecs } from "../domain/report/chart-specs.ts";
import { computeReview, type EarlierSubmission, type ReviewSubmission } from "../domain/review/review.ts";
import type { RoundRequest } from "../domain/round.ts";
import { versionFiles } from "../domain/site/files.ts";
import { PdfRenderer } from "../functions/adapters/pdf-renderer.ts";
import { benchPlan, DATA_YEARS, RoundGenerator, SIZES } from "./review-data.ts";

const RUNS = 4;
const REVIEW_NOW = new Date("2023-05-20T01:00:00.000Z");

/** What one fresh process measured, in milliseconds and bytes. */
interface RunFigures {
  unpackMs: number;
  pdf: { launchMs: number; firstMs: number; secondMs: number; bytes: number; pages: number; subsets: number };
  png: { launchMs: number; firstMs: number; secondMs: number; bytes: number };
}

/** The public page of the reference plan's report (1×) for each of two years, as PublishReport renders it. */
async function reportPages(years: readonly FiscalYear[]): Promise<string[]> {
  const size = SIZES[0];
  if (!size) throw new Error("no size");
  const plan: Plan = benchPlan(size);
  const generator = new RoundGenerator(plan, size);
  const byYear = new Map(DATA_YEARS.map((year) => [year, generator.year(year).items]));
  const pages: string[] = [];
  for (const fiscalYear of years) {
    const submissions: ReviewSubmission[] = [];
    const earlierSubmissions: EarlierSubmission[] = [];
    const requests: RoundRequest[] = [];
    for (const [year, items] of byYear) {
      if (year > fiscalYear) continue;
      for (const item of items)
        if (item.type === "request" && year === fiscalYear) requests.push(item as unknown as RoundRequest);
        else if (item.type === "latest-submission") {
          const answer = item as unknown as ReviewSubmission & { fiscalYear: FiscalYear };
          if (year === fiscalYear) submissions.push(answer);
          else earlierSubmissions.push(answer);
        }
    }
    const review = computeReview({ plan, fiscalYear, submissions, earlierSubmissions, requests, now: REVIEW_NOW });
    const charts = await renderChartSvgs(buildChartSpecs(review, plan));
    const published = {
      planId: plan.id,
      planName: plan.name,
      fiscalYear,
      version: 1,
      approvedAt: REVIEW_NOW.toISOString(),
      publishedAt: REVIEW_NOW.toISOString(),
    };
    pages.push(String(versionFiles(review, plan, { published, charts, generatedAt: review.generatedAt })[0]?.body));
  }
  return pages;
}

/** The PDF run: launch and print the first report, then the second in the same browser. */
async function printBoth(executablePath: string, first: string, second: string) {
  const renderer = new PdfRenderer({ executablePath });
  let started = performance.now();
  const printed = await renderer.render(first);
  const firstMs = performance.now() - started;
  started = performance.now();
  await renderer.render(second);
  const secondMs = performance.now() - started;
  await renderer.close();
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const loading = getDocument({ data: printed.pdf.slice() });
  const pages = (await loading.promise).numPages;
  await loading.destroy();
  return { launchMs: printed.launchMs, firstMs, secondMs, bytes: printed.pdf.length, pages, subsets: printed.subsets };
}

/** The baseline: the same pages with the same fonts embedded, the same browser and flags, to a full-page PNG. */
async function shootBoth(executablePath: string, args: string[], first: string, second: string) {
  const renderer = new PdfRenderer();
  const [firstHtml, secondHtml] = [(await renderer.embedFonts(first)).html, (await renderer.embedFonts(second)).html];
  // Timed from loading playwright-core, as the renderer's launch is.
  const started = performance.now();
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, args, headless: true });
  const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
  const launchMs = performance.now() - started;
  const shoot = async (html: string) => {
    const begun = performance.now();
    await page.setContent(html, { waitUntil: "load" });
    await page.evaluate("document.fonts.ready.then(() => true)");
    const png = await page.screenshot({ fullPage: true, type: "png" });
    return { ms: performance.now() - begun, bytes: png.length };
  };
  const shotFirst = await shoot(firstHtml);
  const shotSecond = await shoot(secondHtml);
  await browser.close();
  // Launch counted in the first, as the PDF run's first report counts it.
  return { launchMs, firstMs: launchMs + shotFirst.ms, secondMs: shotSecond.ms, bytes: shotFirst.bytes };
}

/**
 * One measurement, in this (fresh) process: unpacking, then the PDF run and the screenshot run, in the order given
 * (runs alternate it, so that neither always profits from what the other loaded).
 */
async function measure(pdfFirst: boolean): Promise<RunFigures> {
  const [first, second] = await reportPages([2020, 2021]);
  if (!first || !second) throw new Error("no report");
  const Chromium = (await import("@sparticuz/chromium")).default;
  const started = performance.now();
  const executablePath = await Chromium.executablePath();
  const unpackMs = performance.now() - started;
  if (pdfFirst) {
    const pdf = await printBoth(executablePath, first, second);
    return { unpackMs, pdf, png: await shootBoth(executablePath, Chromium.args, first, second) };
  }
  const png = await shootBoth(executablePath, Chromium.args, first, second);
  return { unpackMs, png, pdf: await printBoth(executablePath, first, second) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `measure` in a fresh process whose temporary directory is new, so Chromium is unpacked again. */
function freshRun(pdfFirst: boolean): RunFigures {
  const temporary = mkdtempSync(join(tmpdir(), "pdca-bench-pdf-"));
  try {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), pdfFirst ? "--measure-pdf-first" : "--measure-png-first"],
      {
        env: { ...process.env, TMPDIR: temporary },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as RunFigures;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

const mode = process.argv.find((argument) => argument.startsWith("--measure-"));
if (mode) {
  process.stdout.write(`${JSON.stringify(await measure(mode === "--measure-pdf-first"))}\n`);
} else {
  freshRun(true);
  const runs = Array.from({ length: RUNS }, (_, index) => freshRun(index % 2 === 0));
  const m = (pick: (run: RunFigures) => number) => median(runs.map(pick));
  const unpack = m((run) => run.unpackMs);
  const pdfCold = m((run) => run.unpackMs + run.pdf.firstMs);
  const pngCold = m((run) => run.unpackMs + run.png.firstMs);
  const pdfWarm = m((run) => run.pdf.secondMs);
  const pngWarm = m((run) => run.png.secondMs);
  const pdfBytes = m((run) => run.pdf.bytes);
  const pngBytes = m((run) => run.png.bytes);
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  const kb = (value: number) => `${(value / 1024).toFixed(0).padStart(6)} KB`;
  const row = (label: string, pdf: number, png: number, format: (value: number) => string) =>
    console.log(`  ${label.padEnd(24)}${format(pdf)}   ${format(png)}   ${(pdf / png).toFixed(2)}`);
  console.log(`The reference plan's report (1×): FY2020 cold, then FY2021 warm; median of ${RUNS} fresh processes`);
  console.log(
    `  PDF: ${m((run) => run.pdf.pages)} A4 pages, ${m((run) => run.pdf.subsets)} font subsets × 2 weights embedded`,
  );
  console.log(`  unpack Chromium         ${ms(unpack)}   (both runs need it; counted in both colds)`);
  console.log("                               PDF     screenshot   PDF/screenshot");
  row(
    "launch",
    m((run) => run.pdf.launchMs),
    m((run) => run.png.launchMs),
    ms,
  );
  row("cold (unpack+launch+1st)", pdfCold, pngCold, ms);
  row("warm (2nd report)", pdfWarm, pngWarm, ms);
  row("size (1st report)", pdfBytes, pngBytes, kb);
  console.log("  screenshot: the same HTML with the same fonts, full-page PNG at A4 width, same browser and flags");
}
