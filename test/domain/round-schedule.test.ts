import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWithinBusinessHours } from "../../domain/business-days.ts";
import { jstInstant, QUARTERS } from "../../domain/calendar.ts";
import type { Plan } from "../../domain/plan.ts";
import {
  calendarDeadlineOf,
  compressedClock,
  MAIL_MOMENTS,
  nextMoment,
  requestTimeOf,
  roundMoments,
  toVirtual,
} from "../../domain/round-schedule.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();

/** A real round of the plan as openRound opens it on its request day. */
function realRound(source: Plan, fiscalYear: number, quarter: 1 | 2 | 3 | 4) {
  const deadline = calendarDeadlineOf(source, fiscalYear, quarter);
  return {
    deadline: deadline.toISOString(),
    closesAt: new Date(deadline.getTime() + source.collection.lateAnswerDays * 86_400_000).toISOString(),
    openedAt: requestTimeOf(source, fiscalYear, quarter).toISOString(),
  };
}

describe("a round's moments on business days", () => {
  it("schedules the reference plan's FY2019 Q3 round around 成人の日 and after the New Year holidays", () => {
    // Requests were due out on January 1: the year-end holidays and a weekend move them to Monday January 6.
    expect(requestTimeOf(plan, 2019, 3)).toEqual(jstInstant(2020, 1, 6, 9));
    const moments = roundMoments(plan, realRound(plan, 2019, 3));
    expect(moments.map((moment) => [moment.id, moment.at])).toEqual([
      // Three business days before Wednesday the 15th: Tuesday 14, Friday 10 (Monday 13 is 成人の日), Thursday 9.
      ["reminder-3", jstInstant(2020, 1, 9, 9)],
      ["reminder+0", jstInstant(2020, 1, 15, 9)],
      ["deadline", jstInstant(2020, 1, 15, 17)],
      ["overdue-notice+2", jstInstant(2020, 1, 17, 9)],
      ["escalation+5", jstInstant(2020, 1, 22, 9)],
      ["close", jstInstant(2020, 1, 25, 17)],
    ]);
  });

  it("moves the deadline of a round whose 15th is a holiday, and counts its reminders from the moved day", () => {
    // FY2024 Q1: July 15, 2024 is 海の日; the plan says next, so Tuesday the 16th; with previous, Friday the 12th.
    // Three business days before the 16th skip the holiday: Friday 12, Thursday 11, Wednesday 10.
    expect(calendarDeadlineOf(plan, 2024, 1)).toEqual(jstInstant(2024, 7, 16, 17));
    const previous = { ...plan, collection: { ...plan.collection, nonBusinessDeadline: "previous" as const } };
    expect(calendarDeadlineOf(previous, 2024, 1)).toEqual(jstInstant(2024, 7, 12, 17));
    const reminders = roundMoments(plan, realRound(plan, 2024, 1)).filter((moment) => moment.kind === "reminder");
    expect(reminders.map((moment) => moment.at)).toEqual([jstInstant(2024, 7, 10, 9), jstInstant(2024, 7, 16, 9)]);
  });

  it("never puts a mail moment outside business hours or on a closed day, for any round of any year", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2017, max: 2038 }),
        fc.constantFrom(...QUARTERS),
        fc.uniqueArray(fc.integer({ min: -10, max: 10 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 28 }),
        fc.constantFrom("next" as const, "previous" as const),
        (fiscalYear, quarter, days, escalation, deadlineDay, rule) => {
          const variant: Plan = {
            ...plan,
            collection: {
              ...plan.collection,
              deadlineDay,
              nonBusinessDeadline: rule,
              lateAnswerDays: 30,
              reminders: days.map((businessDays) => ({ businessDays })),
            },
            escalation: { afterBusinessDays: escalation },
          };
          for (const moment of roundMoments(variant, realRound(variant, fiscalYear, quarter)))
            if (MAIL_MOMENTS.has(moment.kind))
              expect(isWithinBusinessHours(moment.at, variant.collection.businessHours)).toBe(true);
        },
      ),
    );
  });

  it("waits for the next moment, skips to the close when everyone answered, and resumes without flooding", () => {
    const round = realRound(plan, 2019, 3);
    const at = (id: string, now: Date) => nextMoment(plan, round, { after: id, now, everyoneAnswered: false });
    expect(at("opened", jstInstant(2020, 1, 6, 9))).toMatchObject({ id: "reminder-3", at: "2020-01-09T00:00:00.000Z" });
    expect(at("reminder-3", jstInstant(2020, 1, 9, 9, 1)).id).toBe("reminder+0");
    expect(nextMoment(plan, round, { now: jstInstant(2020, 1, 7), everyoneAnswered: true }).id).toBe("close");
    // Resumed on Saturday the 18th after a long stop: the overdue notice of the 17th is due, at Monday's opening.
    expect(nextMoment(plan, round, { now: jstInstant(2020, 1, 18, 12), everyoneAnswered: false })).toMatchObject({
      id: "deadline",
    });
    expect(at("deadline", jstInstant(2020, 1, 18, 12))).toEqual({
      id: "overdue-notice+2",
      kind: "overdue-notice",
      at: jstInstant(2020, 1, 20, 9).toISOString(),
    });
    // Resumed after the escalation's day: the overdue notice is superseded, the escalation goes.
    expect(at("deadline", jstInstant(2020, 1, 23, 10)).id).toBe("escalation+5");
  });

  it("runs a compressed round on the plan's calendar, so its moments keep their business days", () => {
    const realStart = new Date("2026-11-25T03:00:00Z");
    const clock = compressedClock(plan, 2019, 3, realStart, 90);
    const deadline = new Date(realStart.getTime() + 90_000);
    expect(toVirtual(clock, deadline)).toEqual(jstInstant(2020, 1, 15, 17));
    const round = {
      deadline: deadline.toISOString(),
      closesAt: new Date(realStart.getTime() + 200_000).toISOString(),
      openedAt: realStart.toISOString(),
      clock,
    };
    const calendar = roundMoments(plan, round).map((moment) => moment.calendarAt);
    expect(calendar).toContainEqual(jstInstant(2020, 1, 9, 9));
    // Real time is kept in whole milliseconds: one of them is `speed` milliseconds of the round's calendar.
    for (const moment of roundMoments(plan, round))
      expect(Math.abs(toVirtual(clock, moment.at).getTime() - moment.calendarAt.getTime())).toBeLessThan(clock.speed);
  });
});
