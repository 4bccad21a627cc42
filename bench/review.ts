/**
 * The year-end review's speed and memory as plans grow. Generates plans of 1, 10 and 100 times the reference plan's
 * size into DynamoDB Local (the app's own table, created from the synthesized template), then reviews the last fiscal
 * year of each two ways, each run in a fresh Node process so its peak memory is its own:
 *
 * - streaming: `reviewFromTable`, which Queries `LATEST#` page by page and feeds the review's accumulator;
 * - baseline (naive, measured in the same run): Query every page of every year's `LATEST#` items and the year's
 *   requests into arrays first, then `computeReview`.
 *
 * Both read through the table's stores (functions/adapters/table/) with Query only (no Scan) and must produce the same review. Prints wall time
 * (median of the runs after a warm-up), CPU time, items read, peak heap (sampled every few ms), live heap (after forced
 * full collections, in one extra run) and peak RSS, and their ratios;
 * then time per item and per case row across sizes (growth should be linear in the data) and, for the largest plan,
 * the streaming peaks for a year with 1 earlier year against one with 4 (memory should not grow with the years).
 */

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type FiscalYear, QUARTERS } from "../domain/calendar.ts";
import { keys } from "../domain/keys.ts";
import { computeReview, type EarlierSubmission, type ReviewSubmission } from "../domain/review/review.ts";
import type { Review } from "../domain/review/types.ts";
import { reviewFromTable } from "../functions/adapters/review-source.ts";
import { openTable } from "../functions/adapters/table/index.ts";
import type { StoredRequest } from "../functions/adapters/table/requests.ts";
import { SingleTable } from "../functions/adapters/table/single-table.ts";
import { SubmissionStore, type SubmissionVersion } from "../functions/adapters/table/submissions.ts";
import type { YearItems } from "./review-data.ts";

type Method = "streaming" | "baseline";

interface ChildArgs {
  method: Method;
  endpoint: string;
  tableName: string;
  planId: string;
  fiscalYear: FiscalYear;
  /** An untimed run under --expose-gc that collects garbage every few items and records the live heap. */
  live?: boolean;
}

interface ChildResult {
  ms: number;
  /** CPU time of this process (user + system) over the same span: the function's own work, without the engine's. */
  cpuMs: number;
  itemsRead: number;
  heapBeforeMB: number;
  peakHeapMB: number;
  peakRssMB: number;
  /** Live runs only: the largest heap left after a full collection while the review ran. */
  liveHeapMB?: number;
  digest: string;
}

const REVIEW_NOW = new Date("2023-05-01T00:00:00.000Z");
const REGION = "ap-northeast-1";
const CREDENTIALS = { accessKeyId: "bench", secretAccessKey: "bench" };
const SAMPLE_EVERY_MS = 2;
const GC_EVERY_ITEMS = 10;
const MB = 1024 * 1024;

/**
 * The process's peak RSS. `process.resourceUsage().maxRSS` would include the parent's: Linux keeps the high-water
 * mark of a forked child across exec, and a fork starts at the parent's RSS (this driver's is ~250 MB). VmHWM
 * belongs to the process image, so it is the child's own; maxRSS is the fallback where /proc is missing.
 */
