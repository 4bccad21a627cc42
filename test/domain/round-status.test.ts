import { describe, expect, it } from "vitest";
import { describeStanding } from "../../domain/console/round-status.ts";
import type { RoundRequest } from "../../domain/round.ts";

const round = { status: "open" as const, deadline: "2022-07-15T08:00:00.000Z", closesAt: "2022-08-15T08:00:00.000Z" };
const request: RoundRequest = {
  planId: "p",
  fiscalYear: 2022,
  quarter: 1,
  institutionId: "a",
  status: "overdue",
  deadline: round.deadline,
  emailedAt: "2022-07-01T00:00:00.000Z",
};
const now = new Date("2022-07-20T00:00:00Z");

describe("where an institution stands, in the secretariat's words", () => {
  it("says what chasing it took: reminders counted, the escalation, addresses that bounced", () => {
    const standing = describeStanding({
      request: { ...request, undeliverable: ["a@example.jp"] },
      round,
      chased: [
        { kind: "reminder", sentAt: "2022-07-13T00:00:00.000Z" },
        { kind: "reminder", sentAt: "2022-07-14T00:00:00.000Z" },
        { kind: "escalation", sentAt: "2022-07-19T00:00:00.000Z" },
        // Claimed but never sent (its send failed): not something that happened.
        { kind: "overdue-notice" },
      ],
      now,
    });
    expect(standing).toEqual({
      status: "期限超過",
      notes: ["督促を送信：令和4年7月14日（木）（計2回）", "上申済み：令和4年7月19日（火）", "送付不能：a@example.jp"],
    });
  });

  it("tells an extended deadline, a closed round's missing answer, and a late answer accepted or expired", () => {
    expect(
      describeStanding({
        request: { ...request, status: "sent", deadline: "2022-07-25T08:00:00.000Z" },
        round,
        chased: [],
        now,
      }).notes,
    ).toEqual(["期限延長：令和4年7月25日（月）17時00分まで"]);
    const closed = { ...round, status: "closed" as const };
    const accepted = { ...request, lateAnswerUntil: "2022-08-20T08:00:00.000Z" };
    expect(
      describeStanding({ request: accepted, round: closed, chased: [], now: new Date("2022-08-16T00:00:00Z") }),
    ).toEqual({
      status: "未回答（締切）",
      notes: ["締切後の回答を受付中：令和4年8月20日（土）17時00分まで"],
    });
    expect(
      describeStanding({ request: accepted, round: closed, chased: [], now: new Date("2022-08-21T00:00:00Z") }).notes,
    ).toEqual(["締切後の回答の受付は令和4年8月20日（土）で終了"]);
    const answered = { ...accepted, status: "answered" as const, answeredOnTime: false };
    expect(describeStanding({ request: answered, round: closed, chased: [], now })).toEqual({
      status: "回答済み（期限後）",
      notes: ["締切後に受付"],
    });
    expect(describeStanding({ request: undefined, round, chased: [], now }).status).toBe("未照会");
  });
});
