/**
 * A round's moments (its request day, reminders, deadline, overdue notices, escalation and close) on Japanese
 * business days, computed from the plan and the round alone, so that any retry or restart computes the same ones.
 *
 * A round may run on a compressed clock (for trying a round out, and for tests): its moments are computed on the
 * plan's own calendar, with the same business-day rules a real round uses, and then mapped onto the wall clock at
 * `speed` times real time. A real round has no clock: its calendar is the wall clock.
 */
import {
  addBusinessDays,
  adjustToBusinessDay,
  businessDayFrom,
  dayOf,
  nextBusinessMoment,
  openingOf,
} from "./business-days.ts";
import { type FiscalYear, jstInstant, type Quarter, roundDeadline, roundRequestTime } from "./calendar.ts";
import type { Plan } from "./plan.ts";

/** Maps a round's own calendar onto the wall clock: `speed` calendar seconds pass per real second. */
export interface RoundClock {
  /** The real instant the round opened. */
  realStart: string;
  /** Where the round's own calendar stood then. */
  virtualStart: string;
  speed: number;
}

/** The real instant of a moment on the round's calendar. */
export function toReal(clock: RoundClock | undefined, virtual: Date): Date {
  if (!clock) return virtual;
  return new Date(Date.parse(clock.realStart) + (virtual.getTime() - Date.parse(clock.virtualStart)) / clock.speed);
}

/** Where the round's calendar stands at a real instant. */
export function toVirtual(clock: RoundClock | undefined, real: Date): Date {
  if (!clock) return real;
  return new Date(Date.parse(clock.virtualStart) + (real.getTime() - Date.parse(clock.realStart)) * clock.speed);
}

/**
 * When a quarter's requests go out: 09:00 Japan time on the plan's request day, moved to the next business day when
 * that is closed (a request sent early would ask about a quarter that has not ended).
 */
export function requestTimeOf(plan: Plan, fiscalYear: FiscalYear, quarter: Quarter): Date {
  const planned = dayOf(roundRequestTime(fiscalYear, quarter, plan.collection));
  const day = businessDayFrom(planned, "next");
  return jstInstant(day.year, day.month, day.day, 9);
}

/** A quarter's calendar deadline, moved off a non-business day as the plan says (`next` or `previous`). */
export function calendarDeadlineOf(plan: Plan, fiscalYear: FiscalYear, quarter: Quarter): Date {
  return adjustToBusinessDay(roundDeadline(fiscalYear, quarter, plan.collection), plan.collection.nonBusinessDeadline);
}

/** A clock that runs a round's calendar, from its request time to its deadline, in `deadlineSeconds` real seconds. */
export function compressedClock(
  plan: Plan,
  fiscalYear: FiscalYear,
  quarter: Quarter,
  realStart: Date,
  deadlineSeconds: number,
): RoundClock {
  const virtualStart = requestTimeOf(plan, fiscalYear, quarter);
  const span = calendarDeadlineOf(plan, fiscalYear, quarter).getTime() - virtualStart.getTime();
  return {
    realStart: realStart.toISOString(),
    virtualStart: virtualStart.toISOString(),
    speed: span / (deadlineSeconds * 1000),
  };
}

/** What the round does at a moment. Reminders, overdue notices and escalations are mail, sent in business hours. */
export type MomentKind = "reminder" | "overdue-notice" | "deadline" | "escalation" | "close";

/** Mail moments: sent only on business days in business hours, at most once per institution. */
export const MAIL_MOMENTS: ReadonlySet<MomentKind> = new Set(["reminder", "overdue-notice", "escalation"]);

/** One moment of a round; `at` is real time, `calendarAt` the round's own calendar (the same on a real round). */
export interface RoundMoment {
  /** Stable across retries: what the per-institution records of the moment are keyed by. */
  id: string;
  kind: MomentKind;
  at: Date;
  calendarAt: Date;
  /** Business days from the deadline's day, for reminders, overdue notices and the escalation. */
  businessDays?: number;
}

/** The round as its moments are computed from it (real instants, as stored). */
export interface ScheduledRound {
  deadline: string;
  closesAt: string;
  openedAt: string;
  clock?: RoundClock;
}

const ORDER: Record<MomentKind, number> = { reminder: 0, deadline: 1, "overdue-notice": 2, escalation: 3, close: 4 };

/**
 * Every moment of a round, in time order, ending with its close. A reminder goes when business hours open on its
 * business day; one that would fall before the round opened, at or after its deadline, or at or after its close is
 * left out, as is an overdue notice or escalation before the deadline or at or after the close.
 */
