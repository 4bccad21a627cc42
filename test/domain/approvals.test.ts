import { describe, expect, it } from "vitest";
import {
  type ApprovalDecision,
  approvalDecisionInputSchema,
  approvalDecisionLabels,
  mayProceedWithout,
  stepOutcome,
} from "../../domain/approvals.ts";
import { checkPlan } from "../../domain/plan.ts";
import { check } from "../../domain/validation.ts";
import { referencePlan } from "../fixtures/plans.ts";

const plan = referencePlan();
const [institutions, final] = plan.approvals?.steps ?? [];
if (!institutions || !final) throw new Error("fixture: the reference plan has two approval steps");

function decided(approverId: string, decision: ApprovalDecision["decision"], version = 1): ApprovalDecision {
  return { approverId, stepId: "institutions", version, decision, comment: "", decidedAt: "2023-05-01T00:00:00Z" };
}

describe("the plan's approvals", () => {
  it("are every institution's head in parallel, then the secretariat's head", () => {
    expect(institutions.approvers.map((approver) => approver.institutionId)).toEqual(
      plan.institutions.map((institution) => institution.id),
    );
    expect(final.approvers.map((approver) => approver.id)).toEqual(["secretariat-head"]);
  });

  it("refuse an approver named twice or standing for an institution the plan lacks, naming each", () => {
    const broken = structuredClone(plan) as unknown as {
      approvals: { steps: Array<{ approvers: Array<Record<string, unknown>> }> };
    };
    const approvers = broken.approvals.steps[0]?.approvers ?? [];
    if (approvers[1]) approvers[1].id = approvers[0]?.id;
    if (approvers[2]) approvers[2].institutionId = "nowhere";
    const checked = checkPlan(broken);
    expect(checked.ok ? [] : checked.errors.map((error) => [error.path, error.ja])).toEqual([
      ["approvals.steps.0.approvers.1.id", "承認ステップ1の承認者2のIDが重複しています"],
      [
        "approvals.steps.0.approvers.2.institutionId",
        "承認ステップ1の承認者3の支援機関（nowhere）は計画の支援機関にありません",
      ],
    ]);
  });
});

describe("where a step stands", () => {
  it("waits for whoever has not decided, and is approved once everyone has", () => {
    const some = [decided("hro-head", "approve"), decided("nortec-head", "approve")];
    expect(stepOutcome(institutions, 1, some)).toEqual({
      kind: "waiting",
      undecided: ["hsc-head", "hokuyo-head", "dogin-head"],
    });
    const all = institutions.approvers.map((approver) => decided(approver.id, "approve"));
    expect(stepOutcome(institutions, 1, all)).toEqual({ kind: "approved" });
    // Decisions on another version do not count for this one.
    expect(stepOutcome(institutions, 2, all).kind).toBe("waiting");
  });

  it("asks for changes as soon as one approver does, and can go on without those the secretariat let go", () => {
    const one = [decided("hro-head", "approve"), decided("hsc-head", "request-changes")];
    expect(stepOutcome(institutions, 1, one)).toMatchObject({ kind: "changes-requested", requests: [one[1]] });
    const approvedByFour = institutions.approvers.slice(0, 4).map((approver) => decided(approver.id, "approve"));
    expect(stepOutcome(institutions, 1, approvedByFour, ["dogin-head"])).toEqual({ kind: "approved" });
  });

  it("is not approved by going on without everyone: a step nobody approved still waits for all of them", () => {
    const everyone = institutions.approvers.map((approver) => approver.id);
    expect(stepOutcome(institutions, 1, [], everyone)).toEqual({ kind: "waiting", undecided: everyone });
  });
});

describe("going on without late approvers", () => {
  const steps = [institutions, final];
  it("is allowed in an earlier step once someone in it approved this version", () => {
    expect(mayProceedWithout(steps, "institutions", 1, [decided("hro-head", "approve")])).toBe(true);
    // An approval of another version, or none at all, does not open it.
    expect(mayProceedWithout(steps, "institutions", 2, [decided("hro-head", "approve")])).toBe(false);
    expect(mayProceedWithout(steps, "institutions", 1, [])).toBe(false);
  });

  it("is never allowed in the last step: the final approval is the approver's own", () => {
    const finalApproved = [{ ...decided("secretariat-head", "approve"), stepId: "final" }];
    expect(mayProceedWithout(steps, "final", 1, finalApproved)).toBe(false);
    expect(mayProceedWithout(steps, "nowhere", 1, [])).toBe(false);
  });
});

describe("an approver's decision", () => {
  it("needs a comment when asking for changes, and none to approve", () => {
    const labels = approvalDecisionLabels;
    expect(check(approvalDecisionInputSchema, { decision: "approve" }, labels)).toEqual({
      ok: true,
      value: { decision: "approve", comment: "" },
    });
    const refused = check(approvalDecisionInputSchema, { decision: "request-changes", comment: "  " }, labels);
    expect(refused.ok ? [] : refused.errors.map((error) => error.ja)).toEqual([
      "コメントを入力してください（修正を求める点を書いてください）",
    ]);
    const missing = check(approvalDecisionInputSchema, {}, labels);
    expect(missing.ok ? [] : missing.errors.map((error) => error.ja)).toEqual(["判断を選んでください"]);
  });
});
