/** What chasing an answer sent: a scheduled reminder, an overdue notice, an escalation, or a reminder by hand. */
export type ChaseKind = "reminder" | "overdue-notice" | "escalation" | "manual-reminder";

/** How each kind reads on the status page, in the summary mail and in the CLI. */
export const CHASE_LABELS: Record<ChaseKind, { ja: string; en: string }> = {
  reminder: { ja: "督促", en: "reminder" },
  "overdue-notice": { ja: "期限超過のお知らせ", en: "overdue notice" },
  escalation: { ja: "上申", en: "escalation" },
  "manual-reminder": { ja: "督促（事務局）", en: "reminder (by the secretariat)" },
};
