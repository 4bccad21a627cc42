import { describe, expect, it } from "vitest";
import { toCsv, UTF8_BOM } from "../../../domain/report/csv.ts";
import { ReportPathError } from "../../../domain/report/errors.ts";
import { reportFiles, reportPrefix } from "../../../domain/report/files.ts";
import { REPORT_SCHEMA_VERSION, type ReportJson, toReportJson } from "../../../domain/report/json.ts";
import { type ReportTable, TABLE_NAMES } from "../../../domain/report/table-types.ts";
import { reportTables } from "../../../domain/report/tables.ts";
import { computeReview } from "../../../domain/review/review.ts";
import { handMadeReview, secondYearReview } from "../../fixtures/review-inputs.ts";

/** A strict RFC 4180 reader, written here so that the test does not trust the writer's idea of the format. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let index = 0;
  let quoted = false;
  while (index < text.length) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index++;
      continue;
    }
    if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index++;
    } else if (char === "\n" || char === "\r" || char === '"')
      throw new Error(`Bare ${JSON.stringify(char)} at ${index}`);
    else field += char;
    index++;
  }
  if (quoted) throw new Error("Unterminated quote");
  if (field !== "" || row.length > 0) throw new Error("Last line does not end with CRLF");
  return rows;
}

const input = handMadeReview();
const review = computeReview(input);
const plan = input.plan;

describe("report tables", () => {
  const tables = reportTables(review, plan);

  it("are every table of TABLE_NAMES, each with its columns filled on every row", () => {
    expect(tables.map((table) => table.name)).toEqual([...TABLE_NAMES]);
    for (const table of tables)
      for (const row of table.rows)
        expect(Object.keys(row).sort(), table.name).toEqual(table.columns.map((column) => column.key).sort());
  });

  it("state a unit on every numeric column (件, %, 回) or per row", () => {
    for (const table of tables)
      for (const column of table.columns)
        if (column.type === "integer" || column.type === "percent")
          expect(column.unit, `${table.name}.${column.key}`).toBeDefined();
    const summary = tables.find((table) => table.name === "summary");
    expect(summary?.rows.every((row) => row.unit === "件" || row.unit === "%")).toBe(true);
  });

  it("carry the review's figures: a year's target, actual, rate as a one-decimal percentage, and status", () => {
    const cases = tables.find((table) => table.name === "supported-cases");
    expect(cases?.rows.find((row) => row.fiscalYear === 2020 && row.category === "計")).toEqual({
      fiscalYear: 2020,
      includesFiscalYears: "",
      category: "計",
      target: 30,
      actual: 5,
      rate: 16.7,
      status: "未達成",
    });
    expect(cases?.rows[0]?.includesFiscalYears).toBe("2017年度");
  });
});

describe("verdicts in the report's tables", () => {
  const secondYear = secondYearReview();
  const tables = reportTables(computeReview(secondYear), secondYear.plan);
  const rowsOf = (name: string) => tables.find((table) => table.name === name)?.rows ?? [];

  it("judge the plan to date against the targets so far, and show the plan total for reference only", () => {
    expect(rowsOf("plan-to-date").map((row) => [row.target, row.actual, row.rate, row.status])).toEqual([
      [30, 34, 113.3, "達成"],
      [120, 34, 28.3, "参考"],
      [120, 136, 113.3, "見込み：目標を上回るペース"],
    ]);
  });

  it("word a projection as a pace, in the summary too", () => {
    const projection = rowsOf("summary").find((row) => String(row.item).includes("見込み"));
    expect(projection?.status).toBe("見込み：目標を上回るペース");
    const behind = reportTables(review, plan).find((table) => table.name === "summary");
    expect(behind?.rows.find((row) => String(row.item).includes("見込み"))?.status).toBe("見込み：目標を下回るペース");
  });

  it("leave the reference row out once the targets so far are the plan's whole target", () => {
    const last = computeReview({ ...secondYear, fiscalYear: 2022, earlierCases: [], submissions: [] });
    const rows = reportTables(last, secondYear.plan).find((table) => table.name === "plan-to-date")?.rows ?? [];
    expect(rows.map((row) => [row.target, row.status])).toEqual([
      [120, "未達成"],
      [120, "見込み：目標を下回るペース"],
    ]);
  });
});

describe("CSV", () => {
  const table: ReportTable = {
    name: "follow-up-missed",
    title: "試験",
    columns: [
      { key: "name", label: "事業者名", type: "text" },
      { key: "count", label: "件数", type: "integer", unit: "件" },
      { key: "rate", label: "割合", type: "percent", unit: "%" },
    ],
    rows: [
      { name: "株式会社あいう,えお", count: 1_200_000, rate: 37.3 },
      { name: '「北の"匠"」工房', count: 0, rate: null },
      { name: "一行目\r\n二行目\n三行目", count: null, rate: 0 },
      { name: '=HYPERLINK("http://example.com")', count: -1, rate: 100 },
      { name: "", count: 3, rate: 12.5 },
    ],
  };
  const csv = toCsv(table);

  it("starts with the UTF-8 byte order mark EF BB BF", () => {
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
  });

  it("ends every line with CRLF and heads each column with its label and unit", () => {
    expect(csv.slice(1).split("\r\n")[0]).toBe("事業者名,件数（件）,割合（%）");
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replaceAll("\r\n", "").includes("\r\n")).toBe(false);
  });

  it("round-trips commas, quotes and line breaks in Japanese text through an RFC 4180 reader", () => {
    const rows = parseCsv(csv.slice(1));
    expect(rows).toEqual([
      ["事業者名", "件数（件）", "割合（%）"],
      ["株式会社あいう,えお", "1200000", "37.3"],
      ['「北の"匠"」工房', "0", ""],
      ["一行目\r\n二行目\n三行目", "", "0"],
      ['\'=HYPERLINK("http://example.com")', "-1", "100"],
      ["", "3", "12.5"],
    ]);
  });

  it("quotes only the fields that need it", () => {
    expect(csv).toContain('\r\n"株式会社あいう,えお",1200000,37.3\r\n');
    expect(csv).toContain('\r\n"「北の""匠""」工房",0,\r\n');
  });

  it("writes every report table so that it reads back with as many fields as headings", () => {
    for (const reportTable of reportTables(review, plan)) {
      const rows = parseCsv(toCsv(reportTable).slice(1));
      expect(rows).toHaveLength(reportTable.rows.length + 1);
      for (const row of rows) expect(row).toHaveLength(reportTable.columns.length);
    }
  });
});

describe("JSON", () => {
  const json = toReportJson(review, plan, 4, "approved", "2021-06-01T00:00:00.000Z");
  const parsed = JSON.parse(json) as ReportJson;

  it("parses and lists every table with its CSV file", () => {
    expect(parsed.tables.map((table) => table.name)).toEqual([...TABLE_NAMES]);
    expect(parsed.tables.map((table) => table.csv)).toEqual(TABLE_NAMES.map((name) => `data/${name}.csv`));
    expect(parsed.tables[1]?.columns[0]).toEqual({ key: "fiscalYear", label: "年度", type: "fiscal-year" });
  });

  it("carries the metadata of the version", () => {
    expect(parsed).toMatchObject({
      schemaVersion: REPORT_SCHEMA_VERSION,
      plan: { id: "hokkaido-kita-no-monozukuri", name: plan.name, firstFiscalYear: 2017, lastFiscalYear: 2022 },
      fiscalYear: 2020,
      fiscalYearLabel: "2020年度（令和2年度）",
      fiscalYearEraLabel: "令和2年度",
      version: 4,
      status: "approved",
      generatedAt: "2021-06-01T00:00:00.000Z",
    });
    expect(parsed.findings[0]).toEqual({ kind: "cases-target", text: review.findings[0]?.text });
    expect(parsed.notes).toEqual(review.notes);
  });

  it("defaults to a draft dated when the review was computed", () => {
    const draft = JSON.parse(toReportJson(review, plan, 1)) as ReportJson;
    expect([draft.status, draft.generatedAt]).toEqual(["draft", review.generatedAt]);
  });
});

describe("report files", () => {
  it("are index.html, one CSV per table and report.json, with their content types", () => {
    const files = reportFiles(review, plan, { version: 1, status: "draft", charts: {} });
    expect(files.map((file) => file.path)).toEqual([
      "index.html",
      ...TABLE_NAMES.map((name) => `data/${name}.csv`),
      "report.json",
    ]);
    expect(files[0]?.contentType).toBe("text/html; charset=utf-8");
    expect(files[1]?.contentType).toBe("text/csv; charset=utf-8");
    expect(files.at(-1)?.contentType).toBe("application/json; charset=utf-8");
    expect(files[1]?.body.startsWith(UTF8_BOM)).toBe(true);
    expect((JSON.parse(files.at(-1)?.body ?? "") as ReportJson).version).toBe(1);
  });

  it("go under reports/<planId>/<fiscalYear>/v<version>/", () => {
    expect(reportPrefix("hokkaido-kita-no-monozukuri", 2020, 3)).toBe("reports/hokkaido-kita-no-monozukuri/2020/v3/");
  });

  it("refuse a plan id or version that would make another path", () => {
    expect(() => reportPrefix("../secrets", 2020, 1)).toThrow(ReportPathError);
    expect(() => reportPrefix("a/b", 2020, 1)).toThrow(ReportPathError);
    expect(() => reportPrefix("plan", 2020, 0)).toThrow(ReportPathError);
    expect(() => reportPrefix("plan", 2020, 1.5)).toThrow(ReportPathError);
    expect(() => reportPrefix("plan", 20200, 1)).toThrow(ReportPathError);
  });
});
