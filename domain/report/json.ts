import { fiscalYearEraLabel } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import type { FindingKind, Review } from "../review/types.ts";
import type { ReportStatus } from "./labels.ts";
import type { ReportTable } from "./table-types.ts";
import { reportTables } from "./tables.ts";

/** The version of the JSON and CSV layout documented in docs/report-data-schema.md; bumped on any breaking change. */
export const REPORT_SCHEMA_VERSION = "2.1";

/** The report's data as one JSON document: metadata, the texts of the report, and every table. */
export interface ReportJson {
  schemaVersion: string;
  plan: { id: string; name: string; firstFiscalYear: number; lastFiscalYear: number };
  fiscalYear: number;
  fiscalYearLabel: string;
  fiscalYearEraLabel: string;
  version: number;
  status: ReportStatus;
  generatedAt: string;
  findings: { kind: FindingKind; text: string }[];
  secretariatFindings: string[];
  decisions: string[];
  notes: string[];
  tables: (ReportTable & { csv: string })[];
}

/** Where a table's CSV file lies, relative to the report version's folder. */
export function csvPath(table: Pick<ReportTable, "name">): string {
  return `data/${table.name}.csv`;
}

/** The report's data as a JSON document; `generatedAt` defaults to the time the review was computed. */
export function reportJson(
  review: Review,
  plan: Plan,
  version: number,
  status: ReportStatus = "draft",
  generatedAt: string = review.generatedAt,
): ReportJson {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    plan: {
      id: plan.id,
      name: plan.name,
      firstFiscalYear: plan.period.firstFiscalYear,
      lastFiscalYear: plan.period.lastFiscalYear,
    },
    fiscalYear: review.fiscalYear,
    fiscalYearLabel: review.fiscalYearLabel,
    fiscalYearEraLabel: fiscalYearEraLabel(review.fiscalYear),
    version,
    status,
    generatedAt,
    // Weights only order the findings; the order is kept and the weights, an internal scale, are not published.
    findings: review.findings.map((finding) => ({ kind: finding.kind, text: finding.text })),
    secretariatFindings: review.secretariatFindings,
    decisions: review.decisions,
    notes: review.notes,
    tables: reportTables(review, plan).map(({ name, title, columns, rows }) => ({
      name,
      title,
      csv: csvPath({ name }),
      columns,
      rows,
    })),
  };
}

/** The report's data as JSON text, indented so that a person can read it too. */
export function toReportJson(
  review: Review,
  plan: Plan,
  version: number,
  status: ReportStatus = "draft",
  generatedAt: string = review.generatedAt,
): string {
  return `${JSON.stringify(reportJson(review, plan, version, status, generatedAt), null, 2)}\n`;
}
