import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";
import { buildPdfRendererLayer, rendererPackages } from "../../infra/constructs/pdf-renderer-layer.ts";

// The layer the printing function runs with, built as `cdk synth` builds it (offline, from node_modules), then
// loaded the way Lambda loads it: from a directory with no node_modules, through NODE_PATH only, with require(esm)
// switched off as Lambda switches it off.

let work: string;
let layer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pdca-layer-test-"));
  layer = join(work, "layer");
  buildPdfRendererLayer(PROJECT_ROOT, layer);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the PDF renderer's layer", () => {
  it("holds Chromium's compressed binary, playwright-core, their dependencies and the font's two weights", () => {
    const modules = join(layer, "nodejs", "node_modules");
    expect(existsSync(join(modules, "@sparticuz", "chromium", "bin", "chromium.br"))).toBe(true);
    expect(existsSync(join(modules, "playwright-core", "package.json"))).toBe(true);
    // @sparticuz/chromium unpacks its binary with tar-fs; the layer carries what that needs.
    expect(existsSync(join(modules, "tar-fs", "package.json"))).toBe(true);
    expect(rendererPackages(PROJECT_ROOT).length).toBeGreaterThan(3);
    const fonts = readdirSync(join(modules, "@fontsource", "noto-sans-jp", "files"));
    expect(fonts.filter((file) => file.endsWith("-400-normal.woff2")).length).toBe(124);
    expect(fonts.filter((file) => file.endsWith("-700-normal.woff2")).length).toBe(124);
    expect(fonts.every((file) => /-(400|700)-normal\.woff2$/.test(file))).toBe(true);
  });

  it("is found by the renderer's way of loading, from NODE_PATH alone, as in Lambda", () => {
    const handler = join(work, "task");
    const script = join(handler, "index.mjs");
    spawnSync("mkdir", ["-p", handler]);
    // The same resolution as functions/adapters/pdf-renderer.ts: CommonJS resolution, then import().
    writeFileSync(
      script,
      `import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const resolveFrom = createRequire(import.meta.url);
const load = async (name) => import(pathToFileURL(resolveFrom.resolve(name)).href);
const chromium = (await load("@sparticuz/chromium")).default;
const playwright = await load("playwright-core");
const fontRanges = resolveFrom.resolve("@fontsource/noto-sans-jp/unicode.json");
console.log(JSON.stringify({
  args: chromium.args.includes("--single-process"),
  launch: typeof (playwright.default ?? playwright).chromium.launch,
  fonts: fontRanges.startsWith(${JSON.stringify(layer)}),
}));
`,
    );
    const run = spawnSync(process.execPath, ["--no-experimental-require-module", script], {
      cwd: handler,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NODE_PATH: join(layer, "nodejs", "node_modules") },
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ args: true, launch: "function", fonts: true });
    // Without the layer on NODE_PATH nothing is found: the check above is about the layer, not this repository.
    const without = spawnSync(process.execPath, [script], {
      cwd: handler,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(without.status).not.toBe(0);
  });
});
