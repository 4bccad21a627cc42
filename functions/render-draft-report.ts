import middy from "@middy/core";
import { NotFoundError } from "../domain/errors.ts";
import { renderChartSvgs } from "../domain/report/chart-render.ts";
import { buildChartSpecs } from "../domain/report/chart-specs.ts";
import { REVIEW_FILE, reportFiles } from "../domain/report/files.ts";
import type { Review } from "../domain/review/types.ts";
import { type ReviewRef, reviewRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { bucketEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const store = new ReportStore(s3Client, env.REPORTS_BUCKET);

/**
 * Renders a stored review version as the draft report (報告書（案）).
 * 1. Read the version's review JSON from its prefix.
 * 2. Render the charts to SVG with vega-lite, then the HTML, the CSV of every table and the JSON.
 * 3. Write them beside the review; a version's prefix is its own, so no earlier draft is touched.
 */
export async function renderDraftReport(ref: ReviewRef): Promise<{ files: number; prefix: string }> {
  const plan = await table.plans.getPlan(ref.planId);
  const stored = await table.reviews.findReview(ref.planId, ref.fiscalYear, ref.version);
  if (!stored) throw new NotFoundError(`Review v${ref.version}`);
  const reviewFile = await store.getFile(`${stored.prefix}${REVIEW_FILE}`);
  if (!reviewFile) throw new NotFoundError(`${stored.prefix}${REVIEW_FILE}`);
  const review = JSON.parse(reviewFile.body) as Review;
  const started = performance.now();
  const charts = await renderChartSvgs(buildChartSpecs(review, plan));
  const files = reportFiles(review, plan, {
    version: ref.version,
    status: stored.status,
    charts,
    generatedAt: stored.createdAt,
  });
  await store.putFiles(stored.prefix, files);
  logger.info("draft rendered", { ...ref, files: files.length, renderMs: Math.round(performance.now() - started) });
  return { files: files.length, prefix: stored.prefix };
}

export const handler = middy<ReviewRef, { files: number; prefix: string }>()
  .use(logFailures())
  .use(parseEvent(reviewRefSchema))
  .handler((event) => renderDraftReport(event));
