import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Plan } from "../../domain/plan.ts";
import { type CustomResourceCall, playCustomResources } from "../../local/custom-resources.ts";
import { synthesize } from "../../local/synth.ts";
import { TemplateResolver } from "../../local/template.ts";
import { referencePlan } from "../fixtures/plans.ts";

// The local "deploy" of the template's custom resources, as CloudFormation would run them across deploys. The
// handler is recorded here instead of run (every local stack start runs the real one: putPlan writes the plans).

const directory = mkdtempSync(join(tmpdir(), "pdca-deployed-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function deploy(plans: Plan[], stateFile: string) {
  const events: Array<Record<string, unknown>> = [];
  const calls: CustomResourceCall[] = await playCustomResources({
    resolver: new TemplateResolver(synthesize(plans), { prefix: "" }),
    prefix: "",
    invoke: async (arn, event) => {
      events.push({ arn, ...(event as Record<string, unknown>) });
      return {
        PhysicalResourceId: `plan:${(event as { ResourceProperties: { PlanId: string } }).ResourceProperties.PlanId}`,
      };
    },
    stateFile,
  });
  return { calls, events };
}

describe("playing the template's custom resources", () => {
  it("creates, leaves alone, updates with the old properties, and deletes, as deploys would", async () => {
    const stateFile = join(directory, "deployed.json");
    const plan = referencePlan();
    const first = await deploy([plan], stateFile);
    expect(first.calls.map((call) => [call.requestType, call.type])).toEqual([["Create", "Custom::PdcaPlan"]]);
    // The provider framework's function relays to putPlan: the event goes to putPlan's own function.
    expect(String(first.events[0]?.arn)).toMatch(/:function:PdcaService-PutPlanFunction/);
    const created = first.events[0]?.ResourceProperties as { Plan: string } | undefined;
    expect(JSON.parse(String(created?.Plan))).toMatchObject({
      id: plan.id,
    });

    expect((await deploy([plan], stateFile)).calls).toEqual([]);

    const renamed = { ...plan, name: `${plan.name}（改定）` };
    const update = await deploy([renamed], stateFile);
    expect(update.calls.map((call) => call.requestType)).toEqual(["Update"]);
    expect(update.events[0]).toMatchObject({ PhysicalResourceId: `plan:${plan.id}` });
    const old = update.events[0]?.OldResourceProperties as { Plan: string } | undefined;
    expect(JSON.parse(String(old?.Plan)).name).toBe(plan.name);

    const other = { ...plan, id: "another-plan" };
    const replaced = await deploy([other], stateFile);
    expect(replaced.calls.map((call) => call.requestType).sort()).toEqual(["Create", "Delete"]);
  }, 60_000);
});
