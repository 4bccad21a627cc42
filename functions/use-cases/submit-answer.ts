import { decideAnswer, reportHash } from "../../domain/answer.ts";
import { ConflictError, NotFoundError, RoundClosedError } from "../../domain/errors.ts";
import type { QuarterlyReport } from "../../domain/form.ts";
import { roundId } from "../../domain/keys.ts";
import { type RoundRequest, receiptNumber } from "../../domain/round.ts";
import type { Table } from "../adapters/table/index.ts";
import { type SubmissionChannel, SubmissionKeyUsedError } from "../adapters/table/submissions.ts";
import { logger } from "../middleware.ts";

/** What the person who answered is shown: the version their answer is stored as, and its receipt number. */
export interface AnswerReceipt {
  version: number;
  submittedAt: Date;
  receiptNumber: string;
  /** False when nothing new was stored: this post, or this very answer, was stored before. */
  stored: boolean;
}

/** What storing an answer needs; `now` and `newId` are passed in so that tests and retries control them. */
export interface SubmitAnswerDependencies {
  table: Pick<Table, "requests" | "rounds" | "submissions" | "knownCases">;
  now?: () => Date;
  newId: () => string;
}

/** One answer to store, from whichever channel it came (web form, spreadsheet, email). */
export interface AnswerToStore {
  request: Pick<RoundRequest, "planId" | "fiscalYear" | "quarter" | "institutionId">;
  report: QuarterlyReport;
  channel: SubmissionChannel;
  /** The key rendered into the form this answer was posted from; the same key stores at most one version. */
  submissionKey?: string;
  actor: string;
}

/** A concurrent writer can win a few times in a row only under a storm of posts; past that the person retries. */
const MAX_ATTEMPTS = 5;

/**
 * Stores one institution's answer, whatever channel it came through.
 * 1. Read what is stored: the request, the round, the latest answer, and what this form's key stored before.
 * 2. Let the domain decide (domain/answer.ts): already stored → the same receipt; round closed → refused;
 *    otherwise the next version, first answer or correction, on time or late.
 * 3. Store it in one conditional transaction. If another writer won (a concurrent correction, the same form
 *    posted twice at once), read again and decide again, with the clock read again so versions keep their order.
 * 4. A follow-up that must not turn a stored answer into an error: remember its cases for the next prefill. Nothing
 *    waits for the answer: the round reads the table when it wakes (workflows/quarterly-collection.ts).
 */
export class SubmitAnswer {
  private readonly now: () => Date;

  constructor(private readonly dependencies: SubmitAnswerDependencies) {
    this.now = dependencies.now ?? (() => new Date());
  }

  /** Stores the answer (or finds it stored) and returns its receipt; RoundClosedError when the round is closed. */
  async submit(answer: AnswerToStore): Promise<AnswerReceipt> {
    const { planId, fiscalYear, quarter, institutionId } = answer.request;
    const { table } = this.dependencies;
    const receipt = (version: number, submittedAt: string, stored: boolean): AnswerReceipt => ({
      version,
      submittedAt: new Date(submittedAt),
      receiptNumber: receiptNumber(fiscalYear, quarter, institutionId, version),
      stored,
    });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      const [request, round, latest, sameKey] = await Promise.all([
        table.requests.findRequest(planId, fiscalYear, quarter, institutionId),
        table.rounds.findRound(planId, fiscalYear, quarter),
        table.submissions.findLatestSubmission(planId, fiscalYear, quarter, institutionId),
        answer.submissionKey
          ? table.submissions.findSubmissionKey(planId, fiscalYear, quarter, institutionId, answer.submissionKey)
          : undefined,
      ]);
      if (!request) throw new NotFoundError(`Request ${roundId(planId, fiscalYear, quarter)}/${institutionId}`);
      if (!round) throw new RoundClosedError(roundId(planId, fiscalYear, quarter));
      const decision = decideAnswer({ request, round, latest, sameKey }, answer.report, now);
      if (decision.kind === "already-stored") return receipt(decision.version, decision.submittedAt, false);
      if (decision.kind === "round-closed") throw new RoundClosedError(roundId(planId, fiscalYear, quarter));
      const submittedAt = now.toISOString();
      try {
        await table.submissions.storeSubmission({
          submission: {
            planId,
            fiscalYear,
            quarter,
            institutionId,
            version: decision.version,
            submittedAt,
            channel: answer.channel,
            report: answer.report,
          },
          previousVersion: decision.previousVersion,
          answeredOnTime: decision.answeredOnTime,
          firstAnswer: decision.firstAnswer,
          acceptedLate: decision.acceptedLate,
          submissionKey: decision.claimKey ? answer.submissionKey : undefined,
          reportHash: reportHash(answer.report),
          auditId: this.dependencies.newId(),
          actor: answer.actor,
        });
      } catch (error) {
        // Another writer won: read what it stored and decide again (the same key then finds its version).
        if (error instanceof SubmissionKeyUsedError || error instanceof ConflictError) continue;
        throw error;
      }
      await this.followUp(answer, submittedAt);
      logger.info("submission stored", { institutionId, version: decision.version, firstAnswer: decision.firstAnswer });
      return receipt(decision.version, submittedAt, true);
    }
    throw new ConflictError(`Answer of ${institutionId} kept losing to concurrent writers`);
  }

  /**
   * The answer is stored: what follows must not turn its receipt into an error. A failed prefill update is logged as
   * an error (the alarms count it) and made good when the round closes (RememberRoundCases).
   */
  private async followUp(answer: AnswerToStore, submittedAt: string): Promise<void> {
    const { planId, fiscalYear, quarter, institutionId } = answer.request;
    try {
      await this.dependencies.table.knownCases.rememberCases(planId, institutionId, answer.report.cases, {
        fiscalYear,
        quarter,
        submittedAt,
      });
    } catch (error) {
      logger.error("answer stored; follow-up step failed", { error: error as Error, institutionId });
    }
  }
}
