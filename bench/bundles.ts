/**
 * Bundles every catalog function the way the stack does (esbuild, minified ESM, AWS SDK v3 inside) and prints, per
 * function, the bundle's size, its size over the SDK's floor (a bare DynamoDB client, bundled in the same run), the
 * three inputs that weigh most above that floor (packages or project modules, from esbuild's metafile), and the
 * module init time of the bundle against importing the same handler unbundled from source, with their ratio.
 *
 * Aim: every function within floor + 200 KB (renderDraftReport, which carries vega, is exempt), and bundle init at
 * most a third of the unbundled import.
 *
 * Each import runs in a fresh Node process (a module loads once per process), with the same environment the
 * handler needs; the figure is the median of several runs after one warm-up.
 *
 * `--sizes-only` skips the init timing (seconds instead of minutes); `--metafile DIR` also writes each function's
 * metafile (`<name>.json`, for https://esbuild.github.io/analyze/) and esbuild's analysis of it (`<name>.txt`).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { analyzeMetafile } from "esbuild";
import { catalog, functionNames } from "../functions/catalog.ts";
import { PROJECT_ROOT } from "../infra/app.ts";
import {
  ALLOWANCE_BYTES,
  type Bundle,
  bundleFunction,
  bundleSdkFloor,
  HEAVY_FUNCTIONS,
  largestAboveFloor,
  usesS3,
} from "../infra/bundle-sizes.ts";

const RUNS = 5;
const INIT_RATIO_AIM = 1 / 3;

const { values: options } = parseArgs({
  options: { "sizes-only": { type: "boolean", default: false }, metafile: { type: "string" } },
});

const env = {
  ...process.env,
  TABLE_NAME: "bench",
  MAIL_FROM: "noreply@example.jp",
  PUBLIC_BASE_URL: "https://forms.example.jp",
  REPORTS_BUCKET: "bench-reports",
  REVIEW_WORKFLOW_ARN: "arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench",
  COLLECTION_WORKFLOW_ARN: "arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench",
  SESSION_KEY_SECRET_ARN: "arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:bench",
  LINK_KEY_SECRET_ARN: "arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:bench",
  SITE_BUCKET: "bench-site",
  SITE_PREFIX: "site/",
  SITE_BASE_URL: "https://reports.example.jp",
  AWS_REGION: "ap-northeast-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  POWERTOOLS_LOG_LEVEL: "ERROR",
};

/** Milliseconds to import `url` in a fresh node process (only the import is timed, not process start). */
function importTime(url: string, loader: string[]): number {
  const script = `const t=performance.now();await import(${JSON.stringify(url)});process.stdout.write(String(performance.now()-t));`;
  try {
    const out = execFileSync(process.execPath, [...loader, "--input-type=module", "-e", script], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return Number(out);
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "");
    const reason = stderr.split("\n").find((line) => /^\w*Error/.test(line)) ?? "unknown error";
    throw new Error(`Importing ${url} failed: ${reason.slice(0, 300)}`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Init of the bundle and of the unbundled handler, in ms, as medians after a warm-up. */
function initTimes(bundleFile: string, entry: string): { bundled: number; unbundled: number } {
  const tsxLoader = ["--import", "tsx"];
  const bundled = pathToFileURL(bundleFile).href;
  const source = pathToFileURL(entry).href;
  importTime(bundled, []);
  importTime(source, tsxLoader);
  return {
    bundled: median(Array.from({ length: RUNS }, () => importTime(bundled, []))),
    unbundled: median(Array.from({ length: RUNS }, () => importTime(source, tsxLoader))),
  };
}

async function writeMetafile(directory: string, name: string, built: Bundle): Promise<void> {
  writeFileSync(join(directory, `${name}.json`), JSON.stringify(built.metafile));
  writeFileSync(join(directory, `${name}.txt`), await analyzeMetafile(built.metafile, { verbose: true }));
}

const outdir = mkdtempSync(join(tmpdir(), "pdca-bundles-"));
writeFileSync(join(outdir, "package.json"), '{"type":"module"}');
const metafileDir = options.metafile ? resolve(options.metafile) : undefined;
if (metafileDir) mkdirSync(metafileDir, { recursive: true });
const rows: string[] = [];
const missed: string[] = [];
let floor: Bundle;
let floorWithS3: Bundle;
try {
  floor = await bundleSdkFloor(PROJECT_ROOT, { outfile: join(outdir, "sdk-floor.mjs") });
  floorWithS3 = await bundleSdkFloor(PROJECT_ROOT, { s3: true, outfile: join(outdir, "sdk-floor-s3.mjs") });
  if (metafileDir) await writeMetafile(metafileDir, "sdk-floor", floor);
  for (const name of functionNames) {
    const entry = join(PROJECT_ROOT, catalog[name].entry);
    const outfile = join(outdir, `${name}.mjs`);
    const built = await bundleFunction(PROJECT_ROOT, name, outfile);
    if (metafileDir) await writeMetafile(metafileDir, name, built);
    const over = built.bytes - floor.bytes;
    const heavy = HEAVY_FUNCTIONS.has(name);
    const sizeMet = heavy || over <= ALLOWANCE_BYTES;
    if (!sizeMet) {
      const withS3 = usesS3(name) ? ` (${kb(built.bytes - floorWithS3.bytes)} KB over the floor with S3)` : "";
      missed.push(`${name} carries ${kb(over)} KB over the floor${withS3}`);
    }
    let init = "";
    if (!options["sizes-only"]) {
      const { bundled, unbundled } = initTimes(outfile, entry);
      const ratio = bundled / unbundled;
      if (ratio > INIT_RATIO_AIM) missed.push(`${name} inits in ${ratio.toFixed(2)} of its unbundled time`);
      init = `  ${bundled.toFixed(1).padStart(7)} ${unbundled.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(6)} ${ratio <= INIT_RATIO_AIM ? "ok    " : "MISSED"}`;
    }
    const largest = largestAboveFloor(built.metafile, floor.metafile, 3)
      .map((input) => `${input.owner} ${kb(input.bytes)}`)
      .join(", ");
    const verdict = heavy ? "exempt" : sizeMet ? "ok    " : "MISSED";
    rows.push(
      `${name.padEnd(19)} ${kb(built.bytes).padStart(7)} ${kb(over).padStart(7)} ${verdict}${init}  ${largest}`,
    );
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
const timing = options["sizes-only"]
  ? "init not timed (--sizes-only)"
  : `init: median of ${RUNS} fresh-process imports after a warm-up, aim ratio ≤ 0.33`;
console.log(
  `bundle benchmark (aim: floor + ${kb(ALLOWANCE_BYTES)} KB, ${[...HEAVY_FUNCTIONS].join(", ")} exempt; ${timing})`,
);
console.log(`  floor: a bare DynamoDB client with one GetItem bundles to ${kb(floor.bytes)} KB (the SDK's floor)`);
console.log(
  `  with a bare S3 client beside it (the functions that touch the report bucket): ${kb(floorWithS3.bytes)} KB, the S3 client alone ${kb(floorWithS3.bytes - floor.bytes)} KB (aws/aws-sdk-js-v3#7607)`,
);
const initHeader = options["sizes-only"]
  ? ""
  : `  ${"init ms".padStart(7)} ${"unbundled".padStart(9)} ${"ratio".padStart(6)} ${"".padEnd(6)}`;
console.log(
  `  ${"function".padEnd(19)} ${"size KB".padStart(7)} ${"over KB".padStart(7)} ${"".padEnd(6)}${initHeader}  largest above the floor (KB)`,
);
for (const row of rows) console.log(`  ${row}`);
if (metafileDir) console.log(`metafiles and their analysis in ${metafileDir}`);
console.log(missed.length === 0 ? "every function meets the aim" : `missed: ${missed.join("; ")}`);
