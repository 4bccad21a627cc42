import { fiscalYearLabel, formatJapaneseDate } from "../calendar.ts";
import { formatNumber, formatPercent, formatPercentage, formatThreshold, targetYearLabel } from "../format.ts";
import { escapeHtml, page } from "../html/escape.ts";
import type { Plan } from "../plan.ts";
import type { IndicatorResult } from "../review/indicators.ts";
import type { Review } from "../review/types.ts";
import type { ChartName, ChartSvgs } from "./chart-specs.ts";
import { csvPath } from "./json.ts";
import { ANSWER_WORDS, REPORT_STATUS_WORDS, type ReportStatus, STATUS_WORDS } from "./labels.ts";
import { REPORT_STYLE } from "./style.ts";
import {
  type CellValue,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  reportTables,
  type TableName,
} from "./tables.ts";

/** What a rendering needs besides the review: the version, its status and the pre-rendered charts (any may be absent). */
export interface ReportRenderOptions {
  version: number;
  status: ReportStatus;
  /** SVGs from `renderChartSvgs`, inlined as they are; a chart left out leaves its table alone. */
  charts: ChartSvgs;
  /** When this version was made, as an ISO instant; the review's computation time when not given. */
  generatedAt?: string;
}

/** How one table is laid out on the page; the data itself comes from `reportTables` unchanged. */
interface TableView {
  /** The column whose cell heads its row. */
  rowHeader: string;
  /** Consecutive rows with the same value in this column form one group, headed once. */
  group?: { key: string; label: (row: ReportRow) => string };
  hide?: readonly string[];
  /** Cells that read better than the default format; they return escaped HTML. */
  cells?: Record<string, (row: ReportRow) => string>;
  /** Said instead of an empty table. */
  empty: string;
}

const STATUS_CLASS = new Map<string, string>([
  ...Object.entries(STATUS_WORDS).map(([code, word]) => [word, `s-${code}`] as const),
  ...Object.entries(ANSWER_WORDS).map(([code, word]) => [word, `a-${code}`] as const),
]);

const NONE = "—";

function isNumeric(column: ReportColumn): boolean {
  return column.type === "integer" || column.type === "number" || column.type === "percent";
}

function formatCell(column: ReportColumn, value: CellValue): string {
  if (value === null || value === "") return NONE;
  if (typeof value === "number")
    switch (column.type) {
      case "fiscal-year":
        return `${value}年度`;
      case "percent":
        return formatPercentage(value);
      default:
        return formatNumber(value);
    }
  return escapeHtml(value);
}

function percentText(value: CellValue): string {
  return typeof value === "number" ? formatPercentage(value) : NONE;
}

/** "5件", "37.3%": a value whose unit is given per row (the summary, the indicators). */
function withUnit(value: CellValue, unit: CellValue): string {
  if (typeof value !== "number") return NONE;
  return unit === "%" ? formatPercentage(value) : `${formatNumber(value)}${escapeHtml(unit ?? "")}`;
}

/**
 * A table with a numbered caption, column and row headers scoped for screen readers, numbers right-aligned and
 * statuses in words. When every count column shares one unit it is stated once in the caption (単位：件), as
 * Japanese reports do; otherwise each heading carries its own. Percentages always carry their sign.
 */
