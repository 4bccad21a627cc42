import { describe, expect, it } from "vitest";
import { ReviewInputError } from "../../../domain/review/errors.ts";
import { computeReview, ReviewAccumulator } from "../../../domain/review/review.ts";
import { referencePlan } from "../../fixtures/plans.ts";
import {
  handMadeReview,
  REVIEW_NOW,
  reportedCase,
  requestsOfYear,
  secondYearReview,
  submission,
} from "../../fixtures/review-inputs.ts";

describe("year-end review of the hand-made FY2020 fixture", () => {
  const review = computeReview(handMadeReview());

  it("names the plan, the year and the time it was computed", () => {
    expect(review.planId).toBe("hokkaido-kita-no-monozukuri");
    expect(review.fiscalYear).toBe(2020);
    expect(review.fiscalYearLabel).toBe("2020年度（令和2年度）");
    expect(review.generatedAt).toBe("2021-05-20T01:00:00.000Z");
    expect(review.secretariatFindings).toEqual([]);
    expect(review.decisions).toEqual([]);
  });

  it("counts new and continuing cases per target year against seed 001's 10/20/30", () => {
    const rows = review.supportedCases.map((year) => ({
      year: year.fiscalYear,
      new: [year.newCases.actual, year.newCases.target],
      continuing: [year.continuingCases.actual, year.continuingCases.target],
      total: [year.total.actual, year.total.target],
    }));
    expect(rows).toEqual([
      // A17 was first supported in FY2017, which counts with FY2018: new there, not a fourth case.
      { year: 2018, new: [3, 10], continuing: [0, 0], total: [3, 10] },
      { year: 2019, new: [2, 10], continuing: [2, 10], total: [4, 20] },
      { year: 2020, new: [2, 10], continuing: [3, 20], total: [5, 30] },
    ]);
    expect(review.supportedCases[0]?.includesFiscalYears).toEqual([2017]);
    const [first, , last] = review.supportedCases;
    expect(first?.continuingCases).toEqual({ actual: 0, target: 0, rate: null, status: "no-target" });
    expect(last?.newCases).toEqual({ actual: 2, target: 10, rate: 0.2, status: "not-achieved" });
  });

  it("follows each cohort and lists every case that missed a year it was owed", () => {
    const cohorts = review.followUp.cohorts.map((cohort) => ({
      cohort: cohort.fiscalYear,
      cases: cohort.cases,
      supported: cohort.years.map((year) => [year.fiscalYear, year.supported]),
      missed: cohort.missed.map((missed) => [missed.caseId, missed.missedYears, missed.institutions[0]?.name]),
    }));
    expect(review.followUp.followUpYears).toBe(3);
    expect(cohorts).toEqual([
      {
        cohort: 2018,
        cases: 3,
        supported: [
          [2018, 3],
          [2019, 2],
          [2020, 2],
        ],
        missed: [
          ["B18", [2020], "ノーステック財団"],
          ["C18", [2019], "中小企業総合支援センター"],
        ],
      },
      {
        cohort: 2019,
        cases: 2,
        supported: [
          [2019, 2],
          [2020, 1],
        ],
        missed: [["E19", [2020], "北洋銀行"]],
      },
      { cohort: 2020, cases: 2, supported: [[2020, 2]], missed: [] },
    ]);
    // E19 was not reported this year: its name comes from the earlier years' record.
    expect(review.followUp.cohorts[1]?.missed[0]?.businessName).toBe("事業者E19");
  });

  it("adds up the plan to date and projects it at the pace against the targets so far", () => {
    const toDate = review.planToDate;
    expect(toDate.actual).toBe(3 + 4 + 5);
    expect(toDate.againstTargetsToDate).toEqual({ actual: 12, target: 60, rate: 0.2, status: "not-achieved" });
    expect(toDate.againstPlanTotal.target).toBe(120);
    expect(toDate.againstPlanTotal.rate).toBeCloseTo(0.1);
    expect(toDate.yearsElapsed).toBe(3);
    expect(toDate.planYears).toBe(5);
    // 12 case-years against 60 targeted so far is 20%; 20% of the plan's 120 is 24.
    expect(toDate.projection.averagePerYear).toBe(4);
    expect(toDate.projection.projectedTotal).toBe(24);
    const projection = review.findings.find((finding) => finding.kind === "projection");
    expect(projection?.text).toContain("これまでの目標に対する達成の割合（20.0%）が続くと");
    expect(projection?.text).toContain("累計は24件となる見込みで、計画全体の目標（120件）を下回るペースです");
  });

  it("counts a case two institutions report once for the plan and once for each institution", () => {
    const { breakdowns } = review;
    expect(breakdowns.cases).toBe(5);
    expect(breakdowns.sharedCases).toBe(1);
    expect(breakdowns.byInstitution.map((row) => [row.label, row.cases, row.consultations])).toEqual([
      ["道総研", 3, 10],
      ["ノーステック財団", 2, 4],
      ["中小企業総合支援センター", 1, 1],
      ["北洋銀行", 0, 7],
      ["北海道銀行", 0, 4],
    ]);
    const hro = breakdowns.byInstitution[0];
    expect([hro?.seminarsAndEvents, hro?.agreementsConcluded, hro?.quartersReported]).toEqual([1, 1, 4]);
    expect(review.notes[0]).toContain("機関別の内訳では報告した機関ごとに1件");
  });

  it("breaks the year down by field, region and kind of support, keeping empty rows", () => {
    const { breakdowns } = review;
    expect(breakdowns.byField.map((row) => [row.label, row.cases])).toEqual([
      ["食料品製造関連", 4],
      ["ものづくり関連", 1],
      ["IT（情報技術）関連", 0],
    ]);
    expect(breakdowns.byRegion.map((row) => [row.label, row.cases])).toEqual([
      ["石狩", 1],
      ["渡島", 1],
      ["上川", 0],
      ["胆振", 0],
      ["十勝", 1],
      ["空知", 0],
      ["釧路", 1],
      ["オホーツク", 0],
      ["その他", 1],
    ]);
    expect(Object.fromEntries(breakdowns.bySupportKind.map((row) => [row.label, row.cases]))).toMatchObject({
      "技術支援・助言": 3,
      "研究開発・共同研究": 2,
      "製品化・事業化": 1,
      販路開拓: 2,
      "金融支援（融資・出資）": 0,
    });
  });

  it("computes the plan's outcome indicators for the year", () => {
    const byId = Object.fromEntries(review.indicators.map((indicator) => [indicator.id, indicator]));
    expect(byId["commercialisation-rate"]).toMatchObject({ numerator: 1, denominator: 5, display: "20.0%" });
    // F20's Q1 sales were reported by two institutions (1,000,000 each) and count once; Q2 adds 500,000.
    expect(byId.sales?.display).toBe("1,500,000円");
    expect(byId["patent-applications"]?.value).toBe(1);
    expect(byId["joint-research"]?.value).toBe(1);
    expect(byId.consultations?.value).toBe(26);
    expect(byId["seminars-and-events"]?.value).toBe(3);
    expect(byId.agreements?.value).toBe(1);
    expect(byId.sales?.status).toBe("no-target");
  });

  it("tells answered on time, late and missing apart", () => {
    const { completeness } = review;
    expect([completeness.expected, completeness.answered, completeness.onTime, completeness.late]).toEqual([
      20, 19, 18, 1,
    ]);
    expect(completeness.missing).toBe(1);
    expect(completeness.answeredRate).toBe(0.95);
    expect(completeness.onTimeRate).toBe(0.9);
    const hsc = completeness.byInstitution.find((row) => row.institutionId === "hsc");
    expect(hsc?.quarters.map((quarter) => quarter.status)).toEqual(["late", "on-time", "on-time", "on-time"]);
    expect(completeness.byQuarter[2]?.missing).toEqual(["hokuyo"]);
  });

  it("writes findings as Japanese sentences, in the order of their weights", () => {
    const texts = review.findings.map((finding) => finding.text);
    expect(texts).toContain("2020年度の新規支援件数は2件で、目標10件に対し達成率20.0%でした。");
    expect(texts).toContain("北洋銀行から2020年度第3四半期の実施状況の報告がありませんでした。");
    expect(texts).toContain("中小企業総合支援センターの2020年度第1四半期の報告は、期限後の提出でした。");
    expect(texts).toContain("2020年度は「IT（情報技術）関連」分野の支援案件がありませんでした。");
    expect(texts).toContain(
      "2018年度（2017年度を含む）に新規支援を始めた案件3件のうち2件は、フォローアップ期間中に支援の報告がない年度があります（事業者B18（ノーステック財団：2020年度）、事業者C18（中小企業総合支援センター：2019年度））。",
    );
    const weights = review.findings.map((finding) => finding.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(review))).toStrictEqual(review);
  });
});

