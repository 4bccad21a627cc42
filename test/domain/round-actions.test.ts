import { describe, expect, it } from "vitest";
import { checkDeadlineExtension, checkLateAcceptance, dateAtDeadlineHour } from "../../domain/console/round-actions.ts";
import type { Round, RoundRequest } from "../../domain/round.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();
const [first, second] = plan.institutions.map((institution) => institution.id) as [string, string];
const round: Round = {
  planId: plan.id,
  fiscalYear: 2022,
  quarter: 1,
  status: "open",
  deadline: "2022-07-15T08:00:00.000Z",
  closesAt: "2022-07-31T08:00:00.000Z",
  openedAt: "2022-07-01T00:00:00.000Z",
};
const asked = (institutionId: string, status: RoundRequest["status"] = "sent"): RoundRequest => ({
  planId: plan.id,
  fiscalYear: 2022,
  quarter: 1,
  institutionId,
  status,
  deadline: round.deadline,
  emailedAt: "2022-07-01T00:00:00.000Z",
});

describe("extending a round's deadline", () => {
  it("takes a date after each one's deadline and up to the close, at the plan's deadline hour", () => {
    const checked = checkDeadlineExtension({
      plan,
      round,
      requests: [asked(first), asked(second, "answered")],
      form: { institution: "", deadline: "2022-07-22" },
    });
    expect(checked).toEqual({
      ok: true,
      value: { institutionIds: [first], deadline: dateAtDeadlineHour(plan, "2022-07-22") },
    });
    expect(dateAtDeadlineHour(plan, "2022-07-22")?.toISOString()).toBe("2022-07-22T08:00:00.000Z");
  });

  it("names each wrong field: no date, a date that does not exist, one past the close, an answered institution", () => {
    const requests = [asked(first), asked(second, "answered")];
    const paths = (form: Record<string, string>) => {
      const checked = checkDeadlineExtension({ plan, round, requests, form });
      return checked.ok ? [] : checked.errors.map((error) => `${error.path}: ${error.ja}`);
    };
    expect(paths({ institution: first, deadline: "" })).toEqual(["deadline: 新しい回答期限：日付を入力してください"]);
    expect(paths({ institution: first, deadline: "2022-02-30" })).toHaveLength(1);
    expect(paths({ institution: first, deadline: "2022-07-10" })[0]).toContain("現在の期限");
    expect(paths({ institution: first, deadline: "2022-08-01" })[0]).toContain("照会の締切");
    expect(paths({ institution: second, deadline: "2022-07-20" })[0]).toMatch(/^institution: 機関：.*回答済み/);
    expect(paths({ institution: "nobody", deadline: "2022-07-20" })[0]).toContain("この計画の機関を選んでください");
    const closed = checkDeadlineExtension({ plan, round: { ...round, status: "closed" }, requests, form: {} });
    expect(closed.ok ? "" : closed.errors[0]?.ja).toContain("締切後の回答を受け付ける");
  });
});

describe("accepting a late answer", () => {
  const closed: Round = { ...round, status: "closed" };
  const now = new Date("2022-08-02T00:00:00Z");

  it("takes one unanswered institution of a closed round, until a date within 60 days", () => {
    const requests = [asked(first, "overdue")];
    expect(
      checkLateAcceptance({ plan, round: closed, requests, form: { institution: first, until: "2022-08-10" }, now }),
    ).toEqual({
      ok: true,
      value: { institutionId: first, until: new Date("2022-08-10T08:00:00.000Z") },
    });
    const wrong = checkLateAcceptance({
      plan,
      round: closed,
      requests,
      form: { institution: "", until: "2022-12-01" },
      now,
    });
    expect(wrong.ok ? [] : wrong.errors.map((error) => error.path)).toEqual(["institution", "until"]);
    const open = checkLateAcceptance({
      plan,
      round,
      requests,
      form: { institution: first, until: "2022-08-10" },
      now: new Date("2022-07-20T00:00:00Z"),
    });
    expect(open.ok ? "" : open.errors[0]?.ja).toContain("回答期限の延長");
  });
});
