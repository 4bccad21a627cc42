import type { Quarter } from "../../domain/calendar.ts";
import { RoundClosedError } from "../../domain/errors.ts";
import type { QuarterlyReport } from "../../domain/form.ts";
import {
  decideSender,
  isAutomatedMessage,
  type QuarantineReason,
  type SesReceiptEvent,
  singleAddress,
} from "../../domain/inbound/inbound-mail.ts";
import { replyAddress, replyTokenIn } from "../../domain/inbound/reply-address.ts";
import {
  type AnswerFileError,
  quarantineNoticeMail,
  type ReplyContext,
  replyFileErrorsMail,
  replyNoAttachmentMail,
  replyReceiptMail,
  replyRoundClosedMail,
} from "../../domain/inbound/reply-mail.ts";
import { hashLinkToken } from "../../domain/link-token.ts";
import type { MailMessage } from "../../domain/mail.ts";
import type { Institution, Plan } from "../../domain/plan.ts";
import { isRoundClosed, lateAnswerAccepted } from "../../domain/round.ts";
import type { InboundRecord, InboundStore } from "../adapters/table/inbound.ts";
import type { Table } from "../adapters/table/index.ts";
import { logger } from "../middleware.ts";
import type { SubmitAnswer } from "./submit-answer.ts";

/** One attachment of a received message. */
export interface ReceivedFile {
  fileName: string;
  contentType?: string;
  bytes: Uint8Array;
}

/** A received message as the parser gives it: the headers named in lower case, the From addresses, the attachments. */
export interface ParsedMessage {
  headers: ReadonlyMap<string, string>;
  from: string[];
  subject: string;
  attachments: ReceivedFile[];
}

/** The workbook/CSV reader (domain/answer-file/read.ts): the answer, or every error with where it is. */
export type ReadAnswerFile = (
  file: ReceivedFile,
  form: { plan: Plan; institution: Institution; fiscalYear: number; quarter: Quarter },
) => Promise<{ ok: true; answer: QuarterlyReport } | { ok: false; errors: AnswerFileError[] }>;

/** What receiving a reply needs; everything that talks to AWS comes in here, so tests use the real engines. */
export interface ReceiveReplyDependencies {
  table: Pick<Table, "plans" | "rounds" | "requests">;
  inbound: InboundStore;
  submitAnswer: Pick<SubmitAnswer, "submit">;
  readAnswerFile: ReadAnswerFile;
  /** The raw message the receipt rule stored, parsed (mailparser), and where it is kept (`s3://bucket/key`). */
  loadMessage(messageId: string): Promise<{ message: ParsedMessage; storedAt: string }>;
  mailer: { send(message: MailMessage): Promise<string | undefined> };
  formUrl(subject: { planId: string; fiscalYear: number; quarter: Quarter; institutionId: string }): Promise<string>;
  inboundDomain: string;
  /** Only the local stack: a reply whose SPF and DKIM nobody checked (DISABLED) is read. */
  acceptUnchecked: boolean;
  now?: () => Date;
}

/** At most this many mails a request's replies make the platform write in an hour; past it, replies go unanswered. */
export const MAX_REPLIES_PER_HOUR = 10;

/** The file extensions read as an answer; anything else attached (a signature image, a PDF) is not an answer. */
const ANSWER_FILE = /\.(xlsx|xlsm|xls|csv)$/i;

/** What became of one received message. */
export type ReplyOutcome = InboundRecord["outcome"] | "unknown-address" | "duplicate";

/**
 * Reads one reply to a request mail, received by SES (or the local SMTP listener) and stored raw:
 * 1. Find the request from the reply token in the recipient address; an address no request has is only logged
 *    (nobody to tell, and answering would write to whoever forged the sender).
 * 2. Claim the message by its id, so a retried call neither stores nor mails twice.
 * 3. Never answer a machine: auto-replies, bounces and list mail are recorded and left.
 * 4. The sender must be a contact of the institution, vouched for by SPF and DKIM (domain/inbound/inbound-mail.ts);
 *    otherwise the message is quarantined: kept, nothing stored, the secretariat told why, the sender not answered.
 * 5. A closed round is refused politely; no workbook or CSV attached gets how to answer and the form link.
 * 6. The file is read by the same reader as an upload; errors go back with where they are; a valid answer is stored by
 *    the same use case as the web form (versions, receipts), under the message id as its key, and the receipt goes
 *    back to the sender. Every mail written back counts against the request's hourly limit.
 */
export class ReceiveReply {
  private readonly now: () => Date;

  constructor(private readonly dependencies: ReceiveReplyDependencies) {
    this.now = dependencies.now ?? (() => new Date());
  }

