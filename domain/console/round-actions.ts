/**
 * The secretariat's actions on a running or closed round, from the console's round page: extending the deadline for
 * one institution or every one that has not answered, and accepting one institution's answer after the close.
 * Checked here, with no I/O, so that every wrong field is named before anything is stored or mailed.
 */
import { formatJapaneseDate, jstInstant, jstParts } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import { deadlineOf, isRoundClosed, type Round, type RoundRequest } from "../round.ts";
import type { FieldError } from "../validation.ts";

/** "Every institution that has not answered", as the round page's institution list offers it. */
export const ALL_UNANSWERED = "";

/** The longest the secretariat may keep one institution's late answer open after the close. */
export const MAX_LATE_ANSWER_DAYS = 60;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date typed in the page's date field, at the plan's deadline hour (Japan time), or undefined if it is no date. */
export function dateAtDeadlineHour(plan: Plan, text: string | undefined): Date | undefined {
  const match = DATE_PATTERN.exec((text ?? "").trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const instant = jstInstant(year, month, day, plan.collection.deadlineHour);
  // 2026-02-30 would roll over into March: a date that does not exist is no date.
  const parts = jstParts(instant);
  if (parts.year !== year || parts.month !== month || parts.day !== day) return undefined;
  return instant;
}

/** What a checked extension does: which requests get which deadline. */
export interface DeadlineExtension {
  institutionIds: string[];
  deadline: Date;
}

/**
 * Checks an extension: an open round, an institution of the plan that has been asked and not answered (or every one
 * such), and a date later than each one's deadline and no later than the round's close (the close is when the
 * year's figures are taken; after it, a late answer is accepted instead).
 */
export function checkDeadlineExtension(input: {
  plan: Plan;
  round: Round;
  requests: readonly RoundRequest[];
  form: Record<string, string>;
}): { ok: true; value: DeadlineExtension } | { ok: false; errors: FieldError[] } {
  const { plan, round, form } = input;
  const errors: FieldError[] = [];
  if (round.status !== "open")
    return {
      ok: false,
      errors: [
        {
          path: "deadline",
          ja: "この照会は締め切られているため、期限は延長できません。「締切後の回答を受け付ける」をお使いください",
          en: "The round is closed: accept a late answer instead of extending the deadline",
        },
      ],
    };
  const targets = unansweredTargets(input, errors);
  const deadline = dateAtDeadlineHour(plan, form.deadline);
  if (!deadline)
    errors.push({ path: "deadline", ja: "新しい回答期限：日付を入力してください", en: "New deadline: enter a date" });
  else {
    const latest = Math.max(...targets.map((request) => deadlineOf(request, round).getTime()), 0);
    if (targets.length > 0 && deadline.getTime() <= latest)
      errors.push({
        path: "deadline",
        ja: `新しい回答期限：現在の期限（${formatJapaneseDate(new Date(latest))}）より後の日付を入力してください`,
        en: "New deadline: enter a date after the current deadline",
      });
    if (round.closesAt && deadline.getTime() > Date.parse(round.closesAt))
      errors.push({
        path: "deadline",
        ja: `新しい回答期限：照会の締切（${formatJapaneseDate(new Date(round.closesAt))}）までの日付を入力してください`,
        en: "New deadline: enter a date no later than the round's close",
      });
  }
  if (errors.length > 0 || !deadline) return { ok: false, errors };
  return { ok: true, value: { institutionIds: targets.map((request) => request.institutionId), deadline } };
}

/** What a checked acceptance does: one institution may answer after the close, until `until`. */
export interface LateAcceptance {
  institutionId: string;
  until: Date;
}

/**
 * Checks accepting a late answer: a round that has closed (before that, the deadline is extended instead), one
 * institution of the plan that was asked and has not answered, and a date from today to `MAX_LATE_ANSWER_DAYS` on.
 */
export function checkLateAcceptance(input: {
  plan: Plan;
  round: Round;
  requests: readonly RoundRequest[];
  form: Record<string, string>;
  now: Date;
}): { ok: true; value: LateAcceptance } | { ok: false; errors: FieldError[] } {
  const { plan, round, form, now } = input;
  if (!isRoundClosed(round, now))
    return {
      ok: false,
      errors: [
        {
          path: "until",
          ja: "この照会はまだ回答を受け付けています。回答期限の延長をお使いください",
          en: "The round still takes answers: extend the deadline instead",
        },
      ],
    };
  const errors: FieldError[] = [];
  if (form.institution === ALL_UNANSWERED)
    errors.push({
      path: "institution",
      ja: "機関：締切後の回答は1機関ずつ受け付けます。機関を選んでください",
      en: "Institution: late answers are accepted one institution at a time",
    });
  const [target] = form.institution === ALL_UNANSWERED ? [] : unansweredTargets(input, errors);
  const until = dateAtDeadlineHour(plan, form.until);
  const latest = now.getTime() + MAX_LATE_ANSWER_DAYS * 24 * 60 * 60 * 1000;
  if (!until) errors.push({ path: "until", ja: "受付期限：日付を入力してください", en: "Accept until: enter a date" });
  else if (until.getTime() <= now.getTime() || until.getTime() > latest)
    errors.push({
      path: "until",
      ja: `受付期限：今日より後、${MAX_LATE_ANSWER_DAYS}日以内の日付を入力してください`,
      en: `Accept until: enter a date after today and within ${MAX_LATE_ANSWER_DAYS} days`,
    });
  if (errors.length > 0 || !until || !target) return { ok: false, errors };
  return { ok: true, value: { institutionId: target.institutionId, until } };
}

/** The requests an action names: one institution's, or every unanswered one's; errors name what cannot be acted on. */
function unansweredTargets(
  input: { plan: Plan; requests: readonly RoundRequest[]; form: Record<string, string> },
  errors: FieldError[],
): RoundRequest[] {
  const { plan, requests, form } = input;
  const waiting = requests.filter((request) => request.emailedAt && request.status !== "answered");
  if (form.institution === ALL_UNANSWERED || form.institution === undefined) {
    if (waiting.length === 0)
      errors.push({
        path: "institution",
        ja: "機関：回答を待っている機関はありません",
        en: "Institution: no institution is waiting to answer",
      });
    return waiting;
  }
  const institution = plan.institutions.find((candidate) => candidate.id === form.institution);
  const request = waiting.find((candidate) => candidate.institutionId === form.institution);
  if (!institution || !request) {
    errors.push({
      path: "institution",
      ja: institution
        ? `機関：${institution.name}は回答済みか、まだ照会していません`
        : "機関：この計画の機関を選んでください",
      en: institution
        ? "Institution: it has answered already, or has not been asked"
        : "Institution: choose an institution of the plan",
    });
    return [];
  }
  return [request];
}
