/**
 * Bundles every catalog function the way the stack does (esbuild, minified ESM, AWS SDK v3 inside) and prints,
 * per function, the bundle's size and the module init time of the bundle against importing the same handler
 * unbundled from source, measured in this run, with their ratio.
 *
 * Aim: every bundle under 300 KB, and bundle init at most a third of the unbundled import.
 *
 * Each import runs in a fresh Node process (a module loads once per process), with the same environment the
 * handler needs; the figure is the median of several runs after one warm-up.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { catalog, functionNames } from "../functions/catalog.ts";
import { PROJECT_ROOT } from "../infra/app.ts";
import { sharedEsbuildOptions } from "../infra/bundling.ts";

const RUNS = 5;
const SIZE_AIM_BYTES = 300 * 1024;
const INIT_RATIO_AIM = 1 / 3;

const env = {
  ...process.env,
  TABLE_NAME: "bench",
  MAIL_FROM: "noreply@example.jp",
  PUBLIC_BASE_URL: "https://forms.example.jp",
  REPORTS_BUCKET: "bench-reports",
  WORKFLOW_ARN: "arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench",
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

const outdir = mkdtempSync(join(tmpdir(), "pdca-bundles-"));
writeFileSync(join(outdir, "package.json"), '{"type":"module"}');
const tsxLoader = ["--import", "tsx"];
const rows: string[] = [];
let allMet = true;
try {
  for (const name of functionNames) {
    const entry = join(PROJECT_ROOT, catalog[name].entry);
    const outfile = join(outdir, `${name}.mjs`);
    await build({ ...sharedEsbuildOptions, entryPoints: [entry], outfile, logLevel: "error" });
    const size = statSync(outfile).size;
    importTime(pathToFileURL(outfile).href, []);
    importTime(pathToFileURL(entry).href, tsxLoader);
    const bundled = median(Array.from({ length: RUNS }, () => importTime(pathToFileURL(outfile).href, [])));
    const unbundled = median(Array.from({ length: RUNS }, () => importTime(pathToFileURL(entry).href, tsxLoader)));
    const ratio = bundled / unbundled;
    const met = size < SIZE_AIM_BYTES && ratio <= INIT_RATIO_AIM;
    allMet &&= met;
    rows.push(
      `${name.padEnd(19)} ${(size / 1024).toFixed(1).padStart(7)} KB  init ${bundled.toFixed(1).padStart(6)} ms  unbundled ${unbundled.toFixed(1).padStart(7)} ms  ratio ${ratio.toFixed(2)}  ${met ? "ok" : "MISSED"}`,
    );
  }
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  throw error;
}
// The floor no handler can go under with the SDK inside: a bare DynamoDB client sending one GetItem.
const floorEntry = join(outdir, "sdk-floor.mjs");
await build({
  ...sharedEsbuildOptions,
  stdin: {
    contents:
      'import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";\nconst client = new DynamoDBClient({});\nexport const handler = () => client.send(new GetItemCommand({ TableName: "t", Key: {} }));\n',
    resolveDir: PROJECT_ROOT,
    loader: "ts",
  },
  outfile: floorEntry,
  logLevel: "error",
});
const floor = statSync(floorEntry).size;
console.log(
  `bundle benchmark (median of ${RUNS} fresh-process imports after a warm-up; aim < 300 KB and ratio ≤ 0.33)`,
);
console.log(
  `  baseline: a bare DynamoDB client with one GetItem bundles to ${(floor / 1024).toFixed(1)} KB (the SDK's floor)`,
);
for (const row of rows) console.log(`  ${row}`);
console.log(allMet ? "every function meets the aim" : "some functions miss the aim");
rmSync(outdir, { recursive: true, force: true });
