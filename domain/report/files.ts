import type { FiscalYear } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import type { Review } from "../review/types.ts";
import { toCsv } from "./csv.ts";
import { ReportPathError } from "./errors.ts";
import { type ReportRenderOptions, renderReportHtml } from "./html.ts";
import { csvPath, toReportJson } from "./json.ts";
import { reportTables } from "./tables.ts";

/** The file holding a version's whole review (the computed figures and lists), beside its report files. */
export const REVIEW_FILE = "review.json";

/** A version's own files, by plain names: nothing that could climb out of its prefix (report/data/ for the data). */
export const REPORT_FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(html|json|csv)$/;

/** One file of a report version, its path relative to the version's folder (see `reportPrefix`). */
export interface ReportFile {
  path: string;
  contentType: string;
  body: string;
}

/**
 * "<planId>/<fiscalYear>/v<version>/": one version's folder, below the draft reports' folder and below the published
 * site's root alike, ending with a slash. Refuses what is not a path segment rather than escaping it.
 */
export function versionFolder(planId: string, fiscalYear: FiscalYear, version: number): string {
  // The same rule as a plan's id, so that no id can climb out of its folder or add a segment.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(planId))
    throw new ReportPathError(`Plan id ${JSON.stringify(planId)} is not a path segment`);
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1000 || fiscalYear > 9999)
    throw new ReportPathError(`Fiscal year ${fiscalYear} is not a four-digit year`);
  if (!Number.isInteger(version) || version < 1)
    throw new ReportPathError(`Version ${version} is not a positive integer`);
  return `${planId}/${fiscalYear}/v${version}/`;
}

/** "reports/<planId>/<fiscalYear>/v<version>/": where one version's files are stored, ending with a slash. */
export function reportPrefix(planId: string, fiscalYear: FiscalYear, version: number): string {
  return `reports/${versionFolder(planId, fiscalYear, version)}`;
}

/**
 * Every file of one report version: `index.html`, one `data/<table>.csv` per table, and `report.json`, each with
 * what `options.audience` may read.
 */
export function reportFiles(review: Review, plan: Plan, options: ReportRenderOptions): ReportFile[] {
  const generatedAt = options.generatedAt ?? review.generatedAt;
  const audience = options.audience ?? "secretariat";
  return [
    { path: "index.html", contentType: "text/html; charset=utf-8", body: renderReportHtml(review, plan, options) },
    ...reportTables(review, plan, audience).map((table) => ({
      path: csvPath(table),
      contentType: "text/csv; charset=utf-8",
      body: toCsv(table),
    })),
    {
      path: "report.json",
      contentType: "application/json; charset=utf-8",
      body: toReportJson(review, plan, options.version, options.status, generatedAt, {
        audience,
        approvedAt: options.approvedAt,
      }),
    },
  ];
}
