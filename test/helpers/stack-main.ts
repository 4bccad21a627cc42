// `pdca start` as a test runs it in a process of its own: the same start, Ctrl-C handling and engines, on the data
// directory and the ports (JSON) given as arguments, and the plans of a directory when a fourth is given; a person's
// npm start keeps the fixed ones.
import { runStart } from "../../local/cli/start.ts";

await runStart({
  dataDir: process.argv[2] ?? ".local-test",
  ports: JSON.parse(process.argv[3] ?? "{}"),
  plansDirectory: process.argv[4],
});
