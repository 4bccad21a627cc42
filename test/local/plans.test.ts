import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { MAX_INSTITUTIONS } from "../../domain/plan.ts";
import { loadPlans } from "../../infra/app.ts";
import { startBanner } from "../../local/cli/start.ts";
import type { LocalStack } from "../../local/stack.ts";
import { UsageError } from "../../local/usage-error.ts";
import { REFERENCE_PLAN_FILE } from "../fixtures/plans.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// A plans/ folder with one broken file: the deploy path (cdk synth) refuses it; the local stack starts with the
// valid plans and shows the broken file's errors, each wrong field named, at start and on its status page.

/** The message for a plan over the cap, as the schema words it. */
const LIMIT = `支援機関は${MAX_INSTITUTIONS}件までです`;

let plansDir: string;
let onlyBrokenDir: string;
let stack: LocalStack;

/** The reference plan with more institutions than the schema allows, and no approvers of its own. */
function tooManyInstitutions(): string {
  const plan = parse(readFileSync(REFERENCE_PLAN_FILE, "utf8"));
  const [lead] = plan.institutions;
  plan.id = "too-many-institutions";
  delete plan.approvals;
  plan.institutions = Array.from({ length: MAX_INSTITUTIONS + 1 }, (_, index) => ({
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
    expect(() => loadPlans(plansDir)).toThrow(new RegExp(`${LIMIT}\\n\\s+institutions: [^\\n]*${MAX_INSTITUTIONS}`));
  });

  it("is left out of the local stack, which starts with the valid plans", async () => {
    expect(stack.plans.map((plan) => plan.id)).toEqual([PLAN_ID]);
    expect(stack.brokenPlans).toHaveLength(1);
    expect(stack.brokenPlans[0]?.file).toMatch(/too-many\.yaml$/);
    expect(stack.brokenPlans[0]?.errors).toEqual([expect.objectContaining({ path: "institutions", ja: LIMIT })]);
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
      new RegExp(
        `too-many\\.yaml（1件の誤り / 1 error）\\n\\s+・${LIMIT}\\n\\s+institutions: [^\\n]*${MAX_INSTITUTIONS}`,
      ),
    );

    const page = await (await fetch(stack.urls.status)).text();
    expect(page).toContain("読み込めなかった計画ファイル");
    expect(page).toContain("too-many.yaml");
    expect(page).toContain(LIMIT);
    expect(page).toMatch(new RegExp(`<code>institutions</code>: [^<]*${MAX_INSTITUTIONS}`));
  });

  it("refuses to start the local stack when no plan file is valid, with the errors", async () => {
    const refused = startTestStack(undefined, { plansDirectory: onlyBrokenDir });
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(new RegExp(`使える計画ファイルがないため[\\s\\S]*${LIMIT}`));
  });
});
