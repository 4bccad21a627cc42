import { publicConsolePage } from "./layout.ts";

const ERRORS: Record<number, { title: string; text: string }> = {
  403: {
    title: "操作を受け付けられませんでした",
    text: "画面が古いか、別の画面から送られた操作です。何も変更していません。コンソールを開き直してから、もう一度お試しください。 / The action was refused (stale page or another site); nothing was changed.",
  },
  404: {
    title: "ページが見つかりません",
    text: "アドレスが正しいか確認してください。担当していない計画は表示されません。 / Not found.",
  },
  405: { title: "この操作はできません", text: "ページのボタンから操作してください。 / Method not allowed." },
  413: {
    title: "入力が長すぎます",
    text: "送信された内容が大きすぎるため、受け付けませんでした。何も保存していません。 / The form was too large; nothing was saved.",
  },
};

/** The console's page for a refused or failed request: what happened in plain words, and nothing about the cause. */
export function renderConsoleErrorPage(status: number): string {
  const known = ERRORS[status] ?? {
    title: "エラーが発生しました",
    text: "しばらくしてからもう一度お試しください。操作が記録されたかどうかは、画面を開き直して確認できます。 / Something went wrong on our side; reload to see what was recorded.",
  };
  return publicConsolePage(known.title, `<p>${known.text}</p><p><a href="/console">ダッシュボードへ戻る</a></p>`);
}
