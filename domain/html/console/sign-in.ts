import { formatJapaneseDate } from "../../calendar.ts";
import { escapeHtml } from "../escape.ts";
import { publicConsolePage } from "./layout.ts";

/** The sign-in page: an address, to which a single-use link is mailed. */
export function renderSignInPage(options: { message?: string; email?: string } = {}): string {
  const message = options.message ? `<p role="status" class="receipt">${escapeHtml(options.message)}</p>` : "";
  return publicConsolePage(
    "サインイン",
    `${message}<p>事務局の担当者として登録されたメールアドレスを入力してください。サインイン用のリンクをお送りします（15分間、1回だけ有効です）。</p>
<form method="post" action="/console/sign-in" accept-charset="utf-8">
<div><label for="f-email">メールアドレス<span class="en">Email address</span></label><input type="email" id="f-email" name="email" autocomplete="email" value="${escapeHtml(options.email ?? "")}" required></div>
<p><button type="submit">サインイン用のリンクを送る</button></p></form>
<p class="hint">パスワードはありません。リンクを受け取ったメールアドレスの持ち主だけがサインインできます。 / No password: a link is mailed to the address.</p>`,
  );
}

/** The page after a sign-in request: the same for a known and an unknown address, so none can be probed. */
export function renderSignInSentPage(): string {
  return renderSignInPage({
    message:
      "登録されたアドレスであれば、サインイン用のリンクをお送りしました。メールをご確認ください。 / If the address is registered, a sign-in link is on its way.",
  });
}

/** The page after too many requests for one address: said plainly, for any address. */
export function renderSignInRefusedPage(until: Date): string {
  return renderSignInPage({
    message: `このアドレスへのサインイン用リンクの送信が多すぎます。${formatJapaneseDate(until, { withTime: true })}以降にもう一度お試しください。 / Too many sign-in requests for this address; try again later.`,
  });
}

/** What the emailed link opens: a button, because a mail scanner opening the link must not sign anyone in. */
export function renderSignInConfirmPage(token: string): string {
  return publicConsolePage(
    "サインインの確認",
    `<p>下のボタンを押すと、事務局コンソールにサインインします。</p>
<form method="post" action="/console/sign-in/${escapeHtml(token)}"><p><button type="submit">サインインする</button></p></form>`,
  );
}

/** One page for an unknown, used or expired sign-in link. */
export function renderSignInLinkUnavailablePage(): string {
  return renderSignInPage({
    message:
      "このリンクは使用できません（期限切れ、または使用済みです）。もう一度サインイン用のリンクを請求してください。 / This link has expired or was used; ask for a new one.",
  });
}