/** Each finding's kind, with the figure a target finding is about (合計, 新規, 継続) so that those can be told apart. */
function findingOrder(review: ReturnType<typeof computeReview>): string[] {
  return review.findings.map((finding) =>
    finding.kind === "cases-target"
      ? `cases-target ${/の([^の]+?件数[^は]*)は/.exec(finding.text)?.[1]}`
      : finding.kind,
  );
}

describe("findings, in the order a secretariat reads them", () => {
  it("open with the year's overall result even when it was met, then what needs attention, then the rest", () => {
    const review = computeReview(secondYearReview());
    expect(review.findings[0]?.text).toBe(
      "2019年度の支援件数（新規・継続の計）は20件で、目標20件に対し達成率100.0%となり、目標を達成しました。",
    );
    expect(findingOrder(review)).toEqual([
      "cases-target 支援件数（新規・継続の計）",
      // What needs attention: a shortfall against a target first, then what the secretariat has to chase.
      "cases-target 新規支援件数",
      "report-missing",
      "follow-up-gap",
      "field-without-cases",
      "field-without-cases",
      "region-without-cases",
      // The rest: what went as planned.
      "projection",
      "plan-to-date",
      "cases-target 継続支援件数",
    ]);
  });

  it("put the largest shortfall first, and a projection behind pace among them", () => {
    expect(findingOrder(computeReview(handMadeReview()))).toEqual([
      "cases-target 支援件数（新規・継続の計）",
      "cases-target 継続支援件数", // 15.0% of its target
      "cases-target 新規支援件数", // 20.0%
      "plan-to-date", // 20.0%
      "projection", // 20.0% of the plan total, behind pace
      "report-missing",
      "follow-up-gap",
      "follow-up-gap",
      "field-without-cases",
      "institution-without-cases",
      "institution-without-cases",
      "report-late",
      "region-without-cases",
    ]);
  });
});

