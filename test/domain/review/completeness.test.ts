import { describe, expect, it } from "vitest";
import { reportTables } from "../../../domain/report/tables.ts";
import { computeReview } from "../../../domain/review/review.ts";
import type { RoundRequest } from "../../../domain/round.ts";
import { referencePlan } from "../../fixtures/plans.ts";

const plan = referencePlan();

function answered(institutionId: string, quarter: 1 | 2 | 3 | 4, fields: Partial<RoundRequest> = {}): RoundRequest {
  return {
    planId: plan.id,
    fiscalYear: 2020,
    quarter,
    institutionId,
    status: "answered",
    answeredOnTime: true,
    deadline: "2020-07-15T08:00:00.000Z",
    ...fields,
  };
}

describe("reporting completeness with 報告事項なし", () => {
  it("counts 報告事項なし as an answer, says so apart from a missing one, and by quarter", () => {
    const review = computeReview({
      plan,
      fiscalYear: 2020,
      submissions: [],
      requests: [
        answered("hro", 1),
        answered("nortec", 1, { nothingToReport: true }),
        answered("hsc", 1, { nothingToReport: true, answeredOnTime: false }),
        { ...answered("hokuyo", 1), status: "overdue" },
      ],
      now: new Date("2021-05-01T00:00:00Z"),
    });
    const { completeness } = review;
    expect(completeness.byQuarter[0]).toMatchObject({ answered: 3, onTime: 2, nothingToReport: 2 });
    expect(completeness.nothingToReport).toBe(2);
    const table = reportTables(review, plan).find((candidate) => candidate.name === "completeness");
    const q1 = Object.fromEntries((table?.rows ?? []).map((row) => [row.id, row.q1]));
    expect(q1).toEqual({
      hro: "期限内",
      nortec: "報告事項なし",
      hsc: "報告事項なし（期限後）",
      hokuyo: "未報告",
      dogin: "未報告",
    });
  });
});
