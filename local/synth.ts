import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../domain/plan.ts";
import { buildApp } from "../infra/app.ts";
import type { Assembly, Template } from "./template.ts";

/**
 * Synthesizes the CDK app in process, exactly as `cdk synth` would but without bundling (the local stack runs the
 * handlers from source), with the plans the local stack loaded, and returns each stack's template.
 */
export function synthesize(plans?: readonly Plan[]): Assembly {
  const outdir = mkdtempSync(join(tmpdir(), "pdca-synth-"));
  try {
    const { app } = buildApp({ skipBundling: true, nag: false, outdir, plans });
    const assembly = app.synth();
    return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.template as Template]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
