import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { type FiscalYear, QUARTERS, type Quarter } from "../domain/calendar.ts";
import { SUPPORT_KINDS } from "../domain/form.ts";
import { reviewExecutionName, roundId } from "../domain/keys.ts";
import type { Plan } from "../domain/plan.ts";
import { readMailbox } from "./engines/ses.ts";
import { seededRandom } from "./seeded-random.ts";

/** Where the simulation reaches the running stack: the same endpoints a person and the CLI use. */
export interface SimulationTarget {
  sfn: SFNClient;
  collectionArn: string;
  reviewArn: string;
  mailboxUrl: string;
}

/** What happened to each institution in each quarter, so a reader can check the review against it. */
export interface SimulationLog {
  rounds: Array<{ quarter: Quarter; onTime: string[]; late: string[]; missing: string[]; corrected: string[] }>;
  reviewStatus: string;
  draftUrl?: string;
}

const BUSINESS_NAMES = ["食品", "精工", "木工", "システム", "乳業", "水産", "製作所", "テック", "フーズ", "機械"];
const ACTIVITIES = [
  "試作品の評価と改良について技術的な助言を行った。",
  "販路開拓に向けて商談会への出展を支援した。",
  "設備投資に関する融資の相談に対応した。",
  "共同研究の計画づくりを大学と調整した。",
  "製品化に向けた品質管理の手法を指導した。",
];

interface SimulatedCase {
  caseId: string;
  institutionId: string;
  businessName: string;
  municipality: string;
  field: string;
  firstFiscalYear: number;
  supportKinds: string[];
}

/**
 * One case, the same whichever year it is reported in: everything about it derives from its first fiscal year and
 * its number, so a case simulated as new in one year comes back under the same id, institution and name as a
 * continuing case in the next years.
 */
function simulatedCase(plan: Plan, firstFiscalYear: FiscalYear, number: number): SimulatedCase {
  const random = seededRandom(firstFiscalYear * 1009 + number);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const kinds = Object.keys(SUPPORT_KINDS);
  const municipality = plan.municipalities.length ? pick(plan.municipalities) : undefined;
  return {
    caseId: `SIM-${firstFiscalYear}-${String(number).padStart(3, "0")}`,
    institutionId: plan.institutions[(number - 1) % plan.institutions.length]?.id ?? "",
    businessName: `株式会社${municipality?.name.replace(/[市町村]$/, "") ?? "北海道"}${pick(BUSINESS_NAMES)}`,
    municipality: municipality?.name ?? "札幌市",
    field: municipality ? pick(municipality.fields) : (plan.fields[0]?.id ?? ""),
    firstFiscalYear,
    supportKinds: [pick(kinds), pick(kinds)].filter((kind, position, all) => all.indexOf(kind) === position),
  };
}

/**
 * The year's cases: a few short of the plan's yearly target of new ones, plus most of the cases that began in the
 * follow-up years before (continuing), so the review has both kinds to count and some follow-up gaps to find.
 */
function simulatedCases(plan: Plan, fiscalYear: FiscalYear): SimulatedCase[] {
  const newCases = Math.max(plan.targets.newCasesPerYear - 2, 1);
  const cases: SimulatedCase[] = [];
  for (let number = 1; number <= newCases; number++) cases.push(simulatedCase(plan, fiscalYear, number));
  const earliest = Math.max(plan.period.firstFiscalYear, fiscalYear - plan.targets.followUpYears + 1);
  for (let first = earliest; first < fiscalYear; first++)
    // Every fourth case of an earlier cohort gets no support this year: a follow-up gap for the review to report.
    for (let number = 1; number <= newCases; number++)
      if (number % 4 !== 0) cases.push(simulatedCase(plan, first, number));
  return cases;
}

