// `pdca start` as a test runs it in a process of its own: the same start, Ctrl-C handling and engines, on free ports
// (the fixed ones belong to a person's npm start) and the data directory given as the first argument.
import { runStart } from "../../local/cli/start.ts";

await runStart({ dataDir: process.argv[2] ?? ".local-test", ports: {} });
