import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkQuarterlyReport, dropBlankCaseRows, TEXT_LIMITS } from "../../domain/form.ts";
import { validFormInput } from "../fixtures/form-input.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();

describe("quarterly form schema", () => {
  it("accepts a filled form and converts its strings", () => {
    const checked = checkQuarterlyReport(plan, 2019, validFormInput());
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const [reported] = checked.value.cases;
    expect(reported?.outcomes).toEqual({
      commercialised: true,
      salesYen: 1_200_000,
      patentApplications: 0,
      jointResearch: false,
    });
    expect(reported?.firstFiscalYear).toBe(2019);
    expect(checked.value.counts.consultations).toBe(12);
  });

  it("accepts full-width digits as typed by a Japanese keyboard", () => {
    const input = validFormInput();
    input.counts.consultations = "１２";
    const checked = checkQuarterlyReport(plan, 2019, input);
    expect(checked.ok && checked.value.counts.consultations).toBe(12);
  });

  it("names every wrong field in Japanese and English", () => {
    const input = validFormInput();
    const [first] = input.cases;
    if (!first) throw new Error("fixture");
    first.businessName = "";
    first.field = "fishing";
    first.supportKinds = [];
    input.counts.consultations = "たくさん";
    const checked = checkQuarterlyReport(plan, 2019, input);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const byPath = Object.fromEntries(checked.errors.map((error) => [error.path, error]));
    expect(Object.keys(byPath).sort()).toEqual(
      ["cases.0.businessName", "cases.0.field", "cases.0.supportKinds", "counts.consultations"].sort(),
    );
    expect(byPath["cases.0.businessName"]?.ja).toBe("1件目の事業者・事業名を入力してください");
    expect(byPath["cases.0.businessName"]?.en).toBe("Business name (row 1) is required");
    expect(byPath["cases.0.field"]?.ja).toBe("1件目の事業分野は選択肢から選んでください");
    expect(byPath["counts.consultations"]?.ja).toBe("相談対応件数の形式が正しくありません");
  });

  it("bounds every text", () => {
    const input = validFormInput();
    input.narrative.issues = "あ".repeat(TEXT_LIMITS.narrative + 1);
    const checked = checkQuarterlyReport(plan, 2019, input);
    expect(checked.ok ? [] : checked.errors.map((error) => error.ja)).toEqual([
      `課題は${TEXT_LIMITS.narrative}文字以内で入力してください`,
    ]);
  });

  it("refuses a case first supported after the fiscal year being reported, and the same case twice", () => {
    const input = validFormInput();
    const [first] = input.cases;
    if (!first) throw new Error("fixture");
    input.cases.push({ ...first, firstFiscalYear: "2020" });
    const checked = checkQuarterlyReport(plan, 2019, input);
    expect(checked.ok ? [] : checked.errors.map((error) => error.path).sort()).toEqual([
      "cases.1.caseId",
      "cases.1.firstFiscalYear",
    ]);
  });

  it("leaves out a case reported before whose activity this quarter is blank, but not a new case", () => {
    expect(
      dropBlankCaseRows([
        { known: "1", caseId: "A-1", businessName: "x", municipality: "帯広市", activity: "" },
        { known: "1", caseId: "A-2", businessName: "y", municipality: "帯広市", activity: "支援した" },
        { caseId: "N-1", businessName: "z", activity: "" },
      ]),
    ).toEqual([
      { known: "1", caseId: "A-2", businessName: "y", municipality: "帯広市", activity: "支援した" },
      { caseId: "N-1", businessName: "z", activity: "" },
    ]);
  });

  it("drops spare rows left blank and keeps any row with typed text", () => {
    expect(dropBlankCaseRows([{ caseId: " ", field: "food" }, { businessName: "x" }, {}])).toEqual([
      { businessName: "x" },
    ]);
  });

  it("never throws, whatever is posted", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const checked = checkQuarterlyReport(plan, 2019, input);
        return checked.ok || checked.errors.every((error) => error.ja.length > 0 && error.en.length > 0);
      }),
    );
  });
});
