import { page } from "./escape.ts";

/** One page for unknown, expired and closed links alike, so a link's existence is never revealed. */
export function renderLinkUnavailablePage(): string {
  return page(
    "このリンクは使用できません",
    `<h1>このリンクは使用できません</h1>
<p>リンクの有効期限が切れているか、照会がすでに締め切られている可能性があります。</p>
<p>報告が必要な場合は、照会メールの送信元（事務局）までお問い合わせください。</p>
<p class="hint">This link cannot be used. Please contact the secretariat that sent you the request.</p>`,
  );
}

/** The page for a body over the size limit: nothing was stored. */
export function renderTooLargePage(limitBytes: number): string {
  return page(
    "送信内容が大きすぎます",
    `<h1>送信内容が大きすぎます</h1>
<p>送信できる内容は${Math.floor(limitBytes / 1024)}KBまでです。内容は保存されていません。文章を短くするか、案件を分けて事務局にご相談ください。</p>
<p class="hint">The form is larger than ${Math.floor(limitBytes / 1024)} KB. Nothing has been saved.</p>`,
  );
}

/** The page for a failure on our side: nothing about its cause is shown. */
export function renderServerErrorPage(): string {
  return page(
    "エラーが発生しました",
    `<h1>エラーが発生しました</h1>
<p>ただいま処理できませんでした。入力内容は保存されていない可能性があります。時間をおいてもう一度お試しください。</p>
<p class="hint">Something went wrong on our side. Please try again later.</p>`,
  );
}

/** The page for a report link that is unknown, expired, or names no file of its version. */
export function renderReportUnavailablePage(): string {
  return page(
    "このリンクは使用できません",
    `<h1>このリンクは使用できません</h1>
<p>リンクの有効期限が切れているか、ファイルがありません。事務局のシステム管理者にお問い合わせください。</p>
<p class="hint">This link cannot be used: it has expired, or the file does not exist.</p>`,
  );
}