/** One institution's answer to one quarter as urlencoded form fields, as the browser would post them. */
function answerFields(cases: SimulatedCase[], quarter: Quarter, random: () => number, extra = 0): URLSearchParams {
  const fields = new URLSearchParams();
  cases.forEach((supported, row) => {
    const prefix = `cases[${row}]`;
    fields.set(`${prefix}[caseId]`, supported.caseId);
    fields.set(`${prefix}[businessName]`, supported.businessName);
    fields.set(`${prefix}[municipality]`, supported.municipality);
    fields.set(`${prefix}[field]`, supported.field);
    fields.set(`${prefix}[firstFiscalYear]`, String(supported.firstFiscalYear));
    for (const kind of supported.supportKinds) fields.append(`${prefix}[supportKinds][]`, kind);
    fields.set(`${prefix}[activity]`, ACTIVITIES[Math.floor(random() * ACTIVITIES.length)] ?? "");
    if (quarter === 4 && random() < 0.3) fields.set(`${prefix}[outcomes][commercialised]`, "on");
    if (random() < 0.2) fields.set(`${prefix}[outcomes][jointResearch]`, "on");
    fields.set(`${prefix}[outcomes][salesYen]`, String(Math.floor(random() * 50) * 100_000));
    fields.set(`${prefix}[outcomes][patentApplications]`, String(random() < 0.1 ? 1 : 0));
  });
  fields.set("counts[consultations]", String(3 + Math.floor(random() * 10) + extra));
  fields.set("counts[seminarsAndEvents]", String(Math.floor(random() * 3)));
  fields.set("counts[agreementsConcluded]", String(random() < 0.2 ? 1 : 0));
  fields.set("narrative[initiatives]", `第${quarter}四半期は、地域の支援機関と連携して相談対応と技術支援を行った。`);
  return fields;
}

