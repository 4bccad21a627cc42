import { NotFoundError } from "../../../domain/errors.ts";
import { keys } from "../../../domain/keys.ts";
import type { Plan } from "../../../domain/plan.ts";
import type { SingleTable } from "./single-table.ts";

/** Plan definitions (連携支援計画), one item each. */
export class PlanStore {
  constructor(private readonly table: SingleTable) {}

  /** Stores or replaces a plan definition. */
  async putPlan(plan: Plan): Promise<void> {
    await this.table.put({ ...keys.plan(plan.id), type: "plan", plan });
  }

  /** The plan, or NotFoundError. */
  async getPlan(planId: string): Promise<Plan> {
    const item = await this.table.get(keys.plan(planId));
    if (!item) throw new NotFoundError(`Plan ${planId}`);
    return item.plan as Plan;
  }
}
