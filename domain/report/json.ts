import { fiscalYearEraLabel } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import type { FindingKind, Review } from "../review/types.ts";
import { type Audience, reviewForAudience } from "./audience.ts";
import type { ReportStatus } from "./labels.ts";
import type { ReportTable } from "./table-types.ts";
import { reportTables } from "./tables.ts";

/** The version of the JSON and CSV layout documented in docs/report-data-schema.md; bumped on any breaking change. */
export const REPORT_SCHEMA_VERSION = "2.2";

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
  /** When every approval step approved this version; published copies carry it. */
  approvedAt?: string;
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

/** What a JSON document says besides the review: who reads it, and when its version was approved. */
export interface ReportJsonExtra {
  /** @default "secretariat" */
  audience?: Audience;
  approvedAt?: string;
}

/**
 * The report's data as a JSON document; `generatedAt` defaults to the time the review was computed. For the public,
 * the review is first made what the public may read (report/audience.ts).
 */
export function reportJson(
  review: Review,
  plan: Plan,
  version: number,
  status: ReportStatus = "draft",
  generatedAt: string = review.generatedAt,
  extra: ReportJsonExtra = {},
): ReportJson {
  const audience = extra.audience ?? "secretariat";
  const shown = reviewForAudience(review, plan, audience);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    plan: {
      id: plan.id,
      name: plan.name,
      firstFiscalYear: plan.period.firstFiscalYear,
      lastFiscalYear: plan.period.lastFiscalYear,
    },
    fiscalYear: shown.fiscalYear,
    fiscalYearLabel: shown.fiscalYearLabel,
    fiscalYearEraLabel: fiscalYearEraLabel(shown.fiscalYear),
    version,
    status,
    generatedAt,
    ...(extra.approvedAt === undefined ? {} : { approvedAt: extra.approvedAt }),
    // Weights only order the findings; the order is kept and the weights, an internal scale, are not published.
    findings: shown.findings.map((finding) => ({ kind: finding.kind, text: finding.text })),
    secretariatFindings: shown.secretariatFindings,
    decisions: shown.decisions,
    notes: shown.notes,
    tables: reportTables(shown, plan, audience).map(({ name, title, columns, rows }) => ({
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
  extra: ReportJsonExtra = {},
): string {
  return `${JSON.stringify(reportJson(review, plan, version, status, generatedAt, extra), null, 2)}\n`;
}
