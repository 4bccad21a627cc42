// What a collection round costs on Step Functions, from simulated rounds' real execution histories on the local
// runner: events and state transitions per institution per round, the cost per institution per year at the public
// price, and the largest round one execution holds under the 25,000-event cap. The baseline is the round before
// reminders, measured in the same run: rather than keep a copy of its definition (whose functions are gone), the
// baseline commit's whole tree is extracted with `git archive` and the same scenario runs in it, so the figures are
// those of the code that shipped. Each round runs in a fresh process (bench/round-scenario.ts) on one DynamoDB Local.
//
// Events are counted as AWS counts them (the runner's history is GetExecutionHistory's), and state transitions as
// the states entered (every *StateEntered event, Map iterations' states included), which is what Step Functions
// Standard bills: $0.025 per 1,000.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../local/engines/dynamodb.ts";
import { STEP_FUNCTIONS_QUOTAS } from "../local/step-functions/quotas.ts";

/** The commit this branch started from: QuarterlyCollection with one waiting task per institution, no reminders. */
const BASELINE_COMMIT = "80c5da560cb1fd442ea7d77b252caf4227f1cd69";
const SIZES = [25, 100] as const;
const PRICE_PER_TRANSITION = 0.025 / 1000;
const ROUNDS_PER_YEAR = 4;
const root = join(import.meta.dirname, "..");

interface Measured {
  mode: string;
  size: number;
  status: string;
  events: number;
  transitions: number;
  largestPayload: number;
  mails: number;
}

function runScenario(tree: string, endpoint: string, size: number, mode: "current" | "baseline"): Measured {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(tree, "bench/round-scenario.ts"), endpoint, String(size), mode],
    { cwd: tree, encoding: "utf8", env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" }, timeout: 600_000 },
  );
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  if (run.status !== 0 || !line.startsWith("{"))
    throw new Error(`${mode} ${size}: exit ${run.status}\n${run.stderr.slice(-2000)}`);
  return JSON.parse(line) as Measured;
}

/** The baseline's tree: the baseline commit extracted, with this checkout's packages and the same scenario. */
function baselineTree(): string {
  const tree = mkdtempSync(join(tmpdir(), "pdca-round-baseline-"));
  const archive = execFileSync("git", ["archive", "--format=tar", BASELINE_COMMIT], { cwd: root, maxBuffer: 1 << 28 });
  execFileSync("tar", ["-x", "-C", tree], { input: archive });
  symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
  execFileSync("cp", [join(root, "bench/round-scenario.ts"), join(tree, "bench/round-scenario.ts")]);
  return tree;
}

/** Per institution, fixed part, yearly cost and the largest round under the event cap, from two sizes. */
function figures(small: Measured, large: Measured) {
  const span = large.size - small.size;
  const eventsPerInstitution = (large.events - small.events) / span;
  const transitionsPerInstitution = (large.transitions - small.transitions) / span;
  const fixedEvents = small.events - eventsPerInstitution * small.size;
  return {
    eventsPerInstitution,
    transitionsPerInstitution,
    fixedEvents,
    costPerInstitutionYear: transitionsPerInstitution * ROUNDS_PER_YEAR * PRICE_PER_TRANSITION,
    holds: Math.floor((STEP_FUNCTIONS_QUOTAS.maxHistoryEvents - fixedEvents) / eventsPerInstitution),
    largestPayload: large.largestPayload,
  };
}

const dynamodb = await startDynamoDbLocal();
const baseline = baselineTree();
try {
  // Warm-up: the first stack in a process pays for loading the CDK and synthesizing; a small round absorbs it.
  runScenario(root, dynamodb.endpoint, 5, "current");
  const measured = { current: [] as Measured[], baseline: [] as Measured[] };
  for (const size of SIZES) {
    measured.baseline.push(runScenario(baseline, dynamodb.endpoint, size, "baseline"));
    measured.current.push(runScenario(root, dynamodb.endpoint, size, "current"));
  }
  for (const run of [...measured.baseline, ...measured.current])
    console.log(
      `  ${run.mode.padEnd(8)} ${String(run.size).padStart(4)} institutions: ${run.status}, ${run.events} events, ${run.transitions} state transitions, ${run.mails} mails, largest state ${run.largestPayload} bytes`,
    );
  const before = figures(measured.baseline[0] as Measured, measured.baseline[1] as Measured);
  const after = figures(measured.current[0] as Measured, measured.current[1] as Measured);
  const row = (label: string, pick: (f: typeof after) => number, digits = 2) =>
    console.log(
      `  ${label.padEnd(44)} ${pick(before).toFixed(digits).padStart(12)} ${pick(after).toFixed(digits).padStart(12)}   ×${(pick(after) / pick(before)).toFixed(3)}`,
    );
  console.log(
    `\n  ${"per round (half answer at once, a quarter late, a quarter never)".padEnd(44)}     baseline      current`,
  );
  row("history events per institution", (f) => f.eventsPerInstitution);
  row("state transitions per institution", (f) => f.transitionsPerInstitution);
  row("cost per institution per year (USD)", (f) => f.costPerInstitutionYear, 5);
  row("largest round under 25,000 events", (f) => f.holds, 0);
  console.log(
    "\n  The current round also sends the reminders, overdue notices and escalation the baseline never sent (its mails above).",
  );
} finally {
  await dynamodb.stop();
  rmSync(baseline, { recursive: true, force: true });
}
