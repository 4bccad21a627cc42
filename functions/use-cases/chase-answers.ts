import type { ChaseKind } from "../../domain/chase.ts";
import { NotFoundError, RoundClosedError } from "../../domain/errors.ts";
import { roundId } from "../../domain/keys.ts";
import type { FormLinkSubject } from "../../domain/link-token.ts";
import { type MailAttachment, type MailMessage, requestTags } from "../../domain/mail.ts";
import type { Institution, Plan } from "../../domain/plan.ts";
import { escalationMail, overdueNoticeMail, reminderMail } from "../../domain/reminder-mail.ts";
import { deadlineOf, type RoundRequest } from "../../domain/round.ts";
import type { WorkbookRequest } from "../adapters/answer-workbooks.ts";
import type { Mailer } from "../adapters/mailer.ts";
import type { Table } from "../adapters/table/index.ts";
import type { StoredRequest } from "../adapters/table/requests.ts";
import { logger } from "../middleware.ts";

/** A round as the chasing reads it. */
export interface RoundToChase {
  planId: string;
  fiscalYear: number;
  quarter: 1 | 2 | 3 | 4;
  deadline: string;
  closesAt: string;
}

/** What chasing needs: the table, the mailer, and the personal link of a request (derived, never stored). */
export interface ChaseDependencies {
  table: Pick<Table, "plans" | "rounds" | "requests" | "reminders">;
  mailer: Pick<Mailer, "send">;
  formUrl(subject: FormLinkSubject): Promise<string>;
  /** The request's reply address (bound before the mail goes), for the Reply-To. @default replies go to the secretariat */
  replyAddress?(subject: RoundRequest): Promise<string>;
  /** The files a reminder or overdue notice carries (the quarter's answer workbook). @default none */
  attachments?(request: WorkbookRequest): Promise<MailAttachment[]>;
}

/** What happened to one institution when the secretariat asked for a reminder now. */
export interface ManualReminderOutcome {
  institutionId: string;
  outcome: "sent" | "answered" | "not-asked" | "too-soon" | "undeliverable";
  /** With `too-soon`: when the last reminder by hand went out. */
  lastSentAt?: string;
}

/** One mail to one institution at one moment: which record claims it and how the audit trail names it. */
interface ChaseMail {
  momentId: string;
  kind: ChaseKind;
  message: MailMessage;
  actor: string;
}

/**
 * Chases the institutions of a round that have not answered: the scheduled reminders, overdue notices and
 * escalations of the round's moments, and the secretariat's reminders by hand. Every mail is claimed in the table
 * before it goes (domain/keys.ts `reminder`), so no moment mails an institution twice, whatever is retried.
 */
export class ChaseAnswers {
  constructor(private readonly dependencies: ChaseDependencies) {}

  /**
   * Acts on the given institutions at one of the round's moments, `now`:
   * 1. Skip every institution that answered (read consistently: an answer stored a moment ago counts).
   * 2. At the deadline, mark each other request overdue (an answer landing meanwhile keeps its status).
   * 3. At a reminder or overdue notice, mail each other institution its personal link again; at the escalation,
   *    mail its escalation contacts with the secretariat in copy. Each mail is claimed first (at most once).
   */
  async actOnMoment(
    round: RoundToChase,
    moment: { id: string; kind: string },
    institutions: readonly Institution[],
    now: Date,
  ): Promise<{ marked: number; mailed: number }> {
    const { table } = this.dependencies;
    const plan = await table.plans.getPlan(round.planId);
    const requests = new Map(
      (await table.requests.listRequests(round.planId, round.fiscalYear, round.quarter)).map((request) => [
        request.institutionId,
        request,
      ]),
    );
    let marked = 0;
    let mailed = 0;
    for (const institution of institutions) {
      const request = requests.get(institution.id);
      // Never asked (its request failed to send): a reminder would carry a link it never had.
      if (!request?.emailedAt || request.status === "answered") continue;
      // The secretariat extended this institution's deadline past now: it is not late yet, so neither marked nor
      // chased as late (a reminder before its deadline still goes, with its own deadline in it).
      if (moment.kind !== "reminder" && deadlineOf(request, round).getTime() > now.getTime()) continue;
      if (moment.kind === "deadline") {
        if (await table.requests.markOverdue(request)) marked++;
        continue;
      }
      const kind = moment.kind as ChaseKind;
      const message =
        kind === "escalation"
          ? {
              ...escalationMail(this.mailInput(plan, institution, round, request)),
              tags: requestTags(request),
            }
          : await this.linkMail(plan, institution, round, request, kind === "overdue-notice");
      const sent = await this.send(request, { momentId: moment.id, kind, message, actor: "system" }, now);
      if (sent === "sent") mailed++;
    }
    logger.info("moment acted on", {
      round: roundId(round.planId, round.fiscalYear, round.quarter),
      moment,
      marked,
      mailed,
    });
    return { marked, mailed };
  }

