import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { PROJECT_ROOT } from "../../infra/app.ts";

/** Where browser tests leave screenshots for a person to look at (git-ignored). */
export const SCREENSHOTS = join(PROJECT_ROOT, "test-results", "e2e");

/** Debian's chromium (no downloaded browser), headless, with the machine's closed network in mind. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}
