import * as z from "zod/mini";
import type { Institution } from "../plan.ts";

/**
 * A verdict of SES's checks on a received message, as its receipt event gives it. `DISABLED` is what SES reports for
 * a check it did not run; the local SMTP listener, which runs no SPF or DKIM check, reports that too.
 */
export const VERDICT_STATUSES = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

const verdictSchema = z.object({ status: z.enum(VERDICT_STATUSES) });
const headerSchema = z.object({ name: z.string(), value: z.string() });

/**
 * The event of an SES receipt rule's Lambda action (invocation type Event): one record per message, the headers and
 * the verdicts but not the body, which the rule's S3 action stored first under the object key prefix + messageId.
 * Only the fields the platform reads are named; the rest pass through.
 */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal("aws:ses"),
        ses: z.object({
          mail: z.object({
            messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/)),
            source: z.string(),
            timestamp: z.string(),
            destination: z.array(z.string()),
            headers: z._default(z.array(headerSchema), []),
          }),
          receipt: z.object({
            recipients: z.array(z.string()),
            spfVerdict: verdictSchema,
            dkimVerdict: verdictSchema,
            action: z.object({ type: z.literal("Lambda") }),
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});
export type SesReceiptEvent = z.output<typeof sesReceiptEventSchema>;

/** Why a reply is kept aside instead of being read as an answer; each said to the secretariat in both languages. */
export type QuarantineReason =
  | "not-a-contact"
  | "spf-failed"
  | "dkim-failed"
  | "unchecked"
  | "sender-mismatch"
  | "unknown-address";

export const QUARANTINE_REASONS: Record<QuarantineReason, { ja: string; en: string }> = {
  "not-a-contact": {
    ja: "差出人がこの機関の担当者として登録されたアドレスではありません",
    en: "The sender is not a registered contact address of this institution",
  },
  "spf-failed": {
    ja: "差出人のドメインの SPF 検証に合格していません（なりすましのおそれ）",
    en: "The sender's domain did not pass SPF (the mail may be forged)",
  },
  "dkim-failed": {
    ja: "DKIM 署名の検証に合格していません（なりすましまたは改ざんのおそれ）",
    en: "The message did not pass DKIM (it may be forged or altered)",
  },
  unchecked: {
    ja: "SPF・DKIM の検証結果がありません",
    en: "The message has no SPF or DKIM verdict",
  },
  "sender-mismatch": {
    ja: "封筒の差出人（Return-Path）のドメインがヘッダーの差出人（From）のドメインと一致しません",
    en: "The envelope sender's (Return-Path) domain is not the From address's domain",
  },
  "unknown-address": {
    ja: "宛先の返信用アドレスに対応する照会がありません",
    en: "No request has this reply address",
  },
};

/** What to do with a reply whose request is known. */
export type SenderDecision =
  | { kind: "accept"; verdictsChecked: boolean }
  | { kind: "quarantine"; reason: QuarantineReason };

/** The one address a message's From names, lower-cased; undefined when it names none or several. */
export function singleAddress(addresses: readonly string[]): string | undefined {
  if (addresses.length !== 1) return undefined;
  const address = addresses[0]?.trim().toLowerCase();
  return address && /^[^@\s]+@[^@\s]+$/.test(address) ? address : undefined;
}

/**
 * Whether a reply may be read as the institution's answer. The reply address names the request, but anybody can
 * write to it (a forwarded mail, a leaked address), so the sender must also be one of the institution's contacts,
 * and SES must vouch that the sender's domain sent it: SPF and DKIM both PASS. `DISABLED` (nobody checked: the local
 * listener) passes only where `acceptUnchecked` says so, which only the local stack sets; GRAY (no policy, no
 * signature) and PROCESSING_FAILED are not a pass. SPF vouches for the envelope sender's domain, so that domain
 * must be From's (or one under it, as bounce domains often are): a pass for one domain never vouches for another.
 */
export function decideSender(input: {
  from: string | undefined;
  envelopeSender: string;
  institution: Pick<Institution, "contacts">;
  spf: VerdictStatus;
  dkim: VerdictStatus;
  acceptUnchecked: boolean;
}): SenderDecision {
  const from = input.from;
  const contacts = new Set(input.institution.contacts.map((contact) => contact.email.toLowerCase()));
  if (!from || !contacts.has(from)) return { kind: "quarantine", reason: "not-a-contact" };
  const unchecked = input.spf === "DISABLED" && input.dkim === "DISABLED";
  if (unchecked)
    return input.acceptUnchecked
      ? { kind: "accept", verdictsChecked: false }
      : { kind: "quarantine", reason: "unchecked" };
  if (input.spf !== "PASS") return { kind: "quarantine", reason: "spf-failed" };
  if (input.dkim !== "PASS") return { kind: "quarantine", reason: "dkim-failed" };
  const fromDomain = from.slice(from.lastIndexOf("@") + 1);
  const envelope = input.envelopeSender.trim().toLowerCase().replace(/^<|>$/g, "");
  const envelopeDomain = envelope.slice(envelope.lastIndexOf("@") + 1);
  if (envelopeDomain !== fromDomain && !envelopeDomain.endsWith(`.${fromDomain}`))
    return { kind: "quarantine", reason: "sender-mismatch" };
  return { kind: "accept", verdictsChecked: true };
}

/**
 * Whether a message was written by a machine (an auto-reply, an out-of-office, a bounce, a list): such a message is
 * never answered, or two robots would write to each other for ever (RFC 3834). `headers` as name → value, names in
 * lower case.
 */
export function isAutomatedMessage(headers: ReadonlyMap<string, string>, envelopeSender: string): boolean {
  const autoSubmitted = headers.get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return true;
  const returnPath = headers.get("return-path")?.trim();
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return true;
  if (envelopeSender.trim() === "" || envelopeSender.trim() === "<>") return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(headers.get("precedence")?.trim() ?? "")) return true;
  if (headers.has("x-autoreply") || headers.has("x-autorespond") || headers.has("list-id")) return true;
  if (/^multipart\/report/i.test(headers.get("content-type")?.trim() ?? "")) return true;
  return /^(mailer-daemon|postmaster)@/i.test(envelopeSender.trim());
}
