import { escapeHtml } from "../html/escape.ts";
import type { ChartName, ChartSvgs } from "./chart-specs.ts";
import { renderTable, type TableView, tableAnchor } from "./table-html.ts";
import type { ReportTable, TableName } from "./table-types.ts";

/** Numbers tables and figures in the order they appear, as a printed report does. */
export class Numbering {
  private tableCount = 0;
  private figureCount = 0;
  private readonly tableNumbers = new Map<TableName, number>();
  /** Takes the tables by name, how each is laid out, and the rendered charts. */
  constructor(
    private readonly tables: Map<TableName, ReportTable>,
    private readonly views: Record<TableName, TableView>,
    private readonly charts: ChartSvgs,
  ) {}

  /** The table as HTML with the next table number; "" when the report has no such table. */
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

  /** The chart as a numbered figure, noting the table that carries its figures; "" when it was not rendered. */
  figure(chart: ChartName, title: string, sameAs: TableName): string {
    const svg = this.charts[chart];
    if (!svg) return "";
    const number = ++this.figureCount;
    const tableNumber = this.tableNumbers.get(sameAs);
    // The chart's text alternative is its description (chart-render.ts); its figures are in a table, linked here.
    const note =
      tableNumber === undefined
        ? ""
        : `<p class="figure-note">図の数値は<a href="#${tableAnchor(sameAs)}">表${tableNumber}</a>と同じです。</p>`;
    return `<figure>
<figcaption>図${number}　${escapeHtml(title)}</figcaption>
${svg}
${note}
</figure>`;
  }
}
