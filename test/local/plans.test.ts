import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadPlans } from "../../infra/app.ts";
import { startBanner } from "../../local/cli/start.ts";
import type { LocalStack } from "../../local/stack.ts";
import { UsageError } from "../../local/usage-error.ts";
import { REFERENCE_PLAN_FILE } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// A plans/ folder with one broken file: the deploy path (cdk synth) refuses it; the local stack starts with the
// valid plans and shows the broken file's errors, each wrong field named, at start and on its status page.

let plansDir: string;
let onlyBrokenDir: string;
let stack: LocalStack;

/** The reference plan with more institutions than the schema allows (200). */
function tooManyInstitutions(): string {
  const plan = parse(readFileSync(REFERENCE_PLAN_FILE, "utf8"));
  const [lead] = plan.institutions;
  plan.id = "too-many-institutions";
  plan.institutions = Array.from({ length: 201 }, (_, index) => ({
    ...lead,
    id: `inst-${index + 1}`,
    lead: index === 0,
  }));
  return stringify(plan, { aliasDuplicateObjects: false });
}

beforeAll(async () => {
  plansDir = mkdtempSync(join(tmpdir(), "pdca-plans-"));
  copyFileSync(REFERENCE_PLAN_FILE, join(plansDir, "hokkaido-kita-no-monozukuri.yaml"));
  writeFileSync(join(plansDir, "too-many.yaml"), tooManyInstitutions());
  onlyBrokenDir = mkdtempSync(join(tmpdir(), "pdca-plans-broken-"));
  writeFileSync(join(onlyBrokenDir, "too-many.yaml"), tooManyInstitutions());
  stack = await startTestStack(undefined, { plansDirectory: plansDir });
});
afterAll(async () => {
  await stack?.stop();
  for (const dir of [plansDir, onlyBrokenDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a broken plan file", () => {
  it("stops the synth, and so a deploy, naming the file and the field", () => {
    expect(() => loadPlans(plansDir)).toThrow(/合成（cdk synth）を中止しました/);
    expect(() => loadPlans(plansDir)).toThrow(/too-many\.yaml/);
    expect(() => loadPlans(plansDir)).toThrow(/支援機関は200件までです\n\s+institutions: [^\n]*200/);
  });

  it("is left out of the local stack, which starts with the valid plans", async () => {
    expect(stack.plans.map((plan) => plan.id)).toEqual([PLAN_ID]);
    expect(stack.brokenPlans).toHaveLength(1);
    expect(stack.brokenPlans[0]?.file).toMatch(/too-many\.yaml$/);
    expect(stack.brokenPlans[0]?.errors).toEqual([
      expect.objectContaining({ path: "institutions", ja: "支援機関は200件までです" }),
    ]);
    const started = await stack.startRound({
      planId: PLAN_ID,
      fiscalYear: 2020,
      quarter: 1,
      deadline: new Date(Date.now() + 60 * 60_000).toISOString(),
    });
    expect(started.name).toBe(`${PLAN_ID}-2020-Q1`);
  });

  it("shows its errors in Japanese and English at start and on the status page", async () => {
    const banner = startBanner(stack, ".local");
    expect(banner).toContain("読み込めなかった計画ファイル（ほかの計画は使えます） / plan files left out");
    expect(banner).toMatch(
      /too-many\.yaml（1件の誤り \/ 1 error）\n\s+・支援機関は200件までです\n\s+institutions: [^\n]*200/,
    );

    const page = await (await fetch(stack.urls.status)).text();
    expect(page).toContain("読み込めなかった計画ファイル");
    expect(page).toContain("too-many.yaml");
    expect(page).toContain("支援機関は200件までです");
    expect(page).toMatch(/<code>institutions<\/code>: [^<]*200/);
  });

  it("refuses to start the local stack when no plan file is valid, with the errors", async () => {
    const refused = startTestStack(undefined, { plansDirectory: onlyBrokenDir });
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(/使える計画ファイルがないため[\s\S]*支援機関は200件までです/);
  });
});
