import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Browser } from "playwright-core";
import { newJapanesePage } from "./browser.ts";

/**
 * A PDF as a reader's viewer sees it, read with PDF.js (pdfjs-dist, Mozilla's PDF engine, pure JavaScript): its page
 * count and each page's text, taken from the embedded fonts' Unicode maps, as searching or copying the PDF gives it.
 */
export async function readPdf(bytes: Uint8Array): Promise<{ pages: number; text: string[] }> {
  // PDF.js takes the buffer over; it gets a copy so the caller's bytes stay usable.
  const loading = getDocument({ data: bytes.slice(), useSystemFonts: false });
  try {
    const document = await loading.promise;
    const text: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      text.push(content.items.map((item) => ("str" in item ? item.str : "")).join(""));
    }
    return { pages: document.numPages, text };
  } finally {
    await loading.destroy();
  }
}

const PDFJS_BUILD = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "build");

/**
 * Screenshots of a PDF's pages as PDF.js draws them in Chromium (the headless shell has no PDF viewer of its own),
 * for a person to look at; returns the page count.
 */
export async function screenshotPdf(
  browser: Browser,
  bytes: Uint8Array,
  pathOf: (page: number) => string,
): Promise<number> {
  const page = await newJapanesePage(browser, { viewport: { width: 900, height: 1280 } });
  try {
    await page.route("http://pdf.test/**", (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === "report.pdf") return route.fulfill({ contentType: "application/pdf", body: Buffer.from(bytes) });
      if (name === "index.html")
        return route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><body style="margin:0"><canvas id="page"></canvas><script type="module">
import * as pdfjs from "/pdf.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "/pdf.worker.mjs";
const pdf = await pdfjs.getDocument({ url: "/report.pdf" }).promise;
window.draw = async (number) => {
  const page = await pdf.getPage(number);
  const viewport = page.getViewport({ scale: 1.5 });
  const canvas = document.getElementById("page");
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
};
window.pages = pdf.numPages;
</script>`,
        });
      return route.fulfill({ contentType: "text/javascript", body: readFileSync(join(PDFJS_BUILD, name)) });
    });
    await page.goto("http://pdf.test/index.html");
    const pages = Number(await page.waitForFunction("window.pages").then((handle) => handle.jsonValue()));
    for (let number = 1; number <= pages; number++) {
      await page.evaluate(`window.draw(${number})`);
      await page.locator("#page").screenshot({ path: pathOf(number) });
    }
    return pages;
  } finally {
    await page.context().close();
  }
}
