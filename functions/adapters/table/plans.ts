import { NotFoundError } from "../../../domain/errors.ts";
import { keys } from "../../../domain/keys.ts";
import type { Plan } from "../../../domain/plan.ts";
import type { SingleTable } from "./single-table.ts";

/** Plan definitions (連携支援計画), one item each. */
export class PlanStore {
  constructor(private readonly table: SingleTable) {}

  /** Stores or replaces a plan definition, then its entry in the list of plans (both idempotent: a retried deploy mends a half-done one). */
  async putPlan(plan: Plan): Promise<void> {
    await this.table.put({ ...keys.plan(plan.id), type: "plan", plan });
    await this.table.put({ ...keys.planListed(plan.id), type: "plan-listed", plan });
  }

  /** Every plan, in id order (a handful: one Query on the list, never a Scan). */
  async listPlans(): Promise<Plan[]> {
    const items = await this.table.queryPrefix(keys.plansListPrefix(), { consistent: true });
    return items.map((item) => item.plan as Plan);
  }

  /** The plan, or NotFoundError. */
  async getPlan(planId: string): Promise<Plan> {
    const item = await this.table.get(keys.plan(planId));
    if (!item) throw new NotFoundError(`Plan ${planId}`);
    return item.plan as Plan;
  }
}
