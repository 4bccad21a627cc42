import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUARTERS } from "../../domain/calendar.ts";
import { RoundClosedError } from "../../domain/errors.ts";
import { checkQuarterlyReport } from "../../domain/form.ts";
import type { Plan } from "../../domain/plan.ts";
import type { Completeness } from "../../domain/round.ts";
import { SubmitAnswer } from "../../functions/use-cases/submit-answer.ts";
import { invokeInProcess } from "../../local/functions.ts";
import { seededRandom } from "../../local/seeded-random.ts";
import type { LocalStack } from "../../local/stack.ts";
import { planWithInstitutions } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";

// Answers racing the close, on DynamoDB Local through the real handlers: an answer is either counted in the round's
// completeness or refused as closed, never stored and left uncounted.

const INSTITUTIONS = 6;
const FIRST_YEAR = 2020;
const YEARS = 13; // 52 rounds
let stack: LocalStack;
let plan: Plan;

beforeAll(async () => {
  const base = planWithInstitutions("close-race", INSTITUTIONS);
  plan = {
    ...base,
    period: { firstFiscalYear: FIRST_YEAR, lastFiscalYear: FIRST_YEAR + YEARS - 1 },
    targets: { ...base.targets, firstTargetYear: FIRST_YEAR },
  };
  stack = await startTestStack([plan]);
});
afterAll(() => stack?.stop());

describe("closing a round while answers arrive", () => {
  it("counts every stored answer and refuses every other, over 52 seeded races", async () => {
    const checked = checkQuarterlyReport(plan, FIRST_YEAR, {
      counts: { consultations: "1", seminarsAndEvents: "0", agreementsConcluded: "0" },
    });
    if (!checked.ok) throw new Error("fixture");
    const submitAnswer = new SubmitAnswer({
      table: stack.table,
      newId: randomUUID,
    });
    const random = seededRandom(20261125);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let stored = 0;
    let refused = 0;
    for (let year = FIRST_YEAR; year < FIRST_YEAR + YEARS; year++)
      for (const quarter of QUARTERS) {
        const now = Date.now();
        await stack.table.rounds.openRound({
          planId: plan.id,
          fiscalYear: year,
          quarter,
          status: "open",
          deadline: new Date(now + 60_000).toISOString(),
          closesAt: new Date(now + 120_000).toISOString(),
          openedAt: new Date(now).toISOString(),
        });
        await Promise.all(
          plan.institutions.map((institution) =>
            stack.table.requests.ensureRequest({
              planId: plan.id,
              fiscalYear: year,
              quarter,
              institutionId: institution.id,
              status: "sent",
              deadline: new Date(now + 60_000).toISOString(),
            }),
          ),
        );
        // Each institution answers after its own short delay; the close starts after one of its own, among them.
        const answers = plan.institutions.map(async (institution) => {
          await sleep(random() * 40);
          try {
            await submitAnswer.submit({
              request: { planId: plan.id, fiscalYear: year, quarter, institutionId: institution.id },
              report: checked.value,
              channel: "web-form",
              actor: "test",
            });
            return "stored" as const;
          } catch (error) {
            if (error instanceof RoundClosedError) return "refused" as const;
            throw error;
          }
        });
        const close = sleep(random() * 40).then(
          () =>
            invokeInProcess("closeRound", {
              round: {
                planId: plan.id,
                fiscalYear: year,
                quarter,
                deadline: new Date(now + 60_000).toISOString(),
                closesAt: new Date(now + 120_000).toISOString(),
              },
            }) as Promise<Completeness>,
        );
        const outcomes = await Promise.all(answers);
        const completeness = await close;
        const latest = await Promise.all(
          plan.institutions.map((institution) =>
            stack.table.submissions.findLatestSubmission(plan.id, year, quarter, institution.id),
          ),
        );
        const storedHere = outcomes.filter((outcome) => outcome === "stored").length;
        expect(latest.filter(Boolean).length, `FY${year} Q${quarter}`).toBe(storedHere);
        expect(completeness.answered, `FY${year} Q${quarter}`).toBe(storedHere);
        const round = await stack.table.rounds.findRound(plan.id, year, quarter);
        expect(round?.completeness?.answered).toBe(storedHere);
        stored += storedHere;
        refused += outcomes.length - storedHere;
      }
    // The seed makes both outcomes happen, so both paths were exercised.
    expect(stored).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