function renderTable(table: ReportTable, number: number, view: TableView): string {
  const hidden = new Set(view.hide ?? []);
  const groupKey = view.group?.key;
  const columns = table.columns.filter((column) => !hidden.has(column.key));
  const units = new Set(
    columns.filter((column) => isNumeric(column) && column.type !== "percent").map((column) => column.unit),
  );
  const [onlyUnit] = units;
  const sharedUnit = units.size === 1 && onlyUnit !== undefined ? onlyUnit : null;
  const heading = (column: ReportColumn) =>
    column.unit === undefined || column.type === "percent" || sharedUnit !== null
      ? escapeHtml(column.label)
      : `${escapeHtml(column.label)}（${escapeHtml(column.unit)}）`;
  const caption = `表${number}　${escapeHtml(table.title)}${sharedUnit === null ? "" : `（単位：${escapeHtml(sharedUnit)}）`}`;
  const head = `<thead><tr>${columns.map((column) => `<th scope="col"${isNumeric(column) ? ' class="num"' : ""}>${heading(column)}</th>`).join("")}</tr></thead>`;

  const cell = (column: ReportColumn, row: ReportRow): string => {
    const custom = view.cells?.[column.key];
    const value = row[column.key] ?? null;
    const content = custom ? custom(row) : formatCell(column, value);
    if (column.key === view.rowHeader) return `<th scope="row">${content}</th>`;
    if (column.type === "status") {
      const statusClass = typeof value === "string" ? STATUS_CLASS.get(value) : undefined;
      return `<td class="status${statusClass ? ` ${statusClass}` : ""}">${content}</td>`;
    }
    return `<td${isNumeric(column) ? ' class="num"' : ""}>${content}</td>`;
  };

  if (table.rows.length === 0)
    return `<table>
<caption>${caption}</caption>
${head}
<tbody><tr><td class="empty" colspan="${columns.length}">${escapeHtml(view.empty)}</td></tr></tbody>
</table>`;

  const groups: ReportRow[][] = [];
  for (const row of table.rows) {
    const last = groups.at(-1);
    if (groupKey !== undefined && last && last[0]?.[groupKey] === row[groupKey]) last.push(row);
    else groups.push([row]);
  }
  const bodies = groups.map((rows) => {
    const lines = rows.map((row, index) => {
      const cells = columns.map((column) => {
        if (column.key !== groupKey) return cell(column, row);
        // The group's heading spans its rows; the rows after the first have no cell in this column.
        if (index > 0 || !view.group) return "";
        return `<th scope="rowgroup" rowspan="${rows.length}">${escapeHtml(view.group.label(row))}</th>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    });
    return `<tbody>\n${lines.join("\n")}\n</tbody>`;
  });
  return `<table>
<caption>${caption}</caption>
${head}
${bodies.join("\n")}
</table>`;
}

function tableViews(review: Review): Record<TableName, TableView> {
  const indicators = new Map<string, IndicatorResult>(review.indicators.map((indicator) => [indicator.id, indicator]));
  const indicatorValue = (row: ReportRow) => {
    const indicator = indicators.get(String(row.id));
    if (!indicator) return NONE;
    const display = escapeHtml(indicator.display);
    // A ratio shows what it divides, so that a reader can check 37.3% as 22 of 59.
    if (indicator.kind !== "ratio" || indicator.numerator === null || indicator.denominator === null) return display;
    return `${display}（${formatNumber(indicator.numerator)}／${formatNumber(indicator.denominator)}）`;
  };
  return {
    summary: {
      rowHeader: "item",
      hide: ["unit"],
      cells: {
        value: (row) => withUnit(row.value ?? null, row.unit ?? null),
        target: (row) => withUnit(row.target ?? null, row.unit ?? null),
      },
      empty: "主要な数値はありません。",
    },
    "supported-cases": {
      rowHeader: "category",
      group: {
        key: "fiscalYear",
        label: (row) =>
          targetYearLabel(
            Number(row.fiscalYear),
            String(row.includesFiscalYears ?? "")
              .split("・")
              .filter((year) => year !== "")
              .map((year) => Number.parseInt(year, 10)),
          ),
      },
      hide: ["includesFiscalYears"],
      empty: "この年度には、目標と比べる支援件数がありません。",
    },
    "follow-up": {
      rowHeader: "yearOfFollowUp",
      group: { key: "cohort", label: (row) => `${row.cohort}年度開始（${row.cohortCases}件）` },
      hide: ["cohortCases"],
      empty: "フォローアップの対象となる案件はありません。",
    },
    "follow-up-missed": {
      rowHeader: "caseId",
      group: { key: "cohort", label: (row) => `${row.cohort}年度開始` },
      empty: "フォローアップ期間中に支援の報告がない年度のある案件はありません。",
    },
    "plan-to-date": { rowHeader: "item", empty: "累計を求める年度がまだありません。" },
    "by-institution": { rowHeader: "institution", hide: ["id"], empty: "支援機関の報告はありません。" },
    "by-field": { rowHeader: "label", hide: ["id"], empty: "事業分野の定めはありません。" },
    "by-region": { rowHeader: "label", empty: "地域別の支援案件はありません。" },
    "by-support-kind": { rowHeader: "label", hide: ["id"], empty: "支援の種類別の支援案件はありません。" },
    indicators: {
      rowHeader: "name",
      hide: ["id", "unit", "numerator", "denominator"],
      cells: {
        value: indicatorValue,
        target: (row) => escapeHtml(indicators.get(String(row.id))?.targetDisplay ?? NONE),
        rate: (row) => percentText(row.rate ?? null),
      },
      empty: "この計画には成果指標の定めがありません。",
    },
    completeness: { rowHeader: "institution", hide: ["id"], empty: "支援機関の定めはありません。" },
    "completeness-by-quarter": { rowHeader: "quarter", empty: "四半期の照会はありません。" },
  };
}

/** Numbers tables and figures in the order they appear, as a printed report does. */
class Numbering {
  private tableCount = 0;
  private figureCount = 0;
  private readonly tableNumbers = new Map<TableName, number>();
  constructor(
    private readonly tables: Map<TableName, ReportTable>,
    private readonly views: Record<TableName, TableView>,
    private readonly charts: ChartSvgs,
  ) {}

  table(name: TableName): string {
    const table = this.tables.get(name);
    if (!table) return "";
    const number = ++this.tableCount;
    this.tableNumbers.set(name, number);
    return renderTable(table, number, this.views[name]);
  }

  /** The number a table was given, if it has been shown. */
  numberOf(name: TableName): number | undefined {
    return this.tableNumbers.get(name);
  }

  figure(chart: ChartName, title: string, sameAs: TableName): string {
    const svg = this.charts[chart];
    if (!svg) return "";
    const number = ++this.figureCount;
    const tableNumber = this.tableNumbers.get(sameAs);
    const note = tableNumber === undefined ? "" : `<p class="figure-note">図の数値は表${tableNumber}と同じです。</p>`;
    return `<figure>
<figcaption>図${number}　${escapeHtml(title)}</figcaption>
${svg}
${note}
</figure>`;
  }
}

function list(items: readonly string[], className: string, ordered = false): string {
  const tag = ordered ? "ol" : "ul";
  return `<${tag} class="${className}">\n${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("\n")}\n</${tag}>`;
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

function rateText(rate: number | null): string {
  return rate === null ? NONE : formatPercent(rate);
}

function overview(review: Review, numbering: Numbering): string {
  const findings =
    review.findings.length === 0
      ? `<p>特記すべき所見はありません。</p>`
      : list(
          [...review.findings].sort((a, b) => b.weight - a.weight).map((finding) => finding.text),
          "findings",
          true,
        );
  return `<p>本報告書は、${escapeHtml(review.fiscalYearLabel)}の連携支援事業の実施状況を、計画に定める目標と照らして点検・評価したものです。主要な数値は次の表のとおりです。</p>
${numbering.table("summary")}
<h3>主な所見</h3>
<p>数値から読み取れる所見を、重要なものから順に示します。</p>
${findings}`;
}

function supportedCasesSection(plan: Plan, numbering: Numbering): string {
  const { newCasesPerYear, followUpYears, firstTargetYear, thresholds } = plan.targets;
  return `<p>計画では、${firstTargetYear}年度から毎年度${formatNumber(newCasesPerYear)}件の案件を新たに支援し、各案件を支援開始年度から${followUpYears}年度にわたって支援（フォローアップ）することを目標としています。新規は支援開始年度の案件、継続はフォローアップ期間中の2年度目以降の案件です。評価は計画の定めにより、達成率${formatThreshold(thresholds.achieved)}以上を「達成」、${formatThreshold(thresholds.nearly)}以上を「概ね達成」、それ未満を「未達成」としています。</p>
${numbering.table("supported-cases")}
${numbering.figure("supported-cases", "支援件数の目標と実績", "supported-cases")}`;
}

function followUpSection(review: Review, numbering: Numbering): string {
  const missed = review.followUp.cohorts.reduce((sum, cohort) => sum + cohort.missed.length, 0);
  const missedText =
    missed === 0
      ? "フォローアップ期間中に支援の報告がない年度のある案件はありません。"
      : `フォローアップ期間中に支援の報告がない年度のある案件は${missed}件で、その一覧を表に示します。報告した機関に、支援の状況を確認する必要があります。`;
  return `<p>支援開始年度ごとの案件について、フォローアップ期間（${review.followUp.followUpYears}年度）の各年度に支援の報告があった件数を示します。</p>
${numbering.table("follow-up")}
${numbering.figure("follow-up", "支援開始年度別のフォローアップの状況", "follow-up")}
<h3>支援の報告がない年度のある案件</h3>
<p>${escapeHtml(missedText)}</p>
${missed === 0 ? "" : numbering.table("follow-up-missed")}`;
}

/**
 * The projection worked out with this year's figures, "12件 ÷ 60件 × 120件 ≒ 24件". The review states its formula
 * in words; the figures are shown only for the reading that reproduces the review's own projection, so the text can
 * never show a calculation that disagrees with the table.
 */
function workedProjection(toDate: Review["planToDate"]): string | null {
  const projected = toDate.projection.projectedTotal;
  if (projected === null) return null;
  const actual = `${formatNumber(toDate.actual)}件`;
  const result = `${formatNumber(Math.round(projected))}件`;
  const targetsToDate = toDate.againstTargetsToDate.target ?? 0;
  const planTotal = toDate.againstPlanTotal.target ?? 0;
  const readings = [
    {
      value: targetsToDate > 0 ? (toDate.actual / targetsToDate) * planTotal : null,
      text: `${actual} ÷ ${formatNumber(targetsToDate)}件 × ${formatNumber(planTotal)}件 ≒ ${result}`,
    },
    {
      value: toDate.yearsElapsed > 0 ? (toDate.actual / toDate.yearsElapsed) * toDate.planYears : null,
      text: `${actual} ÷ ${toDate.yearsElapsed}年度 × ${toDate.planYears}年度 ≒ ${result}`,
    },
  ];
  const match = readings.find((reading) => reading.value !== null && Math.abs(reading.value - projected) < 1e-9);
  return match ? `今回の数値では、${match.text}です。` : null;
}

function planToDateSection(review: Review, numbering: Numbering): string {
  const toDate = review.planToDate;
  if (toDate.yearsElapsed === 0)
    return `<p>${escapeHtml(`${review.fiscalYear}年度は最初の目標年度（${toDate.firstTargetYear}年度）より前のため、累計と見通しはまだ求めていません。`)}</p>`;
  const { projection } = toDate;
  const sentences = [
    `${toDate.firstTargetYear}年度から${review.fiscalYear}年度までの${toDate.yearsElapsed}年度間の支援件数（新規・継続の計）の累計は${formatNumber(toDate.actual)}件で、同期間の目標${formatNumber(toDate.againstTargetsToDate.target ?? 0)}件に対する達成率は${rateText(toDate.againstTargetsToDate.rate)}です。`,
    `計画全体（${toDate.firstTargetYear}〜${toDate.lastFiscalYear}年度の${toDate.planYears}年度間）の目標${formatNumber(toDate.againstPlanTotal.target ?? 0)}件に対しては${rateText(toDate.againstPlanTotal.rate)}です。`,
  ];
  let outlook = "";
  if (projection.projectedTotal !== null) {
    const projected = formatNumber(Math.round(projection.projectedTotal));
    const lead =
      review.fiscalYear >= toDate.lastFiscalYear
        ? `${review.fiscalYear}年度は計画の最終年度のため、見込みは累計の実績と一致します。`
        : `これまでの実績のペースが続いた場合、${toDate.lastFiscalYear}年度までの累計は${projected}件となり、計画全体の目標${formatNumber(projection.againstPlanTotal.target ?? 0)}件に対して${rateText(projection.againstPlanTotal.rate)}となる見込みです。`;
    const worked = workedProjection(toDate);
    outlook = `<h3>見通し</h3>
<p>${escapeHtml(lead)}</p>
<p class="formula">${escapeHtml(`算出方法：${projection.formula}`)}${worked === null ? "" : `<br>\n${escapeHtml(worked)}`}</p>`;
  }
  return `<p>${escapeHtml(sentences.join(""))}</p>
${numbering.table("plan-to-date")}
${outlook}`;
}

function breakdownSection(review: Review, numbering: Numbering): string {
  const { breakdowns } = review;
  const institutionSum = breakdowns.byInstitution.reduce((sum, row) => sum + row.cases, 0);
  const shared = `複数の機関が支援した案件は、計画全体の件数では1件、機関別の内訳では支援した機関ごとに1件と数えています。このため、機関別の件数の合計（${formatNumber(institutionSum)}件）は、支援案件の実数（${formatNumber(breakdowns.cases)}件）を上回ることがあります。${breakdowns.fiscalYear}年度に複数の機関が報告した案件は${formatNumber(breakdowns.sharedCases)}件です。`;
  return `<p>${escapeHtml(`${breakdowns.fiscalYear}年度に支援した案件（実数${formatNumber(breakdowns.cases)}件）の内訳を、支援機関別、事業分野別、地域別、支援の種類別に示します。`)}</p>
<h3>支援機関別</h3>
<p>${escapeHtml(shared)}</p>
${numbering.table("by-institution")}
${numbering.figure("by-institution", "支援機関別の支援案件数", "by-institution")}
<h3>事業分野別</h3>
${numbering.table("by-field")}
${numbering.figure("by-field", "事業分野別の支援案件数", "by-field")}
<h3>地域別</h3>
<p>地域は、案件の所在市町村が属する振興局の区域です。計画に記載のない市町村の案件は「その他」に数えています。</p>
${numbering.table("by-region")}
<h3>支援の種類別</h3>
<p>1件の案件を報告されたすべての支援の種類に数えるため、種類別の合計は支援案件の実数を上回ることがあります。</p>
${numbering.table("by-support-kind")}`;
}

function indicatorsSection(numbering: Numbering): string {
  return `<p>計画に定める成果指標の実績を示します。割合の指標は小数第1位までの百分率で、括弧内に分子と分母を示します。目標の定めがない指標は「目標なし」としています。</p>
${numbering.table("indicators")}`;
}

function completenessSection(review: Review, numbering: Numbering): string {
  const c = review.completeness;
  const text = `${review.fiscalYear}年度は、各支援機関に四半期ごとに実施状況を照会し、計${formatNumber(c.expected)}件の照会に対して${formatNumber(c.answered)}件の報告がありました（提出率${rateText(c.answeredRate)}）。このうち期限内の提出は${formatNumber(c.onTime)}件（期限内提出率${rateText(c.onTimeRate)}）、期限後の提出は${formatNumber(c.late)}件、未報告は${formatNumber(c.missing)}件です。`;
  return `<p>${escapeHtml(text)}</p>
${numbering.table("completeness")}
${numbering.table("completeness-by-quarter")}`;
}

function secretariatSection(review: Review): string {
  if (review.secretariatFindings.length === 0 && review.decisions.length === 0)
    return `<p class="placeholder">事務局の所見と見直しの内容は、点検評価会議の後に記載します。</p>`;
  const findings =
    review.secretariatFindings.length === 0
      ? `<p class="placeholder">事務局の所見は、点検評価会議の後に記載します。</p>`
      : list(review.secretariatFindings, "plain");
  const decisions =
    review.decisions.length === 0
      ? `<p class="placeholder">見直しの内容は、点検評価会議の後に記載します。</p>`
      : list(review.decisions, "plain");
  return `<h3>事務局の所見</h3>
${findings}
<h3>見直し（点検評価会議の決定事項）</h3>
${decisions}`;
}

function downloads(tables: readonly ReportTable[], numbering: Numbering): string {
  const items = tables.map((table) => {
    const number = numbering.numberOf(table.name);
    const label = `${number === undefined ? "" : `表${number}　`}${table.title}（CSV）`;
    return `<li><a href="${escapeHtml(csvPath(table))}" download>${escapeHtml(label)}</a></li>`;
  });
  return `<section class="downloads" aria-labelledby="downloads-h">
<h2 id="downloads-h">データのダウンロード</h2>
<p>本報告書の表のデータを、CSV（UTF-8、BOM付き）とJSONで提供しています。各列の名称と単位は、JSONにも記載しています。</p>
<ul>
${items.join("\n")}
<li><a href="report.json" download>全データ（JSON）</a></li>
</ul>
</section>`;
}

/** The year-end review as a complete, self-contained Japanese HTML document (報告書), with no script at all. */
export function renderReportHtml(review: Review, plan: Plan, options: ReportRenderOptions): string {
  const tables = reportTables(review, plan);
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
    review.notes.length === 0 ? "<p>付記事項はありません。</p>" : list(review.notes, "plain"),
  ];

  return page(
    title,
    `<header class="report-head">
<p><span class="doc-mark">${escapeHtml(versionText)}</span></p>
<h1>${escapeHtml(title)}</h1>
<dl class="meta">
<dt>計画</dt><dd>${escapeHtml(plan.name)}</dd>
<dt>計画期間</dt><dd>${escapeHtml(period)}</dd>
<dt>対象年度</dt><dd>${escapeHtml(fiscalYearLabel(review.fiscalYear))}</dd>
<dt>版</dt><dd>${escapeHtml(versionText)}</dd>
<dt>作成日</dt><dd>${escapeHtml(generated)}</dd>
<dt>事務局</dt><dd>${escapeHtml(plan.secretariat.name)}</dd>
</dl>
${draft ? `<p class="draft-note">この報告書は案です。関係機関と事務局の承認を経て確定し、公表します。</p>` : ""}
</header>
<nav class="toc" aria-label="目次">
<h2>目次</h2>
<ol>
${SECTIONS.map(([id, heading]) => `<li><a href="#${id}">${escapeHtml(heading)}</a></li>`).join("\n")}
</ol>
</nav>
${SECTIONS.map(([id, heading], index) => section(id, heading, bodies[index] ?? "")).join("\n")}
${downloads(tables, numbering)}
<footer class="report-foot">
<p>${escapeHtml(plan.secretariat.name)}　${escapeHtml(generated)}作成　${escapeHtml(versionText)}</p>
</footer>`,
    REPORT_STYLE,
  );
}
