import middy from "@middy/core";
import { NotFoundError } from "../domain/errors.ts";
import { renderChartSvgs } from "../domain/report/chart-render.ts";
import { buildChartSpecs } from "../domain/report/chart-specs.ts";
import { REVIEW_FILE } from "../domain/report/files.ts";
import type { Review } from "../domain/review/types.ts";
import { NotApprovedError } from "../domain/site/errors.ts";
import {
  IMMUTABLE,
  PDF_CONTENT_TYPE,
  siteIndexFile,
  versionFiles,
  versionPdfPath,
  yearPageFile,
} from "../domain/site/files.ts";
import { type PublishedVersion, yearPagePath } from "../domain/site/pages.ts";
import { type CirculationRef, circulationRefSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { bucketEnv, chromiumEnv, readEnv, siteEnv, tableEnv } from "./adapters/env.ts";
import { PdfRenderer } from "./adapters/pdf-renderer.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { SiteStore } from "./adapters/site-store.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv, ...siteEnv, ...chromiumEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const reports = new ReportStore(s3Client, env.REPORTS_BUCKET);
const site = new SiteStore(s3Client, env.SITE_BUCKET, env.SITE_PREFIX);
// Module scope: a warm container prints its next report in the browser it launched for the last one.
const renderer = new PdfRenderer({ executablePath: env.CHROMIUM_PATH });

/** Where a publication left the version. */
export interface PublishResult {
  /** The year's page, from the site's root. */
  path: string;
  version: number;
  publishedAt: string;
  /** False when a retry found the version published already (its files are then left as they are). */
  written: boolean;
}

/**
 * Publishes an approved version of a year's report (公表) on the site.
 * 1. Read the plan and the version; a version that every step has not approved is refused (NotApprovedError).
 * 2. Unless it is published already: render its public files (no business names unless the plan publishes them),
 *    print its page to PDF, and write them into the version's permanent folder, the page last.
 * 3. Mark the version published together with its entry in the site's list, once (a retry keeps the first date).
 * 4. The year's page from the latest published version (a newer one, if any, keeps its page), then the site's index
 *    from the list of every published version.
 */
export async function publishReport(ref: CirculationRef, now = new Date()): Promise<PublishResult> {
  const plan = await table.plans.getPlan(ref.planId);
  const stored = await table.reviews.findReview(ref.planId, ref.fiscalYear, ref.version);
  if (!stored) throw new NotFoundError(`Review v${ref.version}`);
  if (stored.status !== "approved" || !stored.approvedAt)
    throw new NotApprovedError(`${ref.planId} ${ref.fiscalYear} v${ref.version}`);
  const reviewFile = await reports.getFile(`${stored.prefix}${REVIEW_FILE}`);
  if (!reviewFile) throw new NotFoundError(`${stored.prefix}${REVIEW_FILE}`);
  const review = JSON.parse(reviewFile.body) as Review;
  const published: PublishedVersion = {
    planId: plan.id,
    planName: plan.name,
    fiscalYear: ref.fiscalYear,
    version: ref.version,
    approvedAt: stored.approvedAt,
    publishedAt: stored.publishedAt ?? now.toISOString(),
  };
  const rendering = {
    published,
    charts: await renderChartSvgs(buildChartSpecs(review, plan)),
    generatedAt: stored.createdAt,
  };

  // A published version's files never change: a retry after the mark writes none of them again.
  const written = !stored.publishedAt;
  if (written) {
    const [page, ...data] = versionFiles(review, plan, rendering);
    if (!page) throw new Error("A version has no page");
    const printed = await renderer.render(String(page.body));
    logger.info("report printed", {
      ...ref,
      bytes: printed.pdf.length,
      subsets: printed.subsets,
      launchMs: printed.launchMs,
    });
    const pdf = {
      path: versionPdfPath(published),
      contentType: PDF_CONTENT_TYPE,
      body: printed.pdf,
      cacheControl: IMMUTABLE,
    };
    await site.putFiles([...data, pdf, page]);
    if (!(await table.reviews.markPublished(published))) {
      // Published meanwhile by another run of this step (its date stands), or no longer approved: read which.
      const again = await table.reviews.findReview(ref.planId, ref.fiscalYear, ref.version);
      if (!again?.publishedAt) throw new NotApprovedError(`${ref.planId} ${ref.fiscalYear} v${ref.version}`);
      published.publishedAt = again.publishedAt;
    }
  }

  const versions = await table.reviews.listPublishedVersions(ref.planId, ref.fiscalYear);
  const latest = versions.reduce((newest, entry) => (entry.version > newest.version ? entry : newest), published);
  if (latest.version === ref.version) await site.putFiles([yearPageFile(review, plan, { ...rendering, versions })]);
  await site.putFiles([siteIndexFile(await table.reviews.listAllPublishedVersions())]);
  logger.info("report published", { ...ref, written, latest: latest.version });
  return {
    path: yearPagePath(ref.planId, ref.fiscalYear),
    version: ref.version,
    publishedAt: published.publishedAt,
    written,
  };
}

export const handler = middy<CirculationRef, PublishResult>()
  .use(logFailures())
  .use(parseEvent(circulationRefSchema))
  .handler((event) => publishReport(event));
