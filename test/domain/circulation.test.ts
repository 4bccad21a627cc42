import { describe, expect, it } from "vitest";
import type { ApprovalDecision } from "../../domain/approvals.ts";
import { approvalWaitEnds } from "../../domain/circulation.ts";

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
