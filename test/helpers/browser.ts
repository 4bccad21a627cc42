import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";

/** Where browser tests leave screenshots for a person to look at (git-ignored). */
export const SCREENSHOTS = `${PROJECT_ROOT}/test-results/e2e`;

/**
 * Headless Chromium from the npm package @sparticuz/chromium (unpacked once by the global setup), so the tests need
 * no system browser; CHROMIUM_PATH (e.g. Debian's /usr/bin/chromium) overrides it.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? inject("chromiumPath"),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

const FONT_ORIGIN = "http://fonts.test";
const fontPackage = dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans-jp/package.json"));

/**
 * @font-face rules that give the pages' first choice, "Noto Sans CJK JP", the glyphs of @fontsource/noto-sans-jp,
 * served by the test itself: the npm-shipped Chromium has no Japanese system font, and a screenshot of tofu tells a
 * person nothing. Only screenshots need it; assertions read text, not pixels.
 */
const fontFaces = ["400", "700"]
  .map((weight) =>
    readFileSync(join(fontPackage, `${weight}.css`), "utf8")
      .replaceAll("'Noto Sans JP'", "'Noto Sans CJK JP'")
      .replaceAll("url(./files/", `url(${FONT_ORIGIN}/`),
  )
  .join("\n");

/**
 * A fresh page in its own context with Japanese glyphs available. The pages' CSP forbids fonts from elsewhere, so the
 * context bypasses CSP for the test's own font origin; nothing else the page loads changes.
 */
export async function newJapanesePage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ bypassCSP: true, ...options });
  await context.route(`${FONT_ORIGIN}/**`, (route) =>
    route.fulfill({
      contentType: "font/woff2",
      body: readFileSync(join(fontPackage, "files", new URL(route.request().url()).pathname.slice(1))),
    }),
  );
  await context.addInitScript(`document.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = ${JSON.stringify(fontFaces)};
    document.head.append(style);
  });`);
  return context.newPage();
}

/** What axe-core finds against WCAG 2.1 A and AA on the page as it stands, one line per rule and its elements. */
export async function wcagViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  // axe ran its rules on the page (a short page passes fewer of them).
  expect(results.passes.length).toBeGreaterThan(5);
  return results.violations.map(
    (violation) => `${violation.id} ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
  );
}