async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  timeoutMs: number,
): Promise<{ status: string; output: Record<string, unknown> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { status, output } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (status && status !== "RUNNING") return { status, output: JSON.parse(output ?? "{}") };
    } catch (error) {
      if ((error as Error).name !== "ExecutionDoesNotExist") throw error;
    }
    if (Date.now() > deadline) throw new Error(`${executionArn} did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function linksOfRound(mailboxUrl: string, seen: Set<string>, count: number): Promise<Map<string, string>> {
  for (let tries = 0; tries < 300; tries++) {
    const fresh = (await readMailbox(mailboxUrl)).filter(
      (mail) => !seen.has(mail.messageId) && /\/forms\//.test(mail.body.text ?? ""),
    );
    if (fresh.length >= count) {
      for (const mail of fresh) seen.add(mail.messageId);
      return new Map(
        fresh.map((mail) => [
          mail.destination.to[0] ?? "",
          /https?:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/.exec(mail.body.text ?? "")?.[0] ?? "",
        ]),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("The round's requests did not all arrive in the mailbox");
}

/**
 * Runs a whole fiscal year on the running stack: four rounds with generated answers — most on time, a late one in
 * Q2 and Q3, one institution missing in Q3, one correction in Q1 — whose Q4 close starts the YearEndReview; waits
 * for the draft and returns the link the secretariat was emailed. Each round's deadline is `roundSeconds` away
 * and late answers are taken for `lateSeconds` after it, so a year takes well under a minute.
 */
export async function simulateYear(
  target: SimulationTarget,
  plan: Plan,
  fiscalYear: FiscalYear,
  options: { roundSeconds?: number; lateSeconds?: number; log?: (line: string) => void } = {},
): Promise<SimulationLog> {
  const roundMs = (options.roundSeconds ?? 3) * 1000;
  const lateMs = (options.lateSeconds ?? 2) * 1000;
  const log = options.log ?? (() => {});
  const random = seededRandom(fiscalYear);
  const cases = simulatedCases(plan, fiscalYear);
  const seen = new Set((await readMailbox(target.mailboxUrl)).map((mail) => mail.messageId));
  const institutions = plan.institutions.map((institution) => institution.id);
  const result: SimulationLog = { rounds: [], reviewStatus: "" };

  for (const quarter of QUARTERS) {
    const started = Date.now();
    const input = {
      planId: plan.id,
      fiscalYear,
      quarter,
      deadline: new Date(started + roundMs).toISOString(),
      closesAt: new Date(started + roundMs + lateMs).toISOString(),
    };
    const name = roundId(plan.id, fiscalYear, quarter);
    const { executionArn = "" } = await target.sfn.send(
      new StartExecutionCommand({ stateMachineArn: target.collectionArn, name, input: JSON.stringify(input) }),
    );
    const links = await linksOfRound(target.mailboxUrl, seen, institutions.length);
    const late = quarter === 2 || quarter === 3 ? [institutions[institutions.length - 1] ?? ""] : [];
    const missing = quarter === 3 ? [institutions[institutions.length - 2] ?? ""] : [];
    const corrected = quarter === 1 ? [institutions[0] ?? ""] : [];
    const onTime = institutions.filter((id) => !late.includes(id) && !missing.includes(id));
    const post = async (institutionId: string, extra = 0) => {
      const address =
        plan.institutions.find((institution) => institution.id === institutionId)?.contacts[0]?.email ?? "";
      // Cases are reported from their first fiscal year's first quarter on; new cases start through the year.
      const own = cases.filter(
        (supported, index) =>
          supported.institutionId === institutionId && (supported.firstFiscalYear < fiscalYear || index % 4 < quarter),
      );
      const response = await fetch(links.get(address) ?? "", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: answerFields(own, quarter, random, extra).toString(),
      });
      if (response.status !== 200)
        throw new Error(
          `${institutionId} Q${quarter}: the form answered ${response.status} ${links.get(address)} ${(await response.text()).slice(0, 300)}`,
        );
    };
    for (const institutionId of onTime) await post(institutionId);
    for (const institutionId of corrected) await post(institutionId, 1);
    if (late.length) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + roundMs + lateMs / 3 - Date.now())));
      for (const institutionId of late) await post(institutionId);
    }
    const { status, output } = await waitForExecution(target.sfn, executionArn, roundMs + lateMs + 30_000);
    // What the round recorded, which is what counts: on a slow machine an answer meant to be on time can be late.
    const recorded = (output.completeness ?? {}) as { onTime?: number; late?: number; missing?: string[] };
    log(
      `  ${name}: ${status}（期限内 ${recorded.onTime ?? "?"}、期限後 ${recorded.late ?? "?"}、未回答 ${recorded.missing?.length ?? "?"}、修正 ${corrected.length}）`,
    );
    result.rounds.push({ quarter, onTime, late, missing, corrected });
  }

  // The review ends with its draft in the secretariat's mailbox, or, when the plan names approvers, goes on to
  // circulate the draft and waits for them: either way the draft's mail is what the simulation waits for.
  const reviewArn = `${target.reviewArn.replace(":stateMachine:", ":execution:")}:${reviewExecutionName(plan.id, fiscalYear)}`;
  const draftMail = () =>
    readMailbox(target.mailboxUrl).then((mails) =>
      mails.find((mail) => !seen.has(mail.messageId) && mail.subject.includes("点検評価報告書（案）")),
    );
  const waitUntil = Date.now() + 120_000;
  let mail = await draftMail();
  let status = "RUNNING";
  while (!mail && Date.now() < waitUntil) {
    status =
      (await target.sfn.send(new DescribeExecutionCommand({ executionArn: reviewArn })).catch(() => undefined))
        ?.status ?? "RUNNING";
    if (status !== "RUNNING") break;
    await new Promise((resolve) => setTimeout(resolve, 200));
    mail = await draftMail();
  }
  mail ??= await draftMail();
  result.reviewStatus = mail && status === "RUNNING" ? "CIRCULATING" : status;
  result.draftUrl = /https?:\/\/\S+\/reports\/\S+/.exec(mail?.body.text ?? "")?.[0];
  log(
    `  点検評価: ${result.reviewStatus === "CIRCULATING" ? "報告書（案）を作成し、承認の回覧中 / draft made, circulating for approval" : result.reviewStatus}`,
  );
  return result;
}
