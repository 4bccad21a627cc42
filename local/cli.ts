// The `pdca` command's entry (npm start, npm run pdca, bin/pdca.js): the commands are in local/cli/.

import { RoundNotStartedError } from "../functions/use-cases/start-round.ts";
import { buildCli } from "./cli/program.ts";
import { UsageError } from "./usage-error.ts";

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof UsageError || error instanceof RoundNotStartedError) console.error(error.message);
    else if (String((error as NodeJS.ErrnoException).code ?? error).includes("ECONNREFUSED"))
      console.error(
        "ローカル環境に接続できません。npm start が動いているか確認してください。\nCannot reach the local stack: is npm start running?",
      );
    else console.error(error);
    process.exitCode = 1;
  });
