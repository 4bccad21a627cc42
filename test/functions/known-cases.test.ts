import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkQuarterlyReport, type ReportedCase } from "../../domain/form.ts";
import { documentClient } from "../../functions/adapters/clients/dynamodb.ts";
import { KnownCaseStore } from "../../functions/adapters/table/known-cases.ts";
import { SingleTable } from "../../functions/adapters/table/single-table.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { validFormInput } from "../fixtures/form-input.ts";
import { referencePlan } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// The prefill data (known cases) on DynamoDB Local: ordered writes that never let an older answer win, failures
// that surface, and the workflow step that makes a closed round's cases certain.

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

function reportedCase(businessName: string): ReportedCase {
  const checked = checkQuarterlyReport(referencePlan(), 2021, validFormInput());
  if (!checked.ok) throw new Error("fixture");
  return { ...(checked.value.cases[0] as ReportedCase), caseId: "HKD-2019-001", businessName };
}

describe("remembering cases for the next form", () => {
  it("keeps what the newest answer said of a case, whatever order the answers are remembered in", async () => {
    const known = stack.table.knownCases;
    await known.rememberCases(PLAN_ID, "hro", [reportedCase("2021年度の名前")], {
      fiscalYear: 2021,
      quarter: 1,
      submittedAt: "2021-07-01T00:00:00.000Z",
    });
    // A late correction of an older quarter comes in afterwards: it must not overwrite.
    const older = await known.rememberCases(PLAN_ID, "hro", [reportedCase("2020年度の名前")], {
      fiscalYear: 2020,
      quarter: 4,
      submittedAt: "2021-07-02T00:00:00.000Z",
    });
    expect(older).toEqual({ written: 0, keptNewer: 1 });
    expect((await known.listKnownCases(PLAN_ID, "hro")).map((c) => c.businessName)).toEqual(["2021年度の名前"]);
    // A correction of the same quarter, stored later, does.
    await known.rememberCases(PLAN_ID, "hro", [reportedCase("訂正後の名前")], {
      fiscalYear: 2021,
      quarter: 1,
      submittedAt: "2021-07-03T00:00:00.000Z",
    });
    expect((await known.listKnownCases(PLAN_ID, "hro")).map((c) => c.businessName)).toEqual(["訂正後の名前"]);
  });

  it("fails loudly when a write fails, instead of giving up quietly", async () => {
    const missingTable = new KnownCaseStore(new SingleTable(documentClient, "no-such-table"));
    await expect(
      missingTable.rememberCases(PLAN_ID, "hro", [reportedCase("x")], {
        fiscalYear: 2021,
        quarter: 1,
        submittedAt: "2021-07-01T00:00:00.000Z",
      }),
    ).rejects.toThrow(/non-existent table|not found/i);
  });

  it("remembers a closed round's final answers in the workflow's own step", async () => {
    const round = { planId: PLAN_ID, fiscalYear: 2022, quarter: 2 as const };
    await stack.table.rounds.openRound({
      ...round,
      status: "open",
      deadline: "2022-10-15T08:00:00.000Z",
      closesAt: "2099-01-01T00:00:00.000Z",
      openedAt: "2022-10-01T00:00:00.000Z",
    });
    await stack.table.requests.ensureRequest({ ...round, institutionId: "hsc", status: "sent", deadline: "x" });
    const checked = checkQuarterlyReport(referencePlan(), 2022, validFormInput());
    if (!checked.ok) throw new Error("fixture");
    await stack.table.submissions.storeSubmission({
      submission: {
        ...round,
        institutionId: "hsc",
        version: 1,
        submittedAt: "2022-10-05T00:00:00.000Z",
        channel: "web-form",
        report: checked.value,
      },
      previousVersion: 0,
      answeredOnTime: true,
      firstAnswer: true,
      auditId: "a-1",
      actor: "test",
    });
    // Stored without the form's follow-up (as when that write failed): nothing known yet.
    expect(await stack.table.knownCases.listKnownCases(PLAN_ID, "hsc")).toEqual([]);
    const result = await invokeInProcess("rememberRoundCases", {
      round: { ...round, deadline: "2022-10-15T08:00:00.000Z", closesAt: "2022-10-22T08:00:00.000Z" },
    });
    expect(result).toEqual({ answers: 1, written: 1, keptNewer: 0 });
    expect((await stack.table.knownCases.listKnownCases(PLAN_ID, "hsc")).map((c) => c.caseId)).toEqual([
      "HKD-2019-001",
    ]);
  });
});
