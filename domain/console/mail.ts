import { formatJapaneseDate } from "../calendar.ts";
import type { MailMessage } from "../mail.ts";

/** The single-use link that signs a secretariat member in to the console. */
export function signInMail(input: { email: string; url: string; expiresAt: Date }): MailMessage {
  return {
    to: [input.email],
    subject: "【事務局コンソール】サインイン用のリンク",
    text: [
      "事務局コンソールへのサインインが請求されました。",
      "",
      "■ サインイン用のリンク（1回だけ、次の時刻まで有効です）：",
      input.url,
      `（${formatJapaneseDate(input.expiresAt, { withTime: true })}まで）`,
      "",
      "リンクを開くと確認のボタンが表示されます。ボタンを押すとサインインします。",
      "心当たりがない場合は、このメールを破棄してください。リンクを使わなければ何も起きません。",
      "",
      "※このメールはシステムから自動送信しています。",
    ].join("\n"),
  };
}
