import type { Plan } from "../plan.ts";
import type { ChartSvgs } from "../report/chart-specs.ts";
import { reportFiles, versionFolder } from "../report/files.ts";
import { renderReportHtml } from "../report/html.ts";
import type { Review } from "../review/types.ts";
import {
  type PublishedVersion,
  REPORT_PDF,
  renderSiteIndex,
  SITE_INDEX,
  versionPageFrame,
  yearPageFrame,
  yearPagePath,
} from "./pages.ts";

/** One file of the published site (公表), its path from the site's root. */
export interface SiteFile {
  path: string;
  contentType: string;
  body: string | Uint8Array;
  /** How long a reader's browser and the CDN may keep it (Cache-Control). */
  cacheControl: string;
}

/** A version's files never change once published: kept a year by browsers and the CDN. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** The year's page and the index change when a version is published: checked again after five minutes. */
export const CHANGING = "public, max-age=300";

/** The content type of a version's PDF. */
export const PDF_CONTENT_TYPE = "application/pdf";

/** What a public rendering of one approved version needs besides the review. */
export interface PublicRendering {
  published: PublishedVersion;
  /** SVGs from `renderChartSvgs`. */
  charts: ChartSvgs;
  /** When the version was made (its 作成日). */
  generatedAt: string;
}

function publicOptions(input: PublicRendering) {
  return {
    version: input.published.version,
    status: "approved" as const,
    audience: "public" as const,
    charts: input.charts,
    generatedAt: input.generatedAt,
    approvedAt: input.published.approvedAt,
    pdf: REPORT_PDF,
  };
}

/**
 * The files of one published version in its permanent folder, `<plan>/<fiscal year>/v<n>/`: `index.html`, one
 * `data/<table>.csv` per table and `report.json`, all as the public may read them. The PDF is printed from this
 * `index.html` by the renderer (an adapter: it launches a browser) and written beside them.
 */
export function versionFiles(review: Review, plan: Plan, input: PublicRendering): SiteFile[] {
  const { published } = input;
  const folder = versionFolder(published.planId, published.fiscalYear, published.version);
  return reportFiles(review, plan, { ...publicOptions(input), ...versionPageFrame(published) }).map((file) => ({
    ...file,
    path: `${folder}${file.path}`,
    cacheControl: IMMUTABLE,
  }));
}

/** The path of a version's PDF from the site's root. */
export function versionPdfPath(published: Pick<PublishedVersion, "planId" | "fiscalYear" | "version">): string {
  return `${versionFolder(published.planId, published.fiscalYear, published.version)}${REPORT_PDF}`;
}

/**
 * The year's page, `<plan>/<fiscal year>/index.html`: the latest published version's report, reading its data from
 * that version's folder, with the version and its approval date and the list of every published version.
 */
export function yearPageFile(
  review: Review,
  plan: Plan,
  input: PublicRendering & { versions: readonly PublishedVersion[] },
): SiteFile {
  const { published } = input;
  return {
    path: yearPagePath(published.planId, published.fiscalYear),
    contentType: "text/html; charset=utf-8",
    body: renderReportHtml(review, plan, {
      ...publicOptions(input),
      ...yearPageFrame(published, input.versions),
      filesBase: `v${published.version}/`,
    }),
    cacheControl: CHANGING,
  };
}

/** The site's index, `index.html`: every published year of every plan. */
export function siteIndexFile(published: readonly PublishedVersion[]): SiteFile {
  return {
    path: SITE_INDEX,
    contentType: "text/html; charset=utf-8",
    body: renderSiteIndex(published),
    cacheControl: CHANGING,
  };
}
