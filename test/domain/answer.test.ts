import { describe, expect, it } from "vitest";
import { decideAnswer, reportHash, type StoredAnswerState, sameReport } from "../../domain/answer.ts";
import { checkQuarterlyReport, type QuarterlyReport } from "../../domain/form.ts";
import { validFormInput } from "../fixtures/form-input.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();

function report(consultations = 12): QuarterlyReport {
  const input = validFormInput();
  input.counts.consultations = String(consultations);
  const checked = checkQuarterlyReport(plan, 2019, input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.value;
}

const open: StoredAnswerState["round"] = {
  status: "open",
  deadline: "2019-07-15T08:00:00.000Z",
  closesAt: "2019-07-22T08:00:00.000Z",
};
const beforeDeadline = new Date("2019-07-10T00:00:00Z");
const afterDeadline = new Date("2019-07-18T00:00:00Z");

describe("what a valid answer becomes", () => {
  it("is the first version, on time or late against the deadline", () => {
    const state = { request: { status: "sent" as const, deadline: open.deadline }, round: open };
    expect(decideAnswer(state, report(), beforeDeadline)).toEqual({
      kind: "store",
      version: 1,
      previousVersion: 0,
      firstAnswer: true,
      answeredOnTime: true,
      claimKey: true,
      acceptedLate: false,
    });
    expect(decideAnswer(state, report(), afterDeadline)).toMatchObject({ kind: "store", answeredOnTime: false });
  });

  it("is a correction after a first answer, and nothing new when it says the same as the latest", () => {
    const latest = { version: 2, submittedAt: "2019-07-01T00:00:00.000Z", report: report(12) };
    const state = {
      request: { status: "answered" as const, latestVersion: 2, deadline: open.deadline },
      round: open,
      latest,
    };
    expect(decideAnswer(state, report(13), beforeDeadline)).toMatchObject({
      kind: "store",
      version: 3,
      previousVersion: 2,
      firstAnswer: false,
    });
    expect(decideAnswer(state, report(12), beforeDeadline)).toEqual({
      kind: "already-stored",
      version: 2,
      submittedAt: latest.submittedAt,
    });
  });

  it("is the version its form stored before, when the same form is posted again with the same answer", () => {
    const state = {
      request: { status: "answered" as const, latestVersion: 3, deadline: open.deadline },
      round: open,
      latest: { version: 3, submittedAt: "2019-07-03T00:00:00.000Z", report: report(13) },
      sameKey: { version: 2, submittedAt: "2019-07-02T00:00:00.000Z", reportHash: reportHash(report(12)) },
    };
    // A delayed duplicate of v2's post, arriving after v3: it is v2, and v3 stays the latest.
    expect(decideAnswer(state, report(12), beforeDeadline)).toEqual({
      kind: "already-stored",
      version: 2,
      submittedAt: "2019-07-02T00:00:00.000Z",
    });
    // The same form changed before it was sent again (back from the browser's history): a new version, unclaimed key.
    expect(decideAnswer(state, report(14), beforeDeadline)).toEqual({
      kind: "store",
      version: 4,
      previousVersion: 3,
      firstAnswer: false,
      answeredOnTime: true,
      claimKey: false,
      acceptedLate: false,
    });
  });

  it("is refused once the round is closed, or its closing time has passed before the close ran", () => {
    const closed = {
      request: { status: "sent" as const, deadline: open.deadline },
      round: { ...open, status: "closed" as const },
    };
    expect(decideAnswer(closed, report(), beforeDeadline)).toEqual({ kind: "round-closed" });
    const pastClose = { request: { status: "overdue" as const, deadline: open.deadline }, round: open };
    expect(decideAnswer(pastClose, report(), new Date("2019-07-22T08:00:00.001Z"))).toEqual({ kind: "round-closed" });
  });

  it("is on time against the institution's own deadline when the secretariat extended it", () => {
    const extended = { request: { status: "sent" as const, deadline: "2019-07-19T08:00:00.000Z" }, round: open };
    expect(decideAnswer(extended, report(), afterDeadline)).toMatchObject({ kind: "store", answeredOnTime: true });
    expect(decideAnswer(extended, report(), new Date("2019-07-20T00:00:00Z"))).toMatchObject({
      kind: "store",
      answeredOnTime: false,
    });
  });

  it("is stored after the close only while the secretariat's acceptance of a late answer runs", () => {
    const request = {
      status: "overdue" as const,
      deadline: open.deadline,
      lateAnswerUntil: "2019-08-01T08:00:00.000Z",
    };
    const closed = { request, round: { ...open, status: "closed" as const } };
    expect(decideAnswer(closed, report(), new Date("2019-07-30T00:00:00Z"))).toMatchObject({
      kind: "store",
      version: 1,
      answeredOnTime: false,
      acceptedLate: true,
    });
    expect(decideAnswer(closed, report(), new Date("2019-08-01T08:00:00.001Z"))).toEqual({ kind: "round-closed" });
    // Another institution of the same closed round has no acceptance: refused as before.
    const other = { request: { status: "overdue" as const, deadline: open.deadline }, round: closed.round };
    expect(decideAnswer(other, report(), new Date("2019-07-30T00:00:00Z"))).toEqual({ kind: "round-closed" });
  });

  it("compares answers whatever order their keys came back in", () => {
    const a = report();
    const reordered = JSON.parse(
      JSON.stringify({ narrative: a.narrative, counts: a.counts, cases: a.cases, nothingToReport: false }),
    );
    expect(sameReport(a, reordered)).toBe(true);
    expect(sameReport(a, report(1))).toBe(false);
  });
});
