import { createHash } from "node:crypto";
import type { QuarterlyReport } from "./form.ts";
import { deadlineOf, isOnTime, isRoundClosed, lateAnswerAccepted, type Round, type RoundRequest } from "./round.ts";

/** What the table holds of an institution's answer to a round when a new answer arrives. */
export interface StoredAnswerState {
  request: Pick<RoundRequest, "status" | "latestVersion" | "deadline" | "lateAnswerUntil">;
  round: Pick<Round, "status" | "deadline" | "closesAt">;
  latest?: { version: number; submittedAt: string; report: QuarterlyReport };
  /** The version an earlier post of the same form (same submission key) stored, if it did, and what it said. */
  sameKey?: { version: number; submittedAt: string; reportHash?: string };
}

/** What to do with a valid answer. */
export type AnswerDecision =
  /** Nothing to store: this post, or this very answer, is stored already; its receipt is shown again. */
  | { kind: "already-stored"; version: number; submittedAt: string }
  /** The round no longer takes answers. */
  | { kind: "round-closed" }
  /**
   * Store it as `version`: the first answer of the round, or a correction of `previousVersion`. `claimKey` is false
   * when the form's key already stored a different answer (the form came back from the browser's history and was
   * changed): the key stays with its first answer, and this one is stored as a post of its own.
   */
  | {
      kind: "store";
      version: number;
      previousVersion: number;
      firstAnswer: boolean;
      answeredOnTime: boolean;
      claimKey: boolean;
      /** The round is closed and the secretariat accepted this institution's answer after it. */
      acceptedLate: boolean;
    };

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** Whether two answers say the same thing, whatever order their keys came back from storage in. */
export function sameReport(a: QuarterlyReport, b: QuarterlyReport): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** A short fingerprint of what an answer says (its canonical form, hashed), kept with the form's key it stored. */
export function reportHash(report: QuarterlyReport): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(report)), "utf8")
    .digest("base64url");
}

/**
 * Decides what a valid answer becomes, from what is stored.
 * - A post whose form stored this very answer already (a double click, a reload, a retried request, a delayed
 *   duplicate arriving after a later correction) is that version: it must not undo the correction.
 * - A post of a form whose key stored a different answer (the page came back from the browser's history and was
 *   changed before sending) is a new post: nothing typed is lost.
 * - The same answer as the latest one is that version too: a correction that changes nothing is not a correction.
 * - After the round closed, or once its closing time has passed (the close may still be on its way), nothing, unless
 *   the secretariat accepted this institution's answer after the close and that acceptance still runs.
 * - Otherwise the next version: the first answer of the round (on time or late against the deadline) or a
 *   correction, which keeps the first answer's timing. On time is against the institution's own deadline when the
 *   secretariat extended it.
 */
export function decideAnswer(state: StoredAnswerState, report: QuarterlyReport, now: Date): AnswerDecision {
  const hash = reportHash(report);
  // A key claimed before fingerprints were kept has none: its post is taken to be this one, as it was then.
  const keyStoredThis = state.sameKey && (state.sameKey.reportHash === undefined || state.sameKey.reportHash === hash);
  if (state.sameKey && keyStoredThis)
    return { kind: "already-stored", version: state.sameKey.version, submittedAt: state.sameKey.submittedAt };
  const { round, latest } = state;
  const closed = isRoundClosed(round, now);
  const acceptedLate = closed && lateAnswerAccepted(state.request, now);
  if (closed && !acceptedLate) return { kind: "round-closed" };
  if (latest && sameReport(latest.report, report))
    return { kind: "already-stored", version: latest.version, submittedAt: latest.submittedAt };
  const previousVersion = state.request.latestVersion ?? 0;
  return {
    kind: "store",
    version: previousVersion + 1,
    previousVersion,
    firstAnswer: state.request.status !== "answered",
    answeredOnTime: isOnTime(now, deadlineOf(state.request, round)),
    claimKey: !state.sameKey,
    acceptedLate,
  };
}
