import { CustomResource } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Provider } from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import type { Plan } from "../../domain/plan.ts";

export interface PlanDataProps {
  /** The plans to write into the table, one custom resource each. */
  readonly plans: readonly Plan[];
  /** The catalog's putPlan function, which writes one plan. */
  readonly putPlan: IFunction;
}

/** The custom resource type of a deployed plan; the local stack plays every resource of it. */
export const PLAN_RESOURCE_TYPE = "Custom::PdcaPlan";

/**
 * The plan files as deployed data: one custom resource per plan, handled by the catalog's putPlan through CDK's
 * provider framework. A changed file changes the resource's properties, so CloudFormation updates the stored plan; a
 * removed file deletes the resource, and putPlan keeps the plan, because rounds refer to it.
 */
export class PlanData extends Construct {
  readonly provider: Provider;

  constructor(scope: Construct, id: string, props: PlanDataProps) {
    super(scope, id);
    this.provider = new Provider(this, "Provider", {
      onEventHandler: props.putPlan,
      logGroup: new LogGroup(this, "ProviderLogs", { retention: RetentionDays.SIX_MONTHS }),
    });
    for (const plan of props.plans)
      new CustomResource(this, `Plan-${plan.id}`, {
        serviceToken: this.provider.serviceToken,
        resourceType: PLAN_RESOURCE_TYPE,
        properties: { PlanId: plan.id, Plan: JSON.stringify(plan) },
      });
  }
}
