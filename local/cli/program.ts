import { Command } from "commander";
import { addPlanCommands } from "./plan.ts";
import { addReviewCommands } from "./review.ts";
import { addRoundCommands } from "./round.ts";
import { addSimulateCommand } from "./simulate.ts";
import { addStartCommand } from "./start.ts";

/** The `pdca` command line: the local stack, plan files, targets, rounds, the review and the simulation. */
export function buildCli(): Command {
  const program = new Command("pdca").description("連携支援計画の照会・点検評価（PDCA review platform）");
  addStartCommand(program);
  addPlanCommands(program);
  addRoundCommands(program);
  addReviewCommands(program);
  addSimulateCommand(program);
  return program;
}
