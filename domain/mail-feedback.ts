import * as z from "zod/mini";

// The shapes below are SES's documented event publishing records ("Contents of event data that Amazon SES
// publishes to Amazon SNS": eventType, mail.tags, bounce.bouncedRecipients, complaint.complainedRecipients), as an
// SNS notification carries them in `Message`. No local engine bounces mail, so these shapes are what the handler is
// tested against (test/functions/record-mail-feedback.test.ts). Fields SES adds later are let through.

const recipients = z.array(z.looseObject({ emailAddress: z.string() }));

/** One SES event record as published to SNS through a configuration set. */
export const sesEventSchema = z.looseObject({
  eventType: z.string(),
  mail: z.looseObject({
    messageId: z.string(),
    timestamp: z.optional(z.string()),
    tags: z._default(z.record(z.string(), z.array(z.string())), {}),
  }),
  bounce: z.optional(
    z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: recipients,
    }),
  ),
  complaint: z.optional(
    z.looseObject({ complainedRecipients: recipients, complaintFeedbackType: z.optional(z.string()) }),
  ),
});
export type SesEvent = z.output<typeof sesEventSchema>;

/** The SNS event Lambda receives from the feedback topic. */
export const snsEventSchema = z.looseObject({
  Records: z.array(z.looseObject({ Sns: z.looseObject({ MessageId: z.string(), Message: z.string() }) })),
});

/** What a feedback event says about one request's addresses, or nothing to act on. */
export interface Undeliverable {
  request: { planId: string; fiscalYear: number; quarter: 1 | 2 | 3 | 4; institutionId: string };
  addresses: string[];
  reason: "bounce" | "complaint";
  detail: string;
}

/**
 * Reads a feedback event: a permanent bounce (the address does not exist or refuses mail) or a complaint makes its
 * addresses undeliverable for the round the mail's tags name. A transient bounce (a full mailbox, an auto-reply) is
 * not: SES retries those itself, and the next mail may well arrive. Mail without a request's tags (the secretariat's
 * summary, say) is not about a request.
 */
export function undeliverableOf(event: SesEvent): Undeliverable | undefined {
  const tag = (name: string) => event.mail.tags[name]?.[0];
  const quarter = Number(tag("quarter"));
  const fiscalYear = Number(tag("fiscal-year"));
  const planId = tag("plan");
  const institutionId = tag("institution");
  if (!planId || !institutionId || !Number.isInteger(fiscalYear) || ![1, 2, 3, 4].includes(quarter)) return undefined;
  const request = { planId, fiscalYear, quarter: quarter as 1 | 2 | 3 | 4, institutionId };
  if (event.eventType === "Bounce" && event.bounce?.bounceType === "Permanent")
    return {
      request,
      addresses: event.bounce.bouncedRecipients.map((recipient) => recipient.emailAddress),
      reason: "bounce",
      detail: `${event.bounce.bounceType}/${event.bounce.bounceSubType ?? ""}`,
    };
  if (event.eventType === "Complaint" && event.complaint)
    return {
      request,
      addresses: event.complaint.complainedRecipients.map((recipient) => recipient.emailAddress),
      reason: "complaint",
      detail: event.complaint.complaintFeedbackType ?? "",
    };
  return undefined;
}
