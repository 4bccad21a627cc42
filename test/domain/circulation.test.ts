import { describe, expect, it } from "vitest";
import type { ApprovalDecision } from "../../domain/approvals.ts";
import { approvalWaitEnds, decideCirculation, type StepRecord } from "../../domain/circulation.ts";
import { referencePlan } from "../fixtures/plans.ts";

const DEADLINE = "2023-05-15T08:00:00.000Z";
const BEFORE = new Date("2023-05-10T00:00:00Z");

function decided(approverId: string, decision: ApprovalDecision["decision"], version = 1): ApprovalDecision {
  return { approverId, stepId: "institutions", version, decision, comment: "", decidedAt: "2023-05-01T00:00:00Z" };
}

const wait = (decisions: ApprovalDecision[], now = BEFORE) =>
  approvalWaitEnds({ stepId: "institutions", approverId: "hro-head", version: 1, decisions, deadline: DEADLINE, now });

describe("an approver's wait when RequestApproval begins it", () => {
  it("asks an undecided approver before the deadline, whatever the others approved", () => {
    expect(wait([])).toBeUndefined();
    expect(wait([decided("nortec-head", "approve")])).toBeUndefined();
    // Decisions on another version do not count for this one.
    expect(wait([decided("hro-head", "approve", 2), decided("hsc-head", "request-changes", 2)])).toBeUndefined();
  });

  it("ends at once for an approver who decided", () => {
    expect(wait([decided("hro-head", "approve")])).toBe("decided");
    expect(wait([decided("hro-head", "request-changes")], new Date(DEADLINE))).toBe("decided");
  });

  it("ends at once when someone in the step asked for changes: nobody is asked to approve that version", () => {
    expect(wait([decided("hsc-head", "request-changes")])).toBe("changes-requested");
  });

  it("ends at once from the deadline on: a link mailed then would be dead on arrival", () => {
    expect(wait([], new Date(Date.parse(DEADLINE) - 1))).toBeUndefined();
    expect(wait([], new Date(DEADLINE))).toBe("past-deadline");
  });
});

describe("a step whose deadline passed with approvers undecided", () => {
  const plan = referencePlan();
  const record = (dayMs: number, lateDecisions = 0): StepRecord => ({
    stepId: "institutions",
    startedAt: "2023-05-01T08:00:00.000Z",
    deadline: DEADLINE,
    proceededWithout: [],
    lateDecisions,
    dayMs,
  });
  const late = (step: StepRecord, latestVersion = 1) =>
    decideCirculation({
      approvals: plan.approvals,
      version: 1,
      latestVersion,
      steps: new Map([["institutions", step]]),
      decisions: [decided("hro-head", "approve")],
      now: new Date(DEADLINE),
    });

  it("asks the secretariat, and looks again after three of the step's days if it has not decided", () => {
    expect(late(record(86_400_000))).toMatchObject({
      kind: "late",
      late: ["nortec-head", "hsc-head", "hokuyo-head", "dogin-head"],
      asked: 1,
      waitSeconds: 3 * 86_400,
    });
    // A step tried out in seconds looks again in seconds.
    expect(late(record(1000))).toMatchObject({ kind: "late", waitSeconds: 3 });
  });

  it("asks about the same decision when it looks again (the same link), and ends once a newer version exists", () => {
    expect(late(record(1000))).toMatchObject({ asked: 1 });
    expect(late(record(1000, 1))).toMatchObject({ asked: 2 });
    expect(late(record(1000), 2)).toEqual({ kind: "superseded" });
  });
});
