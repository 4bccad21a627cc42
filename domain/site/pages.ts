import { type FiscalYear, fiscalYearLabel, formatJapaneseDate } from "../calendar.ts";
import { escapeHtml, page } from "../html/escape.ts";
import { REPORT_STYLE } from "../report/style.ts";

// The published site's own pages and the notes it sets above a report: where the reader is, which version the
// page shows and when it was approved, and the permanent address of every published version.

/** A version of a year's report as the site publishes it (公表). */
export interface PublishedVersion {
  planId: string;
  planName: string;
  fiscalYear: FiscalYear;
  version: number;
  /** When every approval step approved it (承認日), an ISO instant. */
  approvedAt: string;
  /** When it was published, an ISO instant. */
  publishedAt: string;
}

/** The site's index page, at the site's root. */
export const SITE_INDEX = "index.html";
/** A version's PDF, in its folder. */
export const REPORT_PDF = "report.pdf";

/** "<planId>/<fiscalYear>/index.html": the year's address, which shows the latest published version. */
export function yearPagePath(planId: string, fiscalYear: FiscalYear): string {
  return `${planId}/${fiscalYear}/index.html`;
}

/** "第2版（令和3年5月20日（木）承認）" */
export function versionWords(published: Pick<PublishedVersion, "version" | "approvedAt">): string {
  return `第${published.version}版（${formatJapaneseDate(new Date(published.approvedAt))}承認）`;
}

/** The site's way around, above a report: the list of every published report, and this year's address. */
function siteNav(home: string, year?: { href: string; label: string }): string {
  const items = [`<li><a href="${escapeHtml(home)}">公表資料の一覧</a></li>`];
  if (year) items.push(`<li><a href="${escapeHtml(year.href)}">${escapeHtml(year.label)}の報告書（最新の版）</a></li>`);
  return `<nav class="site-nav" aria-label="公表資料の案内">\n<ol>\n${items.join("\n")}\n</ol>\n</nav>\n`;
}

/** What the site sets around a report: its way around (before the report's header) and a note (after it). */
export interface ReportFrame {
  preface: string;
  notice: string;
}

/**
 * The year's page around its report: it shows the latest published version, says which one and when it was
 * approved, and where each published version stays (newest first).
 */
export function yearPageFrame(latest: PublishedVersion, versions: readonly PublishedVersion[]): ReportFrame {
  const year = fiscalYearLabel(latest.fiscalYear);
  const permanent = [...versions]
    .sort((a, b) => b.version - a.version)
    .map(
      (published) =>
        `<li><a href="v${published.version}/index.html">${escapeHtml(versionWords(published))}</a>（<a href="v${published.version}/${REPORT_PDF}">${escapeHtml(`第${published.version}版のPDF`)}</a>）</li>`,
    );
  return {
    preface: siteNav("../../index.html"),
    notice: `<div class="publication">
<p>${escapeHtml(`このページには、${year}の点検評価報告書の最新の版を掲載しています。掲載している版は${versionWords(latest)}です。`)}<a href="v${latest.version}/${REPORT_PDF}">PDF版（A4）</a>もあります。</p>
<p>各版は、次の固定のアドレスで公開しています。</p>
<ul>
${permanent.join("\n")}
</ul>
</div>
`,
  };
}

/** A version's own page around its report: this address keeps this version; the year's page has the latest. */
export function versionPageFrame(published: PublishedVersion): ReportFrame {
  const year = fiscalYearLabel(published.fiscalYear);
  return {
    preface: siteNav("../../../index.html", { href: "../index.html", label: year }),
    notice: `<div class="publication">
<p>${escapeHtml(`このページは、${year}の点検評価報告書の${versionWords(published)}の固定のアドレスです。内容は公表後に変わりません。`)}<a href="${REPORT_PDF}">PDF版（A4）</a>もあります。最新の版は<a href="../index.html">${escapeHtml(year)}の報告書のページ</a>に掲載しています。</p>
</div>
`,
  };
}

const SITE_TITLE = "連携支援計画 点検評価報告書の公表資料";

/**
 * The site's index: every published year of every plan, the plans by id and each plan's years newest first, each
 * with the version its page shows (the latest published) and when that version was approved.
 */
export function renderSiteIndex(published: readonly PublishedVersion[]): string {
  const latestByYear = new Map<string, PublishedVersion>();
  for (const entry of published) {
    const key = `${entry.planId}/${entry.fiscalYear}`;
    const current = latestByYear.get(key);
    if (!current || entry.version > current.version) latestByYear.set(key, entry);
  }
  const plans = new Map<string, PublishedVersion[]>();
  for (const entry of latestByYear.values()) plans.set(entry.planId, [...(plans.get(entry.planId) ?? []), entry]);
  const sections = [...plans.values()]
    .map((years) => years.sort((a, b) => b.fiscalYear - a.fiscalYear))
    // By plan id: a plan name's reading, which Japanese order goes by, is not known, and code point order is none.
    .sort((a, b) => ((a[0]?.planId ?? "") < (b[0]?.planId ?? "") ? -1 : 1))
    .map((years, index) => {
      const rows = years.map((entry) => {
        const folder = `${entry.planId}/${entry.fiscalYear}/`;
        return `<tr><th scope="row"><a href="${escapeHtml(yearPagePath(entry.planId, entry.fiscalYear))}">${escapeHtml(`${fiscalYearLabel(entry.fiscalYear)} 点検評価報告書`)}</a></th><td>第${entry.version}版</td><td>${escapeHtml(formatJapaneseDate(new Date(entry.approvedAt)))}</td><td><a href="${escapeHtml(`${folder}v${entry.version}/${REPORT_PDF}`)}">PDF</a></td><td><a href="${escapeHtml(`${folder}v${entry.version}/report.json`)}">JSON</a></td></tr>`;
      });
      const name = years[0]?.planName ?? "";
      return `<section aria-labelledby="plan-${index}-h">
<h2 id="plan-${index}-h">${escapeHtml(name)}</h2>
<table>
<caption>${escapeHtml(name)}の年度別の報告書</caption>
<thead><tr><th scope="col">報告書</th><th scope="col">掲載している版</th><th scope="col">承認日</th><th scope="col">PDF</th><th scope="col">データ</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
    });
  const body =
    sections.length === 0
      ? "<p>公表している報告書はまだありません。</p>"
      : `<p>連携支援計画の各年度の点検評価報告書を、関係機関と事務局の承認を経て公表しています。各年度のページには最新の版を掲載し、表のデータはCSVとJSONでも提供しています。</p>\n${sections.join("\n")}`;
  return page(
    SITE_TITLE,
    `<header class="report-head">
<h1>${escapeHtml(SITE_TITLE)}</h1>
</header>
${body}`,
    REPORT_STYLE,
  );
}
