import { fiscalYearLabel, formatJapaneseDate } from "../calendar.ts";
import { escapeHtml, page } from "../html/escape.ts";
import type { Plan } from "../plan.ts";
import type { Review } from "../review/types.ts";
import { type Audience, reviewForAudience } from "./audience.ts";
import type { ChartSvgs } from "./chart-specs.ts";
import { csvPath } from "./json.ts";
import { REPORT_STATUS_WORDS, type ReportStatus } from "./labels.ts";
import { Numbering } from "./numbering.ts";
import {
  breakdownSection,
  completenessSection,
  followUpSection,
  indicatorsSection,
  notesSection,
  overview,
  planToDateSection,
  secretariatSection,
  supportedCasesSection,
} from "./sections.ts";
import { REPORT_STYLE } from "./style.ts";
import type { ReportTable } from "./table-types.ts";
import { tableViews } from "./table-views.ts";
import { reportTables } from "./tables.ts";

/** What a rendering needs besides the review: the version, its status and the pre-rendered charts (any may be absent). */
export interface ReportRenderOptions {
  version: number;
  status: ReportStatus;
  /** SVGs from `renderChartSvgs`, inlined as they are; a chart left out leaves its table alone. */
  charts: ChartSvgs;
  /** When this version was made, as an ISO instant; the review's computation time when not given. */
  generatedAt?: string;
  /** Who reads this rendering (report/audience.ts). @default "secretariat" */
  audience?: Audience;
  /** When every approval step approved this version, as an ISO instant; shown as 承認日. */
  approvedAt?: string;
  /** Where the version's files lie relative to this page, ending with "/" (the year's page shows a version). @default "" */
  filesBase?: string;
  /** The version's PDF, relative to its folder; offered first among the downloads. */
  pdf?: string;
  /** HTML set above the report's header (the published site's way around); already escaped. @default "" */
  preface?: string;
  /** HTML set right below the report's header (which version a published page shows); already escaped. @default "" */
  notice?: string;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h">
<h2 id="${id}-h">${escapeHtml(title)}</h2>
${body}
</section>`;
}

const SECTIONS = [
  ["s1", "1　概要"],
  ["s2", "2　支援件数の目標と実績"],
  ["s3", "3　フォローアップの状況"],
  ["s4", "4　計画期間の累計と見通し"],
  ["s5", "5　内訳"],
  ["s6", "6　成果指標"],
  ["s7", "7　報告の状況"],
  ["s8", "8　事務局の所見・見直し"],
  ["notes", "付記"],
] as const;

function downloads(tables: readonly ReportTable[], numbering: Numbering, base: string, pdf?: string): string {
  const items = tables.map((table) => {
    const number = numbering.numberOf(table.name);
    const label = `${number === undefined ? "" : `表${number}　`}${table.title}（CSV）`;
    return `<li><a href="${escapeHtml(base + csvPath(table))}" download>${escapeHtml(label)}</a></li>`;
  });
  const pdfText = pdf ? `<p>本報告書は<a href="${escapeHtml(base + pdf)}">PDF（A4）</a>でも提供しています。</p>\n` : "";
  return `<section class="downloads" aria-labelledby="downloads-h">
<h2 id="downloads-h">データのダウンロード</h2>
${pdfText}<p>本報告書の表のデータを、CSV（UTF-8、BOM付き）とJSONで提供しています。各列の名称と単位は、JSONにも記載しています。</p>
<ul>
${items.join("\n")}
<li><a href="${escapeHtml(`${base}report.json`)}" download>全データ（JSON）</a></li>
</ul>
</section>`;
}

/** The year-end review as a complete, self-contained Japanese HTML document (報告書), with no script at all. */
export function renderReportHtml(fullReview: Review, plan: Plan, options: ReportRenderOptions): string {
  const audience = options.audience ?? "secretariat";
  const review = reviewForAudience(fullReview, plan, audience);
  const tables = reportTables(review, plan, audience);
  const views = tableViews(review);
  const numbering = new Numbering(new Map(tables.map((table) => [table.name, table])), views, options.charts);
  const draft = options.status === "draft";
  const title = `${plan.name} ${fiscalYearLabel(review.fiscalYear)}点検評価報告書${draft ? "（案）" : ""}`;
  const generated = formatJapaneseDate(new Date(options.generatedAt ?? review.generatedAt));
  const versionText = `第${options.version}版（${REPORT_STATUS_WORDS[options.status]}）`;
  const period = `${fiscalYearLabel(plan.period.firstFiscalYear)}〜${fiscalYearLabel(plan.period.lastFiscalYear)}`;

  // Sections are rendered in reading order so that tables and figures are numbered as they appear.
  const bodies = [
    overview(review, numbering),
    supportedCasesSection(plan, numbering),
    followUpSection(review, numbering),
    planToDateSection(review, numbering),
    breakdownSection(review, numbering),
    indicatorsSection(numbering),
    completenessSection(review, numbering),
    secretariatSection(review),
    notesSection(review),
  ];

  return page(
    title,
    `${options.preface ?? ""}<header class="report-head">
<p><span class="doc-mark">${escapeHtml(versionText)}</span></p>
<h1>${escapeHtml(title)}</h1>
<dl class="meta">
<dt>計画</dt><dd>${escapeHtml(plan.name)}</dd>
<dt>計画期間</dt><dd>${escapeHtml(period)}</dd>
<dt>対象年度</dt><dd>${escapeHtml(fiscalYearLabel(review.fiscalYear))}</dd>
<dt>版</dt><dd>${escapeHtml(versionText)}</dd>
<dt>作成日</dt><dd>${escapeHtml(generated)}</dd>
${options.approvedAt ? `<dt>承認日</dt><dd>${escapeHtml(formatJapaneseDate(new Date(options.approvedAt)))}</dd>\n` : ""}<dt>事務局</dt><dd>${escapeHtml(plan.secretariat.name)}</dd>
</dl>
${draft ? `<p class="draft-note">この報告書は案です。関係機関と事務局の承認を経て確定し、公表します。</p>` : ""}
</header>
${options.notice ?? ""}<nav class="toc" aria-label="目次">
<h2>目次</h2>
<ol>
${SECTIONS.map(([id, heading]) => `<li><a href="#${id}">${escapeHtml(heading)}</a></li>`).join("\n")}
</ol>
</nav>
${SECTIONS.map(([id, heading], index) => section(id, heading, bodies[index] ?? "")).join("\n")}
${downloads(tables, numbering, options.filesBase ?? "", options.pdf)}
<footer class="report-foot">
<p>${escapeHtml(plan.secretariat.name)}　${escapeHtml(generated)}作成　${escapeHtml(versionText)}</p>
</footer>`,
    REPORT_STYLE,
  );
}
