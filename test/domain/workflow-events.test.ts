import { describe, expect, it } from "vitest";
import { check } from "../../domain/validation.ts";
import {
  batchesOf,
  batchOf,
  INSTITUTIONS_PER_BATCH,
  planResourceEventSchema,
  reviewRefSchema,
  roundsCheckSchema,
  sendRequestEventSchema,
  startReviewInputSchema,
  startRoundInputSchema,
} from "../../domain/workflow-events.ts";

const round = {
  planId: "hokkaido-kita-no-monozukuri",
  fiscalYear: 2019,
  quarter: 1,
  deadline: "2019-07-15T17:00:00+09:00",
  closesAt: "2019-07-22T17:00:00+09:00",
};

describe("the workflows' event schemas", () => {
  it("start a round from a plan, year and quarter, the deadline and close being optional", () => {
    const checked = check(startRoundInputSchema, { planId: round.planId, fiscalYear: 2019, quarter: 4 }, {});
    expect(checked).toEqual({ ok: true, value: { planId: round.planId, fiscalYear: 2019, quarter: 4 } });
  });

  it("refuse a round that closes before its deadline, naming closesAt", () => {
    const checked = check(startRoundInputSchema, { ...round, closesAt: "2019-07-01T17:00:00+09:00" }, {});
    expect(checked).toEqual({
      ok: false,
      errors: [
        {
          path: "closesAt",
          ja: "closesAtは回答期限より後にしてください",
          en: "closesAt must not be before the deadline",
        },
      ],
    });
  });

  it("refuse a fiscal year out of range, a fifth quarter and a deadline without its offset, each by its path", () => {
    const checked = check(
      startRoundInputSchema,
      { planId: "", fiscalYear: 1989, quarter: 5, deadline: "2019-07-15T17:00:00" },
      {},
    );
    expect(checked.ok ? [] : checked.errors.map((error) => error.path)).toEqual([
      "planId",
      "fiscalYear",
      "quarter",
      "deadline",
    ]);
  });

  it("start a review with nothing to add: no proceeding past open rounds, no notes", () => {
    const checked = check(startReviewInputSchema, { planId: round.planId, fiscalYear: 2022 }, {});
    expect(checked).toEqual({
      ok: true,
      value: {
        planId: round.planId,
        fiscalYear: 2022,
        proceedAnyway: false,
        notes: { findings: [], decisions: [] },
      },
    });
  });

  it("trim the secretariat's notes and refuse a blank one", () => {
    const notes = { findings: ["  件数が目標を下回った  "], decisions: [] };
    const trimmed = check(startReviewInputSchema, { planId: round.planId, fiscalYear: 2022, notes }, {});
    expect(trimmed.ok && trimmed.value.notes.findings).toEqual(["件数が目標を下回った"]);
    const blank = check(
      startReviewInputSchema,
      { planId: round.planId, fiscalYear: 2022, notes: { findings: [" "] } },
      {},
    );
    expect(blank.ok ? [] : blank.errors.map((error) => error.path)).toEqual(["notes.findings.0"]);
  });

  it("carry the review's input through the rounds check, with the rounds not closed", () => {
    const checked = check(
      roundsCheckSchema,
      {
        planId: round.planId,
        fiscalYear: 2022,
        proceedAnyway: true,
        allClosed: false,
        notClosed: [{ quarter: 4, status: "open" }],
      },
      {},
    );
    expect(checked.ok && checked.value).toMatchObject({ proceedAnyway: true, notClosed: [{ quarter: 4 }] });
  });

  it("take a batch number from 0, and a draft version from 1", () => {
    expect(check(sendRequestEventSchema, { round, batch: 0 }, {}).ok).toBe(true);
    expect(check(sendRequestEventSchema, { round, batch: -1 }, {}).ok).toBe(false);
    expect(batchesOf(0)).toEqual([]);
    expect(batchesOf(INSTITUTIONS_PER_BATCH + 1)).toEqual([0, 1]);
    expect(batchOf([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(check(reviewRefSchema, { planId: round.planId, fiscalYear: 2022, version: 0 }, {}).ok).toBe(false);
  });

  it("read a plan's custom resource event and refuse an unknown request type", () => {
    const event = { RequestType: "Create", ResourceProperties: { PlanId: "p", Plan: "{}" } };
    expect(check(planResourceEventSchema, event, {}).ok).toBe(true);
    expect(check(planResourceEventSchema, { ...event, RequestType: "Rename" }, {}).ok).toBe(false);
  });
});