export function roundMoments(plan: Plan, round: ScheduledRound): RoundMoment[] {
  const { clock } = round;
  const deadline = toVirtual(clock, new Date(round.deadline));
  const close = toVirtual(clock, new Date(round.closesAt));
  const opened = toVirtual(clock, new Date(round.openedAt));
  const hours = plan.collection.businessHours;
  const deadlineDay = dayOf(deadline);
  const moment = (id: string, kind: MomentKind, calendarAt: Date, businessDays?: number): RoundMoment => ({
    id,
    kind,
    at: toReal(clock, calendarAt),
    calendarAt,
    ...(businessDays === undefined ? {} : { businessDays }),
  });
  const mail: RoundMoment[] = [];
  for (const { businessDays } of plan.collection.reminders) {
    const at = openingOf(addBusinessDays(deadlineDay, businessDays), hours);
    const overdue = at.getTime() > deadline.getTime();
    const kind = overdue ? "overdue-notice" : "reminder";
    if (!overdue && businessDays > 0) continue;
    mail.push(moment(`${kind}${businessDays >= 0 ? "+" : ""}${businessDays}`, kind, at, businessDays));
  }
  if (plan.escalation) {
    const days = plan.escalation.afterBusinessDays;
    mail.push(moment(`escalation+${days}`, "escalation", openingOf(addBusinessDays(deadlineDay, days), hours), days));
  }
  const kept = mail.filter((candidate) => {
    const at = candidate.calendarAt.getTime();
    if (at < opened.getTime() || at >= close.getTime()) return false;
    return candidate.kind === "reminder" ? at < deadline.getTime() : at > deadline.getTime();
  });
  return [...kept, moment("deadline", "deadline", deadline), moment("close", "close", close)].sort(
    (a, b) => a.calendarAt.getTime() - b.calendarAt.getTime() || ORDER[a.kind] - ORDER[b.kind],
  );
}

/** The moment a round waits for next, with the real instant it acts at. */
export interface NextMoment {
  id: string;
  kind: MomentKind;
  /** Real time, ISO 8601: the workflow's Wait state reads it. */
  at: string;
}

/**
 * The moment after `after` (the one the round acted on last; unknown or absent: from the start) as of `now`.
 * - With nobody left to ask (`everyoneAnswered`), the close: there is nobody to remind or mark.
 * - A mail moment whose time passed while a later mail moment's time passed too is skipped (a round resumed after a
 *   long stop sends the latest reminder due, not every one it missed), and a reminder is never sent after the
 *   deadline.
 * - A mail moment goes at its time or now, whichever is later, moved to the next business morning when that falls
 *   outside business hours or on a closed day; one that would then fall at or after the close is skipped.
 */
export function nextMoment(
  plan: Plan,
  round: ScheduledRound,
  input: { after?: string; now: Date; everyoneAnswered: boolean },
): NextMoment {
  const moments = roundMoments(plan, round);
  const close = moments.at(-1) as RoundMoment;
  const asNext = (chosen: RoundMoment, at: Date = chosen.at): NextMoment => ({
    id: chosen.id,
    kind: chosen.kind,
    at: at.toISOString(),
  });
  if (input.everyoneAnswered) return asNext(close);
  const afterIndex = moments.findIndex((candidate) => candidate.id === input.after);
  const candidates = moments.slice(afterIndex + 1);
  const now = input.now.getTime();
  const deadline = Date.parse(round.deadline);
  for (const [index, candidate] of candidates.entries()) {
    if (!MAIL_MOMENTS.has(candidate.kind)) return asNext(candidate);
    const superseded = candidates
      .slice(index + 1)
      .some((later) => MAIL_MOMENTS.has(later.kind) && later.at.getTime() <= now);
    if (superseded || (candidate.kind === "reminder" && now >= deadline)) continue;
    const due = new Date(Math.max(candidate.at.getTime(), now));
    const sendAt = toReal(round.clock, nextBusinessMoment(toVirtual(round.clock, due), plan.collection.businessHours));
    if (sendAt.getTime() >= close.at.getTime()) continue;
    if (candidate.kind === "reminder" && sendAt.getTime() >= deadline) continue;
    return asNext(candidate, sendAt);
  }
  return asNext(close);
}

/** A plan's own round of a quarter, as its schedule opens it on the request day: its deadline and close on the calendar. */
export function plannedRound(plan: Plan, fiscalYear: FiscalYear, quarter: Quarter): ScheduledRound {
  const deadline = calendarDeadlineOf(plan, fiscalYear, quarter);
  const closesAt = new Date(deadline.getTime() + plan.collection.lateAnswerDays * 24 * 60 * 60 * 1000);
  return {
    deadline: deadline.toISOString(),
    closesAt: closesAt.toISOString(),
    openedAt: requestTimeOf(plan, fiscalYear, quarter).toISOString(),
  };
}

/** Days a round stays open when it is started after its calendar deadline has passed (a late or resumed start). */
export const LATE_START_WINDOW_DAYS = 14;

/**
 * The deadline a round gets: the one the secretariat gave, else the plan's calendar deadline (moved off a
 * non-business day as the plan says), else — when that is already past, as for a round started late — two weeks
 * from now, so no institution is asked with no time to answer.
 */
export function chooseDeadline(input: {
  plan: Plan;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  now: Date;
  requested?: Date;
}): Date {
  if (input.requested) return input.requested;
  const calendar = calendarDeadlineOf(input.plan, input.fiscalYear, input.quarter);
  if (calendar.getTime() > input.now.getTime()) return calendar;
  const late = new Date(input.now.getTime() + LATE_START_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  return adjustToBusinessDay(late, input.plan.collection.nonBusinessDeadline);
}

/** When a round closes: the time the secretariat gave, else `lateAnswerDays` after the deadline. */
export function chooseClosingTime(plan: Plan, deadline: Date, requested?: Date): Date {
  if (requested && requested.getTime() >= deadline.getTime()) return requested;
  return new Date(deadline.getTime() + plan.collection.lateAnswerDays * 24 * 60 * 60 * 1000);
}
