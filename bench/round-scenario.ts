// One simulated collection round on the local stack, in a process of its own, printing its execution history's
// figures as JSON. bench/round-cost.ts runs it twice per size: here, on the current definition, and in a copy of the
// baseline commit's tree (extracted by git archive), on the definition before reminders. So it uses only what both
// trees have: startLocalStack with plans and a shared DynamoDB Local, startRound, the SES mailbox and the form.
//
// argv: the DynamoDB Local endpoint, the number of institutions, "current" or "baseline".
// The round: half the institutions answer at once, a quarter later (after the first reminder, when there is one),
// a quarter never. The current design runs the plan's own calendar compressed (reminders, deadline, overdue
// notice, escalation, close on business days); the baseline has no reminders, only its deadline and close.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { readMailbox } from "../local/engines/ses.ts";
import { startLocalStack } from "../local/stack.ts";

const [endpoint = "", sizeText = "25", mode = "current"] = process.argv.slice(2);
const size = Number(sizeText);
const root = join(import.meta.dirname, "..");
const reference = parse(readFileSync(join(root, "plans/hokkaido-kita-no-monozukuri.yaml"), "utf8"));
const plan = {
  ...reference,
  id: `bench-${size}`,
  approvals: undefined,
  institutions: Array.from({ length: size }, (_, index) => ({
    id: `inst-${String(index + 1).padStart(4, "0")}`,
    name: `支援機関${index + 1}`,
    shortName: `機関${index + 1}`,
    lead: index === 0,
    role: "",
    contacts: [{ name: "担当", email: `inst${index + 1}@example.jp` }],
  })),
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const stack = await startLocalStack({
  dynamodbEndpoint: endpoint,
  prefix: `bench${mode[0]}${size}-`,
  resumeOpenRounds: false,
  plans: [plan],
  log,
});
try {
  const now = Date.now();
  const started = await stack.startRound(
    mode === "current"
      ? // The request on Monday January 6, 2020 to the deadline on Wednesday the 15th in 40 s; the close follows.
        ({ planId: plan.id, fiscalYear: 2019, quarter: 3, compressed: { deadlineSeconds: 40 } } as never)
      : {
          planId: plan.id,
          fiscalYear: 2019,
          quarter: 3,
          deadline: new Date(now + 40_000).toISOString(),
          closesAt: new Date(now + 60_000).toISOString(),
        },
  );
  const links = new Map<string, string>();
  for (let tries = 0; links.size < size && tries < 600; tries++) {
    for (const mail of await readMailbox(stack.urls.mailbox))
      links.set(mail.destination.to[0] ?? "", /https?:\/\/\S+\/forms\/[\w-]{43}/.exec(mail.body.text ?? "")?.[0] ?? "");
    if (links.size < size) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answer = (index: number) =>
    fetch(links.get(`inst${index + 1}@example.jp`) ?? "", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "counts[consultations]=1&counts[seminarsAndEvents]=0&counts[agreementsConcluded]=0",
    });
  for (let index = 0; index < size / 2; index++) await answer(index);
  // A quarter answer a while later: after the first reminder on the compressed calendar (about 12 s in).
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 16_000 - Date.now())));
  for (let index = Math.ceil(size / 2); index < Math.ceil((size * 3) / 4); index++) await answer(index);
  const finished = await stack.stepFunctions.waitForExecution(started.executionArn, 300_000);
  const events = finished.history.events;
  const transitions = events.filter((event) => String(event.type).endsWith("StateEntered")).length;
  let largestPayload = 0;
  for (const event of events)
    for (const value of Object.values(event))
      if (value && typeof value === "object")
        for (const field of ["input", "output"])
          largestPayload = Math.max(
            largestPayload,
            Buffer.byteLength(String((value as Record<string, unknown>)[field] ?? ""), "utf8"),
          );
  const mails = (await readMailbox(stack.urls.mailbox)).length;
  console.log(
    JSON.stringify({ mode, size, status: finished.status, events: events.length, transitions, largestPayload, mails }),
  );
} finally {
  await stack.stop();
}
