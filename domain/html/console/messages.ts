/**
 * What the console says after an action, by a fixed code in the address it returns to (`?done=`): a link someone
 * else crafts can only show one of these sentences, never words of its own.
 */
export const CONSOLE_MESSAGES = {
  "draft-started":
    "点検評価を開始しました。新しい版の報告書（案）ができると、事務局あてにメールが届き、この画面にも表示されます。",
  "round-started": "照会を開始しました。各機関に依頼のメールを送ります。",
  "round-resumed": "照会を再開しました。回答済みの機関にはメールを送りません。",
  "round-running": "この照会はすでに実行中です。",
  "round-closed": "この照会は締め切られています。回答の受付もメールの送信も行いません。",
  "deadline-extended": "回答期限を延長し、対象の機関に新しい期限と回答フォームのリンクをメールで送りました。",
  "late-answer-accepted":
    "締切後の回答を受け付けることにし、その機関に受付期限と回答フォームのリンクをメールで送りました。",
  "already-answered": "この機関はすでに回答しています。",
  "reminder-sent":
    "督促の送信を始めました。送った督促はこの画面の状況欄に表示されます（同じ機関には1時間に1回までです）。",
  extended: "承認の期限を延長しました。承認者にあらためて依頼のメールを送ります。",
  proceeded: "期限までに判断のなかった承認者を除いて、次に進みました。",
  approved: "承認を記録しました。",
  "changes-requested": "修正依頼を記録しました。事務局に知らせます。",
  "already-decided":
    "この判断はすでに記録されています（メールのリンクまたは別の画面から先に判断されました）。現在の状況をご確認ください。",
} as const;

export type ConsoleMessageCode = keyof typeof CONSOLE_MESSAGES;

/** The sentence of a code from the address, if it is one of ours. */
export function consoleMessage(code: string | undefined): string | undefined {
  return code && Object.hasOwn(CONSOLE_MESSAGES, code) ? CONSOLE_MESSAGES[code as ConsoleMessageCode] : undefined;
}