  /** Handles one record of SES's receipt event. */
  async receive(record: SesReceiptEvent["Records"][number]): Promise<ReplyOutcome> {
    const { mail, receipt } = record.ses;
    const { table, inbound } = this.dependencies;
    const token = replyTokenIn(receipt.recipients, this.dependencies.inboundDomain);
    const subject = token ? await inbound.findReplyAddress(hashLinkToken(token)) : undefined;
    if (!token || !subject) {
      logger.warn("reply to an address no request has", { messageId: mail.messageId });
      return "unknown-address";
    }
    const { message, storedAt } = await this.dependencies.loadMessage(mail.messageId);
    const from = singleAddress(message.from);
    const receivedAt = this.now();
    const claim: InboundRecord = {
      messageId: mail.messageId,
      receivedAt: receivedAt.toISOString(),
      storedAt,
      outcome: "received",
      ...(from ? { from } : {}),
    };
    if (!(await inbound.claimMessage(subject, claim))) {
      const earlier = await inbound.findMessage(subject.planId, subject.fiscalYear, mail.messageId);
      // A call that died half-way left the claim as "received": take it up again (storing is idempotent, by key).
      if (earlier?.outcome !== "received") return "duplicate";
    }
    const done = async (outcome: InboundRecord["outcome"], extra: { reason?: string; version?: number } = {}) => {
      await inbound.recordOutcome(subject, mail.messageId, { outcome, ...extra });
      return outcome;
    };

    if (isAutomatedMessage(message.headers, mail.source)) return done("automated", { reason: "auto-submitted" });

    const plan = await table.plans.getPlan(subject.planId);
    const institution = plan.institutions.find((candidate) => candidate.id === subject.institutionId);
    if (!institution) return done("quarantined", { reason: "institution-left-plan" });
    const decision = decideSender({
      from,
      envelopeSender: mail.source,
      institution,
      spf: receipt.spfVerdict.status,
      dkim: receipt.dkimVerdict.status,
      acceptUnchecked: this.dependencies.acceptUnchecked,
    });
    if (decision.kind === "quarantine") {
      await this.quarantine(plan, institution, subject, decision.reason, {
        from: message.from.join(", ") || mail.source,
        subject: message.subject,
        receivedAt,
        storedAt,
      });
      return done("quarantined", { reason: decision.reason });
    }

    const context: ReplyContext = {
      plan,
      institution,
      fiscalYear: subject.fiscalYear,
      quarter: subject.quarter,
      sender: from as string,
      replyAddress: replyAddress(token, this.dependencies.inboundDomain),
    };
    const [round, request] = await Promise.all([
      table.rounds.findRound(subject.planId, subject.fiscalYear, subject.quarter),
      table.requests.findRequest(subject.planId, subject.fiscalYear, subject.quarter, subject.institutionId),
    ]);
    // A late answer the secretariat accepted after the close is taken by mail as on the web, while that runs.
    const closed =
      (!round || isRoundClosed(round, receivedAt)) && !(request && lateAnswerAccepted(request, receivedAt));
    if (closed) {
      await this.reply(subject, replyRoundClosedMail(context));
      return done("round-closed");
    }
    const file = message.attachments.find((attachment) => ANSWER_FILE.test(attachment.fileName));
    const formUrl = () => this.dependencies.formUrl(subject);
    if (!file) {
      await this.reply(subject, replyNoAttachmentMail(context, { formUrl: await formUrl() }));
      return done("no-attachment");
    }
    const read = await this.dependencies.readAnswerFile(file, {
      plan,
      institution,
      fiscalYear: subject.fiscalYear,
      quarter: subject.quarter,
    });
    if (!read.ok) {
      await this.reply(
        subject,
        replyFileErrorsMail(context, { fileName: file.fileName, errors: read.errors, formUrl: await formUrl() }),
      );
      return done("file-errors");
    }
    try {
      const receipt = await this.dependencies.submitAnswer.submit({
        request: subject,
        report: read.answer,
        channel: "email",
        submissionKey: `mail-${mail.messageId}`,
        actor: `institution:${institution.id}`,
      });
      await this.reply(
        subject,
        replyReceiptMail(context, {
          receiptNumber: receipt.receiptNumber,
          version: receipt.version,
          submittedAt: receipt.submittedAt,
          fileName: file.fileName,
          report: read.answer,
          stored: receipt.stored,
          verdictsChecked: decision.verdictsChecked,
        }),
      );
      return done(receipt.stored ? "stored" : "already-stored", { version: receipt.version });
    } catch (error) {
      if (!(error instanceof RoundClosedError)) throw error;
      await this.reply(subject, replyRoundClosedMail(context));
      return done("round-closed");
    }
  }

  private async quarantine(
    plan: Plan,
    institution: Institution,
    subject: { planId: string; fiscalYear: number; quarter: Quarter; institutionId: string },
    reason: QuarantineReason,
    about: { from: string; subject: string; receivedAt: Date; storedAt: string },
  ): Promise<void> {
    logger.warn("reply quarantined", { institutionId: institution.id, reason, storedAt: about.storedAt });
    await this.reply(
      subject,
      quarantineNoticeMail({
        plan,
        institution,
        fiscalYear: subject.fiscalYear,
        quarter: subject.quarter,
        reason,
        ...about,
      }),
    );
  }

  /** Sends one mail about a request's replies, unless the request wrote back too often this hour (a mail loop). */
  private async reply(
    subject: { planId: string; fiscalYear: number; quarter: Quarter; institutionId: string },
    message: MailMessage,
  ): Promise<void> {
    const count = await this.dependencies.inbound.countReply(subject, this.now());
    if (count > MAX_REPLIES_PER_HOUR) {
      logger.warn("reply limit reached; not answering", { institutionId: subject.institutionId, count });
      return;
    }
    await this.dependencies.mailer.send(message);
  }
}
