import { PACE_PHRASES } from "../review/supported-cases.ts";
import type { AnswerStatus, Pace } from "../review/types.ts";
import type { TargetStatus } from "../targets.ts";

/** The words a report uses for a target status; words, so that a status never depends on colour alone. */
export const STATUS_WORDS: Record<TargetStatus, string> = {
  achieved: "達成",
  nearly: "概ね達成",
  "not-achieved": "未達成",
  "no-target": "目標なし",
};

/** The word for a figure shown beside a target it is not judged against (the plan total, while the plan runs). */
export const REFERENCE_WORD = "参考";

/** The words for a projection: a forecast says 見込み and which way its pace points, never 達成 or 未達成. */
export const PACE_WORDS: Record<Pace, string> = {
  ahead: `見込み：目標${PACE_PHRASES.ahead}`,
  "on-target": `見込み：目標${PACE_PHRASES["on-target"]}`,
  behind: `見込み：目標${PACE_PHRASES.behind}`,
};

/** The words a report uses for how a quarterly answer arrived. */
export const ANSWER_WORDS: Record<AnswerStatus, string> = {
  "on-time": "期限内",
  late: "期限後",
  missing: "未報告",
};

/** The words for an answer that said 報告事項なし, by when it came: an answer, told apart from a missing one. */
export const NOTHING_TO_REPORT_WORDS: Record<Exclude<AnswerStatus, "missing">, string> = {
  "on-time": "報告事項なし",
  late: "報告事項なし（期限後）",
};

/** The word for one quarter's answer in the reporting table. */
export function answerWord(quarter: { status: AnswerStatus; nothingToReport: boolean }): string {
  return quarter.status !== "missing" && quarter.nothingToReport
    ? NOTHING_TO_REPORT_WORDS[quarter.status]
    : ANSWER_WORDS[quarter.status];
}

/** Whether a report version is still a draft (案) or has been approved for publication. */
export type ReportStatus = "draft" | "approved";

/** The words a report uses for its own status. */
export const REPORT_STATUS_WORDS: Record<ReportStatus, string> = { draft: "案", approved: "承認済み" };