describe("the plan to date: a verdict only against the targets of the years so far", () => {
  it("judges two years of actuals against two years of targets, and shows the five-year total for reference", () => {
    const toDate = computeReview(secondYearReview()).planToDate;
    expect(toDate.againstTargetsToDate).toEqual({ actual: 34, target: 30, rate: 34 / 30, status: "achieved" });
    // 28.3% of the plan after two of its five years is on pace, not a failure: no status at all.
    expect(toDate.againstPlanTotal).toEqual({ actual: 34, target: 120, rate: 34 / 120 });
  });

  it("gives the projection a pace against the plan total, never a verdict", () => {
    const ahead = computeReview(secondYearReview()).planToDate.projection;
    expect(ahead.projectedTotal).toBeCloseTo(136);
    expect(ahead.againstPlanTotal).toEqual({ actual: ahead.projectedTotal, target: 120, rate: 136 / 120 });
    expect(ahead.pace).toBe("ahead");
    const behind = computeReview(handMadeReview()).planToDate.projection;
    expect([behind.projectedTotal, behind.pace]).toEqual([24, "behind"]);
    expect(behind.againstPlanTotal).not.toHaveProperty("status");
  });

  it("calls a projection that lands exactly on the plan total on target", () => {
    const plan = referencePlan();
    // Exactly the targets so far (10 in FY2018) projects exactly the plan's 120.
    const cases = Array.from({ length: 10 }, (_, index) => reportedCase(`T${index}`, { firstFiscalYear: 2018 }));
    const review = computeReview({
      plan,
      fiscalYear: 2018,
      submissions: [submission("hro", 1, cases)],
      requests: [],
      now: REVIEW_NOW,
    });
    expect([review.planToDate.projection.projectedTotal, review.planToDate.projection.pace]).toEqual([
      120,
      "on-target",
    ]);
  });
});