function peakRssMB(): number {
  try {
    const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kilobytes) return Number(kilobytes) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** The submission store with a hook on every latest submission it hands out (the live-heap runs collect garbage there). */
class HookedSubmissions extends SubmissionStore {
  private readonly onItem: () => void;

  constructor(client: DynamoDBDocumentClient, tableName: string, onItem: () => void) {
    super(new SingleTable(client, tableName));
    this.onItem = onItem;
  }

  override forEachLatestSubmission(
    planId: string,
    fiscalYear: FiscalYear,
    visit: (submission: SubmissionVersion) => void | Promise<void>,
    pageSize?: number,
  ): Promise<{ itemsRead: number }> {
    return super.forEachLatestSubmission(
      planId,
      fiscalYear,
      (submission) => {
        this.onItem();
        return visit(submission);
      },
      pageSize,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The measured run, in a fresh process: `tsx bench/review.ts child '<json args>'`.

async function child(args: ChildArgs): Promise<ChildResult> {
  const client = new DynamoDBClient({ endpoint: args.endpoint, region: REGION, credentials: CREDENTIALS });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const collect = args.live ? (globalThis as { gc?: () => void }).gc : undefined;
  if (args.live && !collect) throw new Error("A live run needs --expose-gc");
  let liveHeap = 0;
  const collectAndSample = () => {
    collect?.();
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
  };
  let visited = 0;
  const stores = openTable(documents, args.tableName);
  const table = collect
    ? {
        ...stores,
        submissions: new HookedSubmissions(documents, args.tableName, () => {
          if (++visited % GC_EVERY_ITEMS === 0) collectAndSample();
        }),
      }
    : stores;
  const plan = await table.plans.getPlan(args.planId);
  collect?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let review: Review;
  let itemsRead = 0;
  if (args.method === "streaming") {
    ({ review, itemsRead } = await reviewFromTable(table, plan, args.fiscalYear, REVIEW_NOW));
  } else {
    const earlierSubmissions: EarlierSubmission[] = [];
    const submissions: ReviewSubmission[] = [];
    for (let year = plan.period.firstFiscalYear; year < args.fiscalYear; year++)
      itemsRead += (
        await table.submissions.forEachLatestSubmission(plan.id, year, (submission) => {
          earlierSubmissions.push({
            institutionId: submission.institutionId,
            fiscalYear: year,
            report: submission.report,
          });
        })
      ).itemsRead;
    itemsRead += (
      await table.submissions.forEachLatestSubmission(plan.id, args.fiscalYear, (submission) => {
        submissions.push({ ...submission, fiscalYear: args.fiscalYear });
      })
    ).itemsRead;
    const requests: StoredRequest[] = [];
    for (const quarter of QUARTERS)
      requests.push(...(await table.requests.listRequests(plan.id, args.fiscalYear, quarter)));
    sample();
    if (collect) collectAndSample();
    review = computeReview({
      plan,
      fiscalYear: args.fiscalYear,
      submissions,
      earlierSubmissions,
      requests,
      now: REVIEW_NOW,
    });
    // Everything loaded is still held here, as a naive caller holds it until it returns.
    if (collect) collectAndSample();
    itemsRead += requests.length;
  }
  sample();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  client.destroy();
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    itemsRead,
    heapBeforeMB: heapBefore / MB,
    peakHeapMB: peakHeap / MB,
    peakRssMB: peakRssMB(),
    liveHeapMB: collect ? liveHeap / MB : undefined,
    digest: createHash("sha256").update(JSON.stringify(review)).digest("hex").slice(0, 16),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The driver: engine, table, data, fresh processes, figures.

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);

async function measure(args: ChildArgs): Promise<ChildResult> {
  const flags = args.live ? ["--expose-gc"] : [];
  const { stdout } = await run(process.execPath, [...flags, "--import", "tsx", SELF, "child", JSON.stringify(args)], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    maxBuffer: 16 * MB,
  });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as ChildResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The medians of the timed runs, and the live heap of the one untimed run under --expose-gc. */
interface Figures extends Omit<ChildResult, "liveHeapMB" | "digest"> {
  runs: number;
  liveHeapMB: number;
  digests: Set<string>;
}

function summarise(results: ChildResult[], live: ChildResult): Figures {
  return {
    runs: results.length,
    ms: median(results.map((r) => r.ms)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    itemsRead: results[0]?.itemsRead ?? 0,
    heapBeforeMB: median(results.map((r) => r.heapBeforeMB)),
    peakHeapMB: median(results.map((r) => r.peakHeapMB)),
    peakRssMB: median(results.map((r) => r.peakRssMB)),
    liveHeapMB: live.liveHeapMB ?? Number.NaN,
    digests: new Set([...results, live].map((r) => r.digest)),
  };
}

/**
 * One warm-up (both methods send the same Queries, so one warms the engine for both), then `runs` runs of each
 * method, alternating so that any drift of the engine falls on both, then one live-heap run of each.
 */
async function compare(base: Omit<ChildArgs, "method">, runs: number): Promise<Record<Method, Figures>> {
  await measure({ ...base, method: "streaming" });
  const results: Record<Method, ChildResult[]> = { streaming: [], baseline: [] };
  for (let index = 0; index < runs; index++)
    for (const method of ["streaming", "baseline"] as const) results[method].push(await measure({ ...base, method }));
  return {
    streaming: summarise(results.streaming, await measure({ ...base, method: "streaming", live: true })),
    baseline: summarise(results.baseline, await measure({ ...base, method: "baseline", live: true })),
  };
}

/** A generated year's counts, without its items. */
type YearCounts = Omit<YearItems, "fiscalYear" | "items">;

async function main(): Promise<void> {
  const { BatchWriteCommand, QueryCommand } = await import("@aws-sdk/lib-dynamodb");
  const { startDynamoDbLocal } = await import("../local/engines/dynamodb.ts");
  const { provisionResources } = await import("../local/provision.ts");
  const { synthesize } = await import("../local/synth.ts");
  const { TemplateResolver } = await import("../local/template.ts");
  const { benchPlan, DATA_YEARS, RoundGenerator, SIZES } = await import("./review-data.ts");
  type Size = (typeof SIZES)[number];

  const benchStarted = performance.now();
  const dynamodb = await startDynamoDbLocal();
  try {
    const prefix = "bench-review-";
    const client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: REGION, credentials: CREDENTIALS });
    const { tables } = await provisionResources({
      resolver: new TemplateResolver(synthesize(), { prefix }),
      prefix,
      dynamodb: client,
    });
    const tableName = Object.values(tables)[0];
    if (!tableName) throw new Error("The template declares no table");
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const table = openTable(documents, tableName);

    const writeBatch = async (batch: Record<string, unknown>[]) => {
      let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [tableName]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 8) throw new Error("BatchWrite left items unprocessed after 8 retries");
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = result.UnprocessedItems as typeof pending;
      }
    };

    // 1. Data: each size's plan and its rounds, year by year, 25 items a BatchWrite, 4 BatchWrites at a time.
    const generated: {
      size: Size;
      firstFiscalYear: FiscalYear;
      years: Map<FiscalYear, YearCounts>;
      seconds: number;
    }[] = [];
    for (const size of SIZES) {
      const started = performance.now();
      const plan = benchPlan(size);
      await table.plans.putPlan(plan);
      const generator = new RoundGenerator(plan, size);
      const years = new Map<FiscalYear, YearCounts>();
      for (const fiscalYear of DATA_YEARS) {
        const { items, ...counts } = generator.year(fiscalYear);
        years.set(fiscalYear, counts);
        const batches: Record<string, unknown>[][] = [];
        for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
        const lanes = 4;
        await Promise.all(
          Array.from({ length: lanes }, async (_, lane) => {
            for (let index = lane; index < batches.length; index += lanes) await writeBatch(batches[index] ?? []);
          }),
        );
      }
      generated.push({
        size,
        firstFiscalYear: plan.period.firstFiscalYear,
        years,
        seconds: (performance.now() - started) / 1000,
      });
    }
    const setupSeconds = (performance.now() - benchStarted) / 1000;

    // What a review of `fiscalYear` reads: every earlier year's latest answers, the year's, and the year's requests.
    const readOf = (years: Map<FiscalYear, YearCounts>, fiscalYear: FiscalYear) => {
      let caseRows = 0;
      let bytes = 0;
      for (const [year, counts] of years) {
        if (year > fiscalYear) continue;
        caseRows += counts.caseRows;
        bytes += counts.latestBytes + (year === fiscalYear ? counts.requestBytes : 0);
      }
      return { caseRows, bytes };
    };

    /**
     * The engine's share: the same Queries the review sends (every year's LATEST# pages, the year's requests), in this
     * process, with nothing done with the items; with the table's Limit of 100 and with no Limit (1 MB pages).
     */
    const readOnly = async (
      planId: string,
      years: { first: FiscalYear; last: FiscalYear },
      limit: number | undefined,
    ) => {
      const started = performance.now();
      for (let year = years.first; year <= years.last; year++) {
        const { pk, skPrefix } = keys.latestSubmissionsPrefix(planId, year);
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await documents.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
              ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
              Limit: limit,
              ExclusiveStartKey,
            }),
          );
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      }
      for (const quarter of QUARTERS) await table.requests.listRequests(planId, years.last, quarter);
      return performance.now() - started;
    };

    // 2. The review of the last year, both ways, per size.
    const lastYear = DATA_YEARS[DATA_YEARS.length - 1] ?? 2022;
    const firstDataYear = DATA_YEARS[0] ?? 2018;
    const rows: {
      size: Size;
      figures: Record<Method, Figures>;
      caseRows: number;
      bytes: number;
      readMs: { limit100: number; limit10: number; noLimit: number };
    }[] = [];
    for (const { size, years, firstFiscalYear } of generated) {
      const span = { first: firstFiscalYear, last: lastYear };
      const runs = size.institutions >= 50 ? 2 : 3;
      const base = { endpoint: dynamodb.endpoint, tableName, planId: size.planId, fiscalYear: lastYear };
      const figures = await compare(base, runs);
      const reads = { limit100: [] as number[], limit10: [] as number[], noLimit: [] as number[] };
      for (let index = 0; index < (size.institutions >= 50 ? 1 : 3); index++) {
        reads.limit100.push(await readOnly(size.planId, span, 100));
        reads.limit10.push(await readOnly(size.planId, span, 10));
        reads.noLimit.push(await readOnly(size.planId, span, undefined));
      }
      const readMs = {
        limit100: median(reads.limit100),
        limit10: median(reads.limit10),
        noLimit: median(reads.noLimit),
      };
      rows.push({ size, figures, readMs, ...readOf(years, lastYear) });
    }

    // 3. Memory against the number of years: the largest plan's first year with an earlier year, against its last.
    const largest = generated[generated.length - 1];
    const lastRow = rows[rows.length - 1];
    if (!largest || !lastRow) throw new Error("no sizes");
    const earlyYear = firstDataYear + 1;
    const earlyArgs = {
      endpoint: dynamodb.endpoint,
      tableName,
      planId: largest.size.planId,
      fiscalYear: earlyYear,
      method: "streaming" as const,
    };
    // The engine is warm: every run of the last year read these partitions.
    const early = summarise(
      [await measure(earlyArgs), await measure(earlyArgs)],
      await measure({ ...earlyArgs, live: true }),
    );
    const late = lastRow.figures.streaming;

    // 4. Figures.
    const f0 = (value: number) => value.toFixed(0);
    const f1 = (value: number) => value.toFixed(1);
    const f2 = (value: number) => value.toFixed(2);
    const col = (text: string, width: number) => text.padStart(width);
    console.log(
      `review benchmark: the review of FY${lastYear} (data in ${firstDataYear}–${lastYear}, so ${lastYear - firstDataYear} earlier years read) from DynamoDB Local, Query only, each run in a fresh process`,
    );
    console.log(
      "  streaming = reviewFromTable (page by page into the accumulator); baseline = every page into arrays, then computeReview",
    );
    console.log(
      `  engine started, table created from the synthesized template and data written in ${f1(setupSeconds)} s; data generated and written (4 BatchWrites of 25 at a time): ${generated.map((g) => `${g.size.label} ${f1(g.seconds)} s`).join(", ")}; latest-submission and request items only`,
    );
    console.log("");
    console.log(
      "  time: median of the runs after a warm-up; CPU = the review process's own user+system time (the engine's excluded)",
    );
    console.log(
      "  size   inst × cases/yr  case rows  MB read  items | wall ms: stream  baseline  ratio | CPU ms: stream  baseline  ratio | runs  same review",
    );
    for (const { size, figures, caseRows, bytes } of rows) {
      const { streaming: s, baseline: b } = figures;
      const digests = new Set([...s.digests, ...b.digests]);
      console.log(
        [
          `  ${size.label.padEnd(5)}`,
          col(`${size.institutions} × ${size.casesPerInstitutionYear}`, 16),
          col(String(caseRows), 10),
          col(f1(bytes / MB), 8),
          `${col(String(s.itemsRead), 6)} |`,
          col(f0(s.ms), 15),
          col(f0(b.ms), 9),
          `${col(f2(s.ms / b.ms), 6)} |`,
          col(f0(s.cpuMs), 14),
          col(f0(b.cpuMs), 9),
          `${col(f2(s.cpuMs / b.cpuMs), 6)} |`,
          col(String(s.runs), 5),
          ` ${digests.size === 1 ? "yes" : `NO (${[...digests].join(" ")})`}`,
        ].join(" "),
      );
    }
    console.log("");
    const heapBefore = median(
      rows.flatMap((row) => [row.figures.streaming.heapBeforeMB, row.figures.baseline.heapBeforeMB]),
    );
    console.log(
      `  memory, MB: peak heapUsed sampled every ${SAMPLE_EVERY_MS} ms (garbage included), live heap = largest heapUsed after a forced full GC every ${GC_EVERY_ITEMS} items (one untimed --expose-gc run), peak RSS = VmHWM of the process; the heap is ~${f1(heapBefore)} MB before the review starts`,
    );
    console.log(
      "  size  | peak heap: stream  baseline  ratio | live heap: stream  baseline  ratio | peak RSS: stream  baseline  ratio",
    );
    for (const { size, figures } of rows) {
      const { streaming: s, baseline: b } = figures;
      console.log(
        [
          `  ${size.label.padEnd(5)} |`,
          col(f1(s.peakHeapMB), 17),
          col(f1(b.peakHeapMB), 9),
          `${col(f2(s.peakHeapMB / b.peakHeapMB), 6)} |`,
          col(f1(s.liveHeapMB), 17),
          col(f1(b.liveHeapMB), 9),
          `${col(f2(s.liveHeapMB / b.liveHeapMB), 6)} |`,
          col(f1(s.peakRssMB), 15),
          col(f1(b.peakRssMB), 9),
          col(f2(s.peakRssMB / b.peakRssMB), 6),
        ].join(" "),
      );
    }
    console.log("");
    console.log(
      "  growth (streaming): cost per item read and per case row; exponent = log(time ratio) / log(case-row ratio) from the size before (1 = linear)",
    );
    const perItem: number[] = [];
    const wallPerRow: number[] = [];
    const cpuPerRow: number[] = [];
    rows.forEach(({ size, figures, caseRows }, index) => {
      const s = figures.streaming;
      perItem.push(s.ms / s.itemsRead);
      wallPerRow.push((s.ms * 1000) / caseRows);
      cpuPerRow.push((s.cpuMs * 1000) / caseRows);
      const previous = rows[index - 1];
      const exponent = (value: (f: Figures) => number) =>
        previous
          ? f2(Math.log(value(s) / value(previous.figures.streaming)) / Math.log(caseRows / previous.caseRows))
          : "   -";
      console.log(
        `    ${size.label.padEnd(5)} wall ${col(f2(s.ms / s.itemsRead), 6)} ms/item ${col(f1((s.ms * 1000) / caseRows), 6)} µs/case row (exponent ${exponent((f) => f.ms)})   CPU ${col(f2(s.cpuMs / s.itemsRead), 6)} ms/item ${col(f1((s.cpuMs * 1000) / caseRows), 6)} µs/case row (exponent ${exponent((f) => f.cpuMs)})`,
      );
    });
    // Linear means the cost of a case row does not rise with size; a fixed cost per Query makes small plans dearer per
    // row, which is no failing. `rise` is the largest cost per row over the cheapest at any smaller size.
    const spread = (values: number[]) => Math.max(...values) / Math.min(...values);
    const rise = (values: number[]) =>
      Math.max(...values.map((value, index) => (index === 0 ? 1 : value / Math.min(...values.slice(0, index)))));
    const verdict = (name: string, values: number[]) =>
      `${name}: spread ${f2(spread(values))}×, rise ${f2(rise(values))}× (${rise(values) <= 2 ? "linear" : "NOT linear"})`;
    console.log(
      `    aim: cost per case row rises ≤ 2× with size. ${verdict("wall", wallPerRow)}; ${verdict("CPU", cpuPerRow)}`,
    );
    console.log(
      `    per item read (items hold ${rows.map((row) => row.size.casesPerInstitutionYear).join("/")} case rows, so items are no common unit): wall spread ${f2(spread(perItem))}×`,
    );
    console.log("");
    console.log(
      "  the engine's share (wall ms, in the driver): the same Queries with nothing done with the items; the table pages by 10 (Limit 10), and any page also stops at 1 MB (~14 items of the 100× plan)",
    );
    for (const { size, readMs, figures } of rows)
      console.log(
        `    ${size.label.padEnd(5)} Limit 100 ${col(f0(readMs.limit100), 6)}   Limit 10 ${col(f0(readMs.limit10), 6)}   no Limit ${col(f0(readMs.noLimit), 6)}   streaming review ${col(f0(figures.streaming.ms), 6)} (CPU ${f0(figures.streaming.cpuMs)})`,
      );
    console.log("");
    const earlyRows = readOf(largest.years, earlyYear).caseRows;
    const lateRows = readOf(largest.years, lastYear).caseRows;
    console.log(
      `  memory against years (streaming, ${largest.size.label}): FY${earlyYear} reads 1 earlier year, FY${lastYear} reads ${lastYear - firstDataYear}`,
    );
    for (const [year, f, caseRows] of [
      [earlyYear, early, earlyRows],
      [lastYear, late, lateRows],
    ] as const)
      console.log(
        `    FY${year}: ${col(String(f.itemsRead), 5)} items ${col(String(caseRows), 7)} case rows ${col(String(largest.years.get(year)?.distinctCases ?? 0), 6)} distinct cases ${col(f0(f.ms), 6)} ms  peak heap ${col(f1(f.peakHeapMB), 6)}  live heap ${col(f1(f.liveHeapMB), 6)}  peak RSS ${col(f1(f.peakRssMB), 6)} MB`,
      );
    const ratios = {
      "peak heap": late.peakHeapMB / early.peakHeapMB,
      "live heap": late.liveHeapMB / early.liveHeapMB,
      "peak RSS": late.peakRssMB / early.peakRssMB,
    };
    const flat = Object.values(ratios).every((ratio) => ratio <= 1.5);
    console.log(
      `    with ${f2(lateRows / earlyRows)}× the case rows: ${Object.entries(ratios)
        .map(([name, ratio]) => `${name} ${f2(ratio)}×`)
        .join(", ")} (aim ≤ 1.5×: ${flat ? "flat" : "NOT flat"})`,
    );
    console.log(`  total ${f1((performance.now() - benchStarted) / 1000)} s`);
  } finally {
    await dynamodb.stop();
  }
}

if (process.argv[2] === "child") {
  const result = await child(JSON.parse(process.argv[3] ?? "{}") as ChildArgs);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await main();
}
