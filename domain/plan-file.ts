import { parse } from "yaml";
import type { Plan } from "./plan.ts";
import { checkPlan } from "./plan.ts";
import type { Checked } from "./validation.ts";

/** Parses a plan file's text (YAML or JSON, JSON being YAML) and checks it; a syntax error is one named error. */
export function parsePlanText(text: string): Checked<Plan> {
  let content: unknown;
  try {
    content = parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [
        {
          path: "",
          ja: `ファイルを読み取れません（YAML/JSONの書式の誤り）：${message}`,
          en: `Cannot parse the file: ${message}`,
        },
      ],
    };
  }
  return checkPlan(content);
}