  /**
   * Sends a reminder now, by hand, to one institution or to every one that has not answered; each institution at
   * most once an hour (a conditional record on its request). Before the deadline it is a reminder, after it an
   * overdue notice; either way with the same personal link.
   */
  async remindNow(
    ref: { planId: string; fiscalYear: number; quarter: 1 | 2 | 3 | 4; institutionId?: string },
    actor: string,
    now: Date,
  ): Promise<ManualReminderOutcome[]> {
    const { table } = this.dependencies;
    const plan = await table.plans.getPlan(ref.planId);
    const round = await table.rounds.findRound(ref.planId, ref.fiscalYear, ref.quarter);
    const id = roundId(ref.planId, ref.fiscalYear, ref.quarter);
    if (!round) throw new NotFoundError(`Round ${id}`);
    if (round.status !== "open") throw new RoundClosedError(id);
    const targets = ref.institutionId
      ? plan.institutions.filter((institution) => institution.id === ref.institutionId)
      : plan.institutions;
    if (ref.institutionId && targets.length === 0) throw new NotFoundError(`Institution ${ref.institutionId}`);
    const outcomes: ManualReminderOutcome[] = [];
    for (const institution of targets) {
      const request = await table.requests.findRequest(ref.planId, ref.fiscalYear, ref.quarter, institution.id);
      if (!request?.emailedAt) outcomes.push({ institutionId: institution.id, outcome: "not-asked" });
      else if (request.status === "answered") outcomes.push({ institutionId: institution.id, outcome: "answered" });
      else if (!(await table.requests.takeManualReminder(request, now)))
        outcomes.push({ institutionId: institution.id, outcome: "too-soon", lastSentAt: request.lastManualReminderAt });
      else {
        const overdue = now.getTime() > deadlineOf(request, round).getTime();
        const message = await this.linkMail(plan, institution, round as RoundToChase, request, overdue);
        const mail = { momentId: `manual-${now.toISOString()}`, kind: "manual-reminder" as const, message, actor };
        const sent = await this.send(request, mail, now);
        outcomes.push({ institutionId: institution.id, outcome: sent === "sent" ? "sent" : "undeliverable" });
      }
    }
    return outcomes;
  }

  private mailInput(plan: Plan, institution: Institution, round: RoundToChase, request: RoundRequest) {
    return {
      plan,
      institution,
      fiscalYear: round.fiscalYear,
      quarter: round.quarter,
      // The institution's own deadline, when the secretariat extended it.
      deadline: deadlineOf(request, round),
      closesAt: new Date(round.closesAt),
    };
  }

  /** A reminder or an overdue notice, with the request's own personal link (derived again, the same every time). */
  private async linkMail(
    plan: Plan,
    institution: Institution,
    round: RoundToChase,
    request: RoundRequest,
    overdue: boolean,
  ): Promise<MailMessage> {
    const formUrl = await this.dependencies.formUrl(request);
    const replyAddress = await this.dependencies.replyAddress?.(request);
    const input = { ...this.mailInput(plan, institution, round, request), formUrl, replyAddress };
    const attachments = await this.dependencies.attachments?.(input);
    return { ...(overdue ? overdueNoticeMail(input) : reminderMail(input)), tags: requestTags(request), attachments };
  }

  /**
   * Claims the mail, sends it to every address not known to bounce, and records it sent with its audit entry. A
   * send SES refuses releases the claim and fails the call, so the workflow's retry sends it (and nothing else
   * twice); a claim found taken sends nothing.
   */
  private async send(
    request: StoredRequest,
    mail: ChaseMail,
    now: Date,
  ): Promise<"sent" | "claimed" | "undeliverable"> {
    const { reminders } = this.dependencies.table;
    const ref = { ...request, momentId: mail.momentId };
    const claimed = await reminders.claim({
      planId: request.planId,
      fiscalYear: request.fiscalYear,
      quarter: request.quarter,
      institutionId: request.institutionId,
      momentId: mail.momentId,
      kind: mail.kind,
      claimedAt: now.toISOString(),
      recipients: mail.message.to,
      ...(mail.message.cc?.length ? { cc: mail.message.cc } : {}),
    });
    if (!claimed) return "claimed";
    let messageId: string | undefined;
    try {
      messageId = await this.dependencies.mailer.send(mail.message, { skip: request.undeliverable });
    } catch (error) {
      await reminders.markFailed(ref, (error as Error).message);
      throw error;
    }
    if (messageId === undefined) {
      await reminders.markFailed(ref, "every address is undeliverable");
      return "undeliverable";
    }
    await reminders.markSent(ref, now, {
      id: `${mail.momentId}-${request.institutionId}`,
      actor: mail.actor,
      action: mail.kind,
    });
    return "sent";
  }
}
