import { describe, expect, it } from "vitest";
import { jstInstant } from "../../../domain/calendar.ts";
import { knownCasesToFormValues, renderFormPage, renderReceiptPage } from "../../../domain/html/form-page.ts";
import { referencePlan } from "../../fixtures/plans.ts";

const plan = referencePlan();
const [hro] = plan.institutions;
if (!hro) throw new Error("fixture");

const context = {
  plan,
  institution: hro,
  fiscalYear: 2020,
  quarter: 1 as const,
  deadline: jstInstant(2020, 7, 15, 17),
  submittedVersions: 0,
  submissionKeys: { answer: "A".repeat(22), nothingToReport: "B".repeat(22) },
};

const known = {
  caseId: "HKD-2019-001",
  businessName: "株式会社<十勝>フーズ",
  municipality: "帯広市",
  field: "food",
  firstFiscalYear: 2019,
  supportKinds: ["technical"],
};

describe("the quarterly form page", () => {
  it("opens with the known cases, then three spare rows, and escapes what was typed", () => {
    const html = renderFormPage(context, knownCasesToFormValues([known], 2020));
    expect(html).toContain("<legend>支援案件 1：株式会社&lt;十勝&gt;フーズ</legend>");
    expect(html).not.toContain("<十勝>");
    for (const row of [2, 3, 4]) expect(html).toContain(`<legend>支援案件 ${row}（新規の案件があれば記入）</legend>`);
    expect(html).not.toContain("支援案件 5");
  });

  it("renders each form's own submission key, and the answer form posts back to its own address", () => {
    const html = renderFormPage(context, { cases: [] });
    expect([...html.matchAll(/name="submissionKey" value="([^"]+)"/g)].map((match) => match[1])).toEqual([
      "B".repeat(22),
      "A".repeat(22),
    ]);
    expect(html).not.toMatch(/<form[^>]*action=/);
  });

  it("marks each wrong field for screen readers and links it from the summary", () => {
    const html = renderFormPage(context, { cases: [{ caseId: "x" }] }, [
      {
        path: "cases.0.municipality",
        ja: "支援案件1の市町村を選んでください",
        en: "Municipality (case 1) needs a choice",
      },
    ]);
    expect(html).toContain('<a href="#f-cases-0-municipality">支援案件1の市町村を選んでください</a>');
    expect(html).toMatch(/<select id="f-cases-0-municipality" name="cases\[0\]\[municipality\]" aria-invalid="true"/);
    expect(html).toContain("入力内容を確認してください（1件）");
  });

  it("keeps posted rows where they were, adding spare rows only up to three blank ones at the end", () => {
    const rows = [{ known: "1", caseId: "A", businessName: "甲" }, { caseId: "N-1" }, {}, {}, {}];
    const html = renderFormPage(context, { cases: rows });
    expect(html).toContain("支援案件 5（新規の案件があれば記入）");
    expect(html).not.toContain("支援案件 6");
  });

  it("offers first years from the plan's start to the form's year only", () => {
    const html = renderFormPage(context, { cases: [] });
    expect(html).toContain('<option value="2017">2017年度（平成29年度）</option>');
    expect(html).toContain('<option value="2020">2020年度（令和2年度）</option>');
    expect(html).not.toContain('<option value="2021">');
  });
});

describe("the receipt page", () => {
  it("says whether the answer was a first answer, a correction, or 報告事項なし, with its number", () => {
    const base = {
      plan,
      institution: hro,
      fiscalYear: 2020,
      quarter: 1 as const,
      receiptNumber: "2020Q1-hro-002",
      submittedAt: jstInstant(2020, 7, 1, 10),
      formUrl: "/forms/T",
    };
    expect(renderReceiptPage({ ...base, version: 1, nothingToReport: false })).toContain("を受け付けました。");
    expect(renderReceiptPage({ ...base, version: 2, nothingToReport: false })).toContain(
      "修正版（第2版）として受け付けました",
    );
    expect(renderReceiptPage({ ...base, version: 1, nothingToReport: true })).toContain(
      "「報告事項なし」として受け付けました",
    );
    expect(renderReceiptPage({ ...base, version: 2, nothingToReport: false })).toContain("2020Q1-hro-002");
  });
});