describe("year-end review, other cases", () => {
  const plan = referencePlan();

  it("words a nearly met target as the brief does: 8 of 10 new cases in FY2019", () => {
    const cases = Array.from({ length: 8 }, (_, index) => reportedCase(`N${index}`, { firstFiscalYear: 2019 }));
    const review = computeReview({
      plan,
      fiscalYear: 2019,
      submissions: [submission("hro", 1, cases)],
      requests: requestsOfYear(plan, 2019),
      now: REVIEW_NOW,
    });
    const finding = review.findings.find((candidate) => candidate.text.includes("新規支援件数"));
    expect(finding?.text).toBe("2019年度の新規支援件数は8件で、目標10件に対し達成率80.0%でした。");
    expect(review.supportedCases[1]?.newCases.status).toBe("nearly");
  });

  it("shows seed 004's 22 commercialised of 59 as 37.3%", () => {
    const cases = Array.from({ length: 59 }, (_, index) =>
      reportedCase(`P${index}`, { outcomes: { commercialised: index < 22 } }),
    );
    const review = computeReview({
      plan,
      fiscalYear: 2020,
      submissions: [submission("nortec", 4, cases)],
      requests: [],
      now: REVIEW_NOW,
    });
    const rate = review.indicators.find((indicator) => indicator.id === "commercialisation-rate");
    expect([rate?.numerator, rate?.denominator, rate?.display]).toEqual([22, 59, "37.3%"]);
  });

  it("gives no rate and no NaN when there is nothing to divide by", () => {
    const review = computeReview({ plan, fiscalYear: 2018, submissions: [], requests: [], now: REVIEW_NOW });
    const rate = review.indicators.find((indicator) => indicator.id === "commercialisation-rate");
    expect([rate?.value, rate?.display]).toEqual([null, "—"]);
    expect(review.completeness.answered).toBe(0);
    expect(review.completeness.missing).toBe(20);
    expect(review.supportedCases[0]?.continuingCases.rate).toBeNull();
  });

  it("reviews a year before the first target year without comparing it to a target", () => {
    const review = computeReview({
      plan,
      fiscalYear: 2017,
      submissions: [submission("hro", 4, [reportedCase("X", { firstFiscalYear: 2017 })])],
      requests: [],
      now: REVIEW_NOW,
    });
    expect(review.supportedCases).toEqual([]);
    expect(review.breakdowns.cases).toBe(1);
    expect(review.planToDate.projection.projectedTotal).toBeNull();
    expect(review.notes.some((note) => note.includes("2018年度の目標に合算"))).toBe(true);
  });

  it("takes the earliest first year when reports disagree, and says so", () => {
    const review = computeReview({
      plan,
      fiscalYear: 2020,
      earlierCases: [{ caseId: "Z", firstFiscalYear: 2019, institutionId: "hsc", fiscalYear: 2019 }],
      submissions: [submission("hro", 1, [reportedCase("Z", { firstFiscalYear: 2020 })])],
      requests: [],
      now: REVIEW_NOW,
    });
    const last = review.supportedCases.at(-1);
    expect([last?.newCases.actual, last?.continuingCases.actual]).toEqual([0, 1]);
    expect(review.notes.some((note) => note.includes("支援開始年度が報告によって異なる案件が1件"))).toBe(true);
  });

  it("refuses a second version of one answer and an 'earlier' case from the year under review", () => {
    const accumulator = new ReviewAccumulator(plan, 2020);
    accumulator.addSubmission(submission("hro", 1, []));
    expect(() => accumulator.addSubmission(submission("hro", 1, []))).toThrow(ReviewInputError);
    expect(() =>
      accumulator.addEarlierCase({ caseId: "A", firstFiscalYear: 2020, institutionId: "hro", fiscalYear: 2020 }),
    ).toThrow(ReviewInputError);
    expect(() => new ReviewAccumulator(plan, 2023)).toThrow(ReviewInputError);
  });

  it("keeps only ids, years and names of earlier submissions", () => {
    const accumulator = new ReviewAccumulator(plan, 2020);
    accumulator.addEarlierSubmission({
      institutionId: "dogin",
      fiscalYear: 2019,
      report: { cases: [reportedCase("E", { firstFiscalYear: 2019, outcomes: { salesYen: 9_999 } })] },
    });
    const review = accumulator.finish({ requests: [], now: REVIEW_NOW });
    expect(review.supportedCases[1]?.newCases.actual).toBe(1);
    expect(review.indicators.find((indicator) => indicator.id === "sales")?.value).toBe(0);
    expect(review.followUp.cohorts[1]?.missed[0]).toEqual({
      caseId: "E",
      businessName: "事業者E",
      institutions: [{ id: "dogin", name: "北海道銀行" }],
      missedYears: [2020],
    });
  });
});
