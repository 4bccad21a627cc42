import * as z from "zod/mini";

/** The most reminders a plan may set per round; the capacity test measures a round with this many. */
export const MAX_REMINDERS = 5;

/**
 * One reminder of a round, `businessDays` business days from the deadline's day, sent when business hours open:
 * -3 is three business days before, 0 the morning of the deadline day, 2 an overdue notice two business days after.
 */
export const reminderSchema = z.object({ businessDays: z.int().check(z.gte(-20), z.lte(20)) });
export type Reminder = z.output<typeof reminderSchema>;

const businessHoursSchema = z
  .object({ start: z.int().check(z.gte(0), z.lte(23)), end: z.int().check(z.gte(1), z.lte(24)) })
  .check(
    z.refine((hours) => hours.start < hours.end, {
      path: ["end"],
      params: { ja: "は開始時刻より後にしてください", en: "must be after start" },
    }),
  );

/** Defaults of the collection settings, as a plan without them gets them. */
export const COLLECTION_DEFAULTS = {
  requestDay: 1,
  deadlineDay: 15,
  deadlineHour: 17,
  lateAnswerDays: 7,
  nonBusinessDeadline: "next" as const,
  businessHours: { start: 9, end: 18 },
  reminders: [] as Reminder[],
};

/**
 * When requests go out and answers are due, counted in the month after each quarter (Asia/Tokyo); what a deadline
 * on a non-business day does (`next` business day or `previous`); the hours reminders may go out; the reminders;
 * and how many days after the deadline a round stays open for late answers before it closes.
 */
export const collectionSchema = z.object({
  requestDay: z._default(z.int().check(z.gte(1), z.lte(28)), COLLECTION_DEFAULTS.requestDay),
  deadlineDay: z._default(z.int().check(z.gte(1), z.lte(28)), COLLECTION_DEFAULTS.deadlineDay),
  deadlineHour: z._default(z.int().check(z.gte(0), z.lte(23)), COLLECTION_DEFAULTS.deadlineHour),
  lateAnswerDays: z._default(z.int().check(z.gte(0), z.lte(90)), COLLECTION_DEFAULTS.lateAnswerDays),
  nonBusinessDeadline: z._default(z.enum(["next", "previous"]), COLLECTION_DEFAULTS.nonBusinessDeadline),
  businessHours: z._default(businessHoursSchema, COLLECTION_DEFAULTS.businessHours),
  reminders: z._default(
    z.array(reminderSchema).check(
      z.maxLength(MAX_REMINDERS),
      z.superRefine(
        (reminders, ctx) => {
          const seen = new Set<number>();
          reminders.forEach((reminder, index) => {
            const days: unknown = (reminder as { businessDays?: unknown } | null)?.businessDays;
            if (typeof days !== "number") return;
            if (seen.has(days))
              ctx.addIssue({
                code: "custom",
                path: [index, "businessDays"],
                params: { ja: "が重複しています", en: "is used twice" },
              });
            seen.add(days);
          });
        },
        { when: (payload) => Array.isArray(payload.value) },
      ),
    ),
    COLLECTION_DEFAULTS.reminders,
  ),
});
export type CollectionSettings = z.output<typeof collectionSchema>;

/** 督促の上申: after `afterBusinessDays` business days overdue, the institution's escalation contacts are told. */
export const escalationSchema = z.object({ afterBusinessDays: z.int().check(z.gte(1), z.lte(30)) });
