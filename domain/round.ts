import type { FiscalYear, Quarter } from "./calendar.ts";
// Types only: the business-day tables stay out of every function that reads a round (domain/round-schedule.ts).
import type { RoundClock } from "./round-schedule.ts";

/** 照会: one quarter's collection round of a plan. */
export interface Round {
  planId: string;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  status: "open" | "closed";
  deadline: string;
  /** When the round stops taking late answers and closes; missing on rounds opened before late answers existed. */
  closesAt?: string;
  openedAt: string;
  closedAt?: string;
  completeness?: Completeness;
  /** When the secretariat's summary went out; absent until it did, so a retried close still sends it. */
  summarySentAt?: string;
  /** A round tried out on a compressed clock; absent on a real round (domain/round-schedule.ts). */
  clock?: RoundClock;
}

/** Where one institution's request of a round stands. `overdue` may still become `answered` (late) until close. */
export type RequestStatus = "pending" | "sent" | "answered" | "overdue";

/** How a request's status reads on the status page and in the CLI. */
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  pending: "準備中",
  sent: "回答待ち",
  answered: "回答済み",
  overdue: "期限超過",
};

/**
 * Where a request stands, in the words the secretariat reads: 「回答済み（報告事項なし・期限後）」 says the answer
 * came late and had nothing to report, which is not the same as no answer at all.
 */
export function describeRequest(
  request: Pick<RoundRequest, "status" | "answeredOnTime" | "nothingToReport"> | undefined,
): string {
  if (!request) return "—";
  const label = REQUEST_STATUS_LABELS[request.status];
  if (request.status !== "answered") return label;
  const notes = [
    ...(request.nothingToReport ? ["報告事項なし"] : []),
    ...(request.answeredOnTime === false ? ["期限後"] : []),
  ];
  return notes.length ? `${label}（${notes.join("・")}）` : label;
}

/** 照会 to one institution within a round. */
export interface RoundRequest {
  planId: string;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  institutionId: string;
  status: RequestStatus;
  deadline: string;
  emailedAt?: string;
  answeredAt?: string;
  answeredOnTime?: boolean;
  latestVersion?: number;
  /** The latest answer said 報告事項なし: answered, with nothing to report this quarter. */
  nothingToReport?: boolean;
  /** Addresses that bounced or complained this round: no more mail goes to them in it. */
  undeliverable?: string[];
  /** The secretariat accepted this institution's answer after the round closed, until this instant. */
  lateAnswerUntil?: string;
}

/** The deadline one institution answers against: its own when the secretariat extended it, else the round's. */
export function deadlineOf(request: Pick<RoundRequest, "deadline">, round: Pick<Round, "deadline">): Date {
  return new Date(Math.max(Date.parse(request.deadline), Date.parse(round.deadline)));
}

/** Whether a round takes no more answers at `now`: closed, or past its closing time (the close may be on its way). */
export function isRoundClosed(round: Pick<Round, "status" | "closesAt">, now: Date): boolean {
  return round.status !== "open" || (round.closesAt !== undefined && now.getTime() > Date.parse(round.closesAt));
}

/** Whether the secretariat's acceptance of a late answer lets this institution answer a closed round at `now`. */
export function lateAnswerAccepted(request: Pick<RoundRequest, "lateAnswerUntil">, now: Date): boolean {
  return request.lateAnswerUntil !== undefined && now.getTime() <= Date.parse(request.lateAnswerUntil);
}

/** How complete a round's answers are: answered / expected and on time / expected. */
export interface Completeness {
  expected: number;
  answered: number;
  onTime: number;
  late: number;
  missing: string[];
  /** Institutions whose answer was 報告事項なし (answered, and counted as answered). */
  nothingToReport: string[];
  answeredRate: number;
  onTimeRate: number;
}

/** Whole seconds from `now` to `deadline`, at least 1 (Step Functions' smallest task timeout). */
export function secondsUntil(deadline: Date, now: Date): number {
  return Math.max(1, Math.ceil((deadline.getTime() - now.getTime()) / 1000));
}

/** Whether an answer given at `at` is on time for `deadline`. */
export function isOnTime(at: Date, deadline: Date): boolean {
  return at.getTime() <= deadline.getTime();
}

/** Completeness of a round from its requests; institutions with no request at all count as missing. */
export function completenessOf(institutionIds: readonly string[], requests: readonly RoundRequest[]): Completeness {
  const byInstitution = new Map(requests.map((request) => [request.institutionId, request]));
  let answered = 0;
  let onTime = 0;
  const missing: string[] = [];
  const nothingToReport: string[] = [];
  for (const institutionId of institutionIds) {
    const request = byInstitution.get(institutionId);
    if (request?.status === "answered") {
      answered++;
      if (request.answeredOnTime) onTime++;
      if (request.nothingToReport) nothingToReport.push(institutionId);
    } else missing.push(institutionId);
  }
  const expected = institutionIds.length;
  return {
    expected,
    answered,
    onTime,
    late: answered - onTime,
    missing,
    nothingToReport,
    answeredRate: expected === 0 ? 0 : answered / expected,
    onTimeRate: expected === 0 ? 0 : onTime / expected,
  };
}

/** A receipt number a person can quote on the phone: round, institution and version, e.g. "2019Q1-hro-002". */
export function receiptNumber(
  fiscalYear: FiscalYear,
  quarter: Quarter,
  institutionId: string,
  version: number,
): string {
  return `${fiscalYear}Q${quarter}-${institutionId}-${String(version).padStart(3, "0")}`;
}
