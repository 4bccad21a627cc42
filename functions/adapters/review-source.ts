import { type FiscalYear, QUARTERS } from "../../domain/calendar.ts";
import type { Plan } from "../../domain/plan.ts";
import { ReviewAccumulator } from "../../domain/review/review.ts";
import type { Review } from "../../domain/review/types.ts";
import type { Table } from "./table/index.ts";

/**
 * Reads what a year's review needs from the table and feeds the domain's accumulator as it reads: the
 * earlier years' answers (of which only case ids, first years and names are kept), the year's latest answers and
 * its requests. Query only, one page at a time; memory holds the accumulator, not the answers.
 */
export async function reviewFromTable(
  table: Pick<Table, "submissions" | "requests">,
  plan: Plan,
  fiscalYear: FiscalYear,
  now: Date,
): Promise<{ review: Review; itemsRead: number }> {
  const accumulator = new ReviewAccumulator(plan, fiscalYear);
  let itemsRead = 0;
  for (let earlier = plan.period.firstFiscalYear; earlier < fiscalYear; earlier++) {
    const read = await table.submissions.forEachLatestSubmission(plan.id, earlier, (submission) =>
      accumulator.addEarlierSubmission({
        institutionId: submission.institutionId,
        fiscalYear: earlier,
        report: submission.report,
      }),
    );
    itemsRead += read.itemsRead;
  }
  const read = await table.submissions.forEachLatestSubmission(plan.id, fiscalYear, (submission) =>
    accumulator.addSubmission({
      institutionId: submission.institutionId,
      quarter: submission.quarter,
      fiscalYear,
      report: submission.report,
    }),
  );
  itemsRead += read.itemsRead;
  const requests = (
    await Promise.all(QUARTERS.map((quarter) => table.requests.listRequests(plan.id, fiscalYear, quarter)))
  ).flat();
  itemsRead += requests.length;
  return { review: accumulator.finish({ requests, now }), itemsRead };
}
