import { describe, expect, it } from "vitest";
import { jstInstant } from "../../domain/calendar.ts";
import {
  completenessOf,
  describeRequest,
  isOnTime,
  type RoundRequest,
  receiptNumber,
  secondsUntil,
} from "../../domain/round.ts";
import { chooseClosingTime, chooseDeadline, LATE_START_WINDOW_DAYS } from "../../domain/round-schedule.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();
const DAY = 24 * 60 * 60 * 1000;

function request(institutionId: string, fields: Partial<RoundRequest>): RoundRequest {
  return {
    planId: plan.id,
    fiscalYear: 2019,
    quarter: 1,
    institutionId,
    status: "sent",
    deadline: "2019-07-15T08:00:00.000Z",
    ...fields,
  };
}

describe("a round's deadline and close", () => {
  it("takes the plan's calendar deadline (the 15th of the month after the quarter, 17:00 in Japan), on a business day", () => {
    const deadline = chooseDeadline({ plan, fiscalYear: 2019, quarter: 2, now: jstInstant(2019, 10, 1, 9) });
    expect(deadline).toEqual(jstInstant(2019, 10, 15, 17));
    // July 15, 2019 was 海の日: the reference plan moves its deadline to the next business day.
    expect(chooseDeadline({ plan, fiscalYear: 2019, quarter: 1, now: jstInstant(2019, 7, 1, 9) })).toEqual(
      jstInstant(2019, 7, 16, 17),
    );
  });

  it("gives a round started after its calendar deadline two weeks from now, and a requested deadline as given", () => {
    const now = jstInstant(2026, 11, 25, 10); // two weeks later is Wednesday, December 9: a business day
    expect(chooseDeadline({ plan, fiscalYear: 2019, quarter: 1, now }).getTime()).toBe(
      now.getTime() + LATE_START_WINDOW_DAYS * DAY,
    );
    const requested = jstInstant(2026, 12, 1, 12);
    expect(chooseDeadline({ plan, fiscalYear: 2019, quarter: 1, now, requested })).toEqual(requested);
  });

  it("closes lateAnswerDays after the deadline unless a later close was asked for; never before the deadline", () => {
    const deadline = jstInstant(2019, 7, 15, 17);
    expect(chooseClosingTime(plan, deadline).getTime()).toBe(deadline.getTime() + plan.collection.lateAnswerDays * DAY);
    const later = jstInstant(2019, 7, 31, 17);
    expect(chooseClosingTime(plan, deadline, later)).toEqual(later);
    const before = jstInstant(2019, 7, 1, 17);
    expect(chooseClosingTime(plan, deadline, before).getTime()).toBe(
      deadline.getTime() + plan.collection.lateAnswerDays * DAY,
    );
  });

  it("counts whole seconds to a deadline, at least one, and is on time up to the deadline itself", () => {
    const deadline = new Date("2019-07-15T08:00:00Z");
    expect(secondsUntil(deadline, new Date("2019-07-15T07:59:58.500Z"))).toBe(2);
    expect(secondsUntil(deadline, new Date("2019-07-16T00:00:00Z"))).toBe(1);
    expect(isOnTime(deadline, deadline)).toBe(true);
    expect(isOnTime(new Date(deadline.getTime() + 1), deadline)).toBe(false);
  });
});

describe("completeness of a round", () => {
  it("counts answered, on time and late against every institution of the plan, missing ones by id", () => {
    const ids = plan.institutions.map((institution) => institution.id);
    const completeness = completenessOf(ids, [
      request("hro", { status: "answered", answeredOnTime: true, nothingToReport: true }),
      request("nortec", { status: "answered", answeredOnTime: false }),
      request("hsc", { status: "overdue" }),
      request("hokuyo", { status: "sent" }),
    ]);
    expect(completeness).toEqual({
      expected: 5,
      answered: 2,
      onTime: 1,
      late: 1,
      missing: ["hsc", "hokuyo", "dogin"],
      nothingToReport: ["hro"],
      answeredRate: 0.4,
      onTimeRate: 0.2,
    });
    expect(completenessOf([], []).answeredRate).toBe(0);
  });
});

describe("how a request's status reads", () => {
  it("tells 報告事項なし and a late answer apart from a plain answer and from no answer", () => {
    expect(describeRequest(request("hro", { status: "answered", answeredOnTime: true }))).toBe("回答済み");
    expect(describeRequest(request("hro", { status: "answered", answeredOnTime: false, nothingToReport: true }))).toBe(
      "回答済み（報告事項なし・期限後）",
    );
    expect(describeRequest(request("hro", { status: "overdue" }))).toBe("期限超過");
    expect(describeRequest(undefined)).toBe("—");
  });
});

describe("receipt numbers", () => {
  it("reads as round, institution and version, padded so a person can quote it", () => {
    expect(receiptNumber(2019, 1, "hro", 2)).toBe("2019Q1-hro-002");
  });
});
