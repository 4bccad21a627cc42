import middy from "@middy/core";
import { REVIEW_FILE, reportPrefix } from "../domain/report/files.ts";
import { reviewFigures } from "../domain/review/figures-summary.ts";
import { type CirculationRef, type StartReviewInput, startReviewInputSchema } from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { bucketEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { reviewFromTable } from "./adapters/review-source.ts";
import { openTable } from "./adapters/table/index.ts";
import { logFailures, logger, parseEvent } from "./middleware.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const store = new ReportStore(s3Client, env.REPORTS_BUCKET);

/**
 * Computes the year's review (点検評価) as a new draft version.
 * 1. Read the year from the table (Query only) into the domain's accumulator.
 * 2. Take the next version number; a version is never overwritten.
 * 3. Add the secretariat's findings and decisions, if the run carries them (a later draft after the meeting).
 * 4. Claim the version in the table with its bounded figures, then write the whole review under its prefix.
 */
export async function computeReview(input: StartReviewInput, now = new Date()): Promise<CirculationRef> {
  const plan = await table.plans.getPlan(input.planId);
  const computed = await reviewFromTable(table, plan, input.fiscalYear, now);
  const review = {
    ...computed.review,
    secretariatFindings: input.notes.findings,
    decisions: input.notes.decisions,
  };
  const { itemsRead } = computed;
  const latest = await table.reviews.findLatestReview(plan.id, input.fiscalYear);
  // A retry of this run after it claimed its number (the files' write failed) takes the same version up again:
  // otherwise the claimed number would stay without files and the draft circulated would skip a number.
  const retried = latest !== undefined && input.run !== undefined && latest.claimedBy === input.run.id;
  const version = retried ? latest.version : (latest?.version ?? 0) + 1;
  const prefix = reportPrefix(plan.id, input.fiscalYear, version);
  // The conditional put of the version item claims the number first; only its winner writes under the prefix, so
  // two drafts started at once can never overwrite each other's files.
  if (!retried)
    await table.reviews.putReview({
      planId: plan.id,
      fiscalYear: input.fiscalYear,
      version,
      createdAt: now.toISOString(),
      prefix,
      status: "draft",
      figures: reviewFigures(review),
      ...(input.run ? { claimedBy: input.run.id } : {}),
    });
  await store.putFiles(prefix, [
    { path: REVIEW_FILE, contentType: "application/json; charset=utf-8", body: JSON.stringify(review) },
  ]);
  logger.info("review computed", { planId: plan.id, fiscalYear: input.fiscalYear, version, itemsRead });
  // The circulation that follows reads its step length from the version's reference, when one was asked for.
  return {
    planId: plan.id,
    fiscalYear: input.fiscalYear,
    version,
    ...(input.stepSeconds ? { stepSeconds: input.stepSeconds } : {}),
  };
}

export const handler = middy<StartReviewInput, CirculationRef>()
  .use(logFailures())
  .use(parseEvent(startReviewInputSchema))
  .handler((event) => computeReview(event));
