import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkQuarterlyReport, isReportedRow, TEXT_LIMITS } from "../../domain/form.ts";
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
    expect(byPath["cases.0.businessName"]?.ja).toBe("支援案件1の事業者・事業名を入力してください");
    expect(byPath["cases.0.businessName"]?.en).toBe("Business name (case 1) is required");
    // Plain words, no internal ids: the person chose from labels.
    expect(byPath["cases.0.field"]).toMatchObject({
      ja: "支援案件1の事業分野は一覧から選んでください",
      en: "Business field (case 1) must be chosen from the list",
    });
    expect(byPath["cases.0.supportKinds"]).toMatchObject({
      ja: "支援案件1の支援の種類を1つ以上選んでください",
      en: "Kinds of support (case 1) needs at least one kind ticked",
    });
    expect(byPath["counts.consultations"]).toMatchObject({
      ja: "相談対応件数は数字で入力してください",
      en: "Consultations must be a number",
    });
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
      [
        { known: "1", caseId: "A-1", businessName: "x", municipality: "帯広市", activity: "" },
        { known: "1", caseId: "A-2", businessName: "y", municipality: "帯広市", activity: "支援した" },
        { caseId: "N-1", businessName: "z", activity: "" },
        { caseId: " ", field: "food" },
        {},
      ].map(isReportedRow),
    ).toEqual([false, true, true, false, false]);
  });

  it("names a wrong field by the row the person saw, even below rows left out of the answer", () => {
    const input = validFormInput();
    const [filled] = input.cases;
    if (!filled) throw new Error("fixture");
    // Six prefilled cases not supported this quarter, then a new case with its municipality missing: 支援案件 7.
    const leftOut = Array.from({ length: 6 }, (_, index) => ({
      ...filled,
      known: "1",
      caseId: `OLD-${index}`,
      activity: "",
    }));
    const checked = checkQuarterlyReport(plan, 2019, {
      ...input,
      cases: [...leftOut, { ...filled, municipality: "" }, {}],
    });
    expect(checked.ok ? [] : checked.errors.map((error) => [error.path, error.ja])).toEqual([
      ["cases.6.municipality", "支援案件7の市町村を選んでください"],
    ]);
    const fixed = checkQuarterlyReport(plan, 2019, { ...input, cases: [...leftOut, filled, {}] });
    expect(fixed.ok && fixed.value.cases.map((reported) => reported.caseId)).toEqual([filled.caseId]);
  });

  it("takes a municipality from the plan's list only, and says what a case id looks like", () => {
    const input = validFormInput();
    const [first] = input.cases;
    if (!first) throw new Error("fixture");
    first.municipality = "ニセコ町";
    first.caseId = "案件1";
    const checked = checkQuarterlyReport(plan, 2019, input);
    expect(checked.ok ? [] : checked.errors.map((error) => error.ja)).toEqual([
      "支援案件1の案件番号は半角英数字・ハイフン・下線で入力してください（例：HKD-2024-001）",
      "支援案件1の市町村は一覧から選んでください",
    ]);
  });

  it("takes 報告事項なし with nothing else typed as an answer with no cases and zero counts", () => {
    const checked = checkQuarterlyReport(plan, 2019, { nothingToReport: "1", submissionKey: "k" });
    expect(checked.ok && checked.value).toEqual({
      nothingToReport: true,
      cases: [],
      counts: { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 },
      narrative: { initiatives: "", issues: "", nextSteps: "" },
    });
    const withCases = checkQuarterlyReport(plan, 2019, { ...validFormInput(), nothingToReport: "1" });
    expect(withCases.ok ? [] : withCases.errors.map((error) => error.path)).toEqual(["nothingToReport"]);
    const answered = checkQuarterlyReport(plan, 2019, validFormInput());
    expect(answered.ok && answered.value.nothingToReport).toBe(false);
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
