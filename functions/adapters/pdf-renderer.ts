import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type ChromiumBinary from "@sparticuz/chromium";
import type { Browser, Page } from "playwright-core";
import { type EmbeddedFace, fontFaceRules, subsetsForText } from "../../domain/report/font-subsets.ts";

// Resolved the CommonJS way, which reads NODE_PATH: in Lambda these packages come from a layer under
// /opt/nodejs/node_modules (infra/constructs/pdf-renderer-layer.ts), which an ES module import does not search.
const resolveFrom = createRequire(import.meta.url);

/** Imports a package from wherever Node's CommonJS resolution finds it: node_modules here, the layer in Lambda. */
async function importPackage<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(resolveFrom.resolve(name)).href)) as T;
}

/**
 * The family the report's stylesheet and its charts ask for first (domain/report/style.ts, chart-specs.ts). An
 * @font-face of that name wins over any system font, so the embedded glyphs are used everywhere in the page.
 */
const FAMILY = "Noto Sans CJK JP";
/** The weights the report uses: body text and bold (headings, table heads, status words). */
export const FONT_WEIGHTS = [400, 700] as const;

/** The font package: its subsets' Unicode ranges (unicode.json) and one WOFF2 file per subset and weight. */
export const FONT_PACKAGE = "@fontsource/noto-sans-jp";

/** "files/noto-sans-jp-12-400-normal.woff2" for subset "[12]": where @fontsource keeps a subset's file of a weight. */
export function fontFile(subset: string, weight: number): string {
  return `files/noto-sans-jp-${subset.replace(/^\[(\d+)\]$/, "$1")}-${weight}-normal.woff2`;
}

/** What one rendering took, for the logs and the benchmark. */
export interface PdfRendering {
  pdf: Uint8Array;
  /** The font subsets embedded (per weight). */
  subsets: number;
  /** Milliseconds spent launching the browser, 0 when it was running already. */
  launchMs: number;
}

/**
 * Prints a self-contained HTML document to an A4 PDF in headless Chromium: the build @sparticuz/chromium ships
 * (made for Lambda; unpacked to /tmp on first use), driven by playwright-core with that package's flags. The
 * Japanese glyphs come from @fontsource/noto-sans-jp, embedded as data: URLs, only the subsets the document's text
 * uses, so no system font is needed. The browser and its one page stay up between renderings of one process (a
 * warm Lambda container): Lambda's Chromium runs as a single process, where closing a page ends the browser, so
 * every rendering reuses the page, one at a time.
 */
export class PdfRenderer {
  private session: Promise<{ browser: Browser; page: Page }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `executablePath` replaces the npm Chromium (CHROMIUM_PATH, e.g. Debian's, where the npm one cannot run). */
  constructor(private readonly options: { executablePath?: string } = {}) {}

  private async launch(): Promise<{ browser: Browser; page: Page }> {
    const Chromium = (await importPackage<{ default: typeof ChromiumBinary }>("@sparticuz/chromium")).default;
    const playwright = await importPackage<
      typeof import("playwright-core") & { default?: typeof import("playwright-core") }
    >("playwright-core");
    const { chromium } = playwright.default ?? playwright;
    const executablePath = this.options.executablePath ?? (await Chromium.executablePath());
    const browser = await chromium.launch({ executablePath, args: Chromium.args, headless: true });
    const page = await browser.newPage();
    // The documents carry their fonts and charts inline; nothing may be fetched while printing one.
    await page.route("**/*", (route) => route.abort());
    return { browser, page };
  }

  /** The document with @font-face rules for the font subsets its text needs, in every weight it uses. */
  async embedFonts(html: string): Promise<{ html: string; subsets: number }> {
    const packageDir = dirname(resolveFrom.resolve(`${FONT_PACKAGE}/package.json`));
    const ranges = JSON.parse(await readFile(join(packageDir, "unicode.json"), "utf8")) as Record<string, string>;
    const subsets = subsetsForText(html, ranges);
    const faces: EmbeddedFace[] = [];
    for (const weight of FONT_WEIGHTS)
      for (const subset of subsets) {
        const woff2 = await readFile(join(packageDir, fontFile(subset, weight)));
        faces.push({ weight, unicodeRange: ranges[subset] ?? "", woff2Base64: woff2.toString("base64") });
      }
    const style = `<style>\n${fontFaceRules(FAMILY, faces)}\n</style>\n`;
    return { html: html.replace("</head>", `${style}</head>`), subsets: subsets.length };
  }

  /** Prints the document as the report's own print stylesheet lays it out (A4 from its @page rule). */
  render(html: string): Promise<PdfRendering> {
    const rendering = this.queue.then(() => this.renderNow(html));
    this.queue = rendering.catch(() => {});
    return rendering;
  }

  private async renderNow(html: string): Promise<PdfRendering> {
    const started = performance.now();
    let launchMs = 0;
    if (!this.session) {
      this.session = this.launch();
      try {
        await this.session;
      } catch (error) {
        // A failed launch is not kept: the next rendering tries again.
        this.session = undefined;
        throw error;
      }
      launchMs = performance.now() - started;
    }
    const { page } = await this.session;
    const { html: withFonts, subsets } = await this.embedFonts(html);
    await page.setContent(withFonts, { waitUntil: "load" });
    await page.evaluate("document.fonts.ready.then(() => true)");
    const pdf = await page.pdf({
      format: "A4",
      preferCSSPageSize: true,
      printBackground: false,
      tagged: true,
      outline: true,
    });
    return { pdf: new Uint8Array(pdf), subsets, launchMs };
  }

  /** Closes the browser, if one was launched. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session).browser.close();
  }
}
