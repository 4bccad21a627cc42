/**
 * Where one institution stands in a round, in the words the secretariat reads on the console's round page: asked or
 * not, answered (on time, late, nothing to report) or missing, and what chasing it took — reminders, notices, the
 * escalation, addresses that bounced, an extended deadline, a late answer accepted after the close.
 */
import { formatJapaneseDate } from "../calendar.ts";
import { CHASE_LABELS, type ChaseKind } from "../chase.ts";
import { describeRequest, lateAnswerAccepted, type Round, type RoundRequest } from "../round.ts";

/** A chase mail of the institution, as recorded. */
export interface ChaseRecord {
  kind: ChaseKind;
  sentAt?: string;
}

/** The main status, and the notes under it. */
export interface Standing {
  status: string;
  notes: string[];
}

const day = (instant: string) => formatJapaneseDate(new Date(instant));

export function describeStanding(input: {
  request: RoundRequest | undefined;
  round: Pick<Round, "status" | "deadline" | "closesAt">;
  chased: readonly ChaseRecord[];
  now: Date;
}): Standing {
  const { request, round, now } = input;
  if (!request) return { status: "未照会", notes: [] };
  const notes: string[] = [];
  const answered = request.status === "answered";
  let status: string;
  if (answered) status = describeRequest(request);
  else if (request.status === "pending") status = "準備中（依頼メール未送信）";
  else if (round.status === "closed") status = "未回答（締切）";
  else status = describeRequest(request);
  if (!answered && Date.parse(request.deadline) > Date.parse(round.deadline))
    notes.push(`期限延長：${formatJapaneseDate(new Date(request.deadline), { withTime: true })}まで`);
  if (request.lateAnswerUntil && !answered)
    notes.push(
      lateAnswerAccepted(request, now)
        ? `締切後の回答を受付中：${formatJapaneseDate(new Date(request.lateAnswerUntil), { withTime: true })}まで`
        : `締切後の回答の受付は${day(request.lateAnswerUntil)}で終了`,
    );
  if (answered && request.lateAnswerUntil) notes.push("締切後に受付");
  const sent = input.chased.filter((record) => record.sentAt);
  for (const kind of ["reminder", "manual-reminder", "overdue-notice", "escalation"] as const) {
    const ofKind = sent.filter((record) => record.kind === kind);
    const last = ofKind
      .map((record) => record.sentAt as string)
      .sort()
      .at(-1);
    if (!last) continue;
    const label = kind === "escalation" ? "上申済み" : `${CHASE_LABELS[kind].ja}を送信`;
    notes.push(`${label}：${day(last)}${ofKind.length > 1 ? `（計${ofKind.length}回）` : ""}`);
  }
  if (request.undeliverable?.length) notes.push(`送付不能：${request.undeliverable.join("、")}`);
  return { status, notes };
}
