import type { Command } from "commander";
import { describeBrokenPlans } from "../../infra/app.ts";
import { tryOutCommand } from "../rounds.ts";
import { DEFAULT_DATA_DIR, DEFAULT_PORTS, type LocalStack, type LocalStackOptions, startLocalStack } from "../stack.ts";

/** What `pdca start` prints once the stack runs: where things are, how to start a round, what was left out. */
export function startBanner(
  stack: Pick<LocalStack, "urls" | "plans" | "brokenPlans" | "resumed" | "inboundDomain">,
  dataDir: string,
) {
  const plan = stack.plans[0];
  const broken = stack.brokenPlans.length
    ? `
  読み込めなかった計画ファイル（ほかの計画は使えます） / plan files left out (the other plans work):
${describeBrokenPlans(stack.brokenPlans).replace(/^/gm, "    ")}
  直したら npm run pdca -- plan validate <file> で確かめ、npm start し直してください。
  Check a fixed file with npm run pdca -- plan validate <file>, then restart npm start.
`
    : "";
  return `
  状況・照会の開始 / status page : ${stack.urls.status}
  メールボックス   / mailbox     : ${stack.urls.mailbox}（ローカル専用 / local only）
  メールでの回答   / reply SMTP  : ${stack.urls.smtp}（依頼メールの返信先 answer+<token>@${stack.inboundDomain} を受ける SES 受信ルールの代わり。SPF・DKIM は検証しません / plays the SES receipt rule for the request mail's Reply-To; no SPF/DKIM check）
  回答フォーム     / forms       : ${stack.urls.api}/forms/<token>（メールのリンクから / from the links in the mail）
  公表サイト       / site        : ${stack.urls.site}/（承認された報告書 / approved reports, as the CDN serves them）
  事務局コンソール / console     : ${stack.urls.api}/console（${plan?.secretariat.contacts[0]?.email ?? "事務局のアドレス"} でサインイン / sign in with a secretariat contact's address）

  照会を開始するには / to start a round, in a second terminal:
    ${plan ? tryOutCommand(plan) : "npm run pdca -- round start --plan <plan> --fiscal-year <year> --quarter 1"}
  または状況ページのボタンから / or with the button on the status page.
${broken}${stack.resumed.length ? `\n  再開した照会 / resumed rounds: ${stack.resumed.join(", ")}\n` : ""}
  Ctrl-C で停止します（データは ${dataDir}/ に残ります） / Ctrl-C stops; data stays in ${dataDir}/`;
}

/** Runs the local stack until Ctrl-C, as `pdca start` does; the tests run it with free ports. */
export async function runStart(options: {
  dataDir: string;
  ports: LocalStackOptions["ports"];
  /** @default plans/ */
  plansDirectory?: string;
}): Promise<void> {
  console.log("ローカル環境を起動しています… / starting the local stack…");
  const stack = await startLocalStack({
    dataDir: options.dataDir,
    ports: options.ports,
    plansDirectory: options.plansDirectory,
    // The stack has already stopped itself and said why; nothing is left to wait for.
    onFailure: () => process.exit(1),
  });
  console.log(startBanner(stack, options.dataDir));
  let stopping = false;
  const stop = async () => {
    if (stopping) {
      // A second Ctrl-C is never ignored: leave now; the engine's watchdog ends DynamoDB Local with this process.
      console.log("強制終了します / forcing the stop");
      process.exit(130);
    }
    stopping = true;
    console.log("\n停止しています…（もう一度 Ctrl-C で強制終了） / stopping… (Ctrl-C again forces it)");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** `pdca start`: the embedded local stack on its fixed ports (what `npm start` runs). */
export function addStartCommand(program: Command): void {
  program
    .command("start")
    .description("ローカル環境を起動する / start the embedded local stack")
    .option("--data-dir <dir>", "data directory", DEFAULT_DATA_DIR)
    .action((options: { dataDir: string }) => runStart({ dataDir: options.dataDir, ports: DEFAULT_PORTS }));
}
