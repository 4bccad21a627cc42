import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { leadInstitution } from "../../domain/plan.ts";
import { parsePlanText } from "../../domain/plan-file.ts";
import { REFERENCE_PLAN_FILE, referencePlan } from "../fixtures/plans.ts";

describe("plan file", () => {
  it("holds seed 001's five institutions, lead 道総研, and its three fields", () => {
    const plan = referencePlan();
    expect(plan.institutions.map((institution) => institution.shortName)).toEqual([
      "道総研",
      "ノーステック財団",
      "中小企業総合支援センター",
      "北洋銀行",
      "北海道銀行",
    ]);
    expect(leadInstitution(plan).shortName).toBe("道総研");
    expect(plan.secretariat.name).toContain("ものづくり支援センター");
    expect(plan.fields.map((field) => field.name)).toEqual(["食料品製造関連", "ものづくり関連", "IT（情報技術）関連"]);
    expect(plan.period).toEqual({ firstFiscalYear: 2017, lastFiscalYear: 2022 });
    expect(
      plan.institutions
        .flatMap((institution) => institution.contacts.map((contact) => contact.email))
        .every((email) => email.endsWith("@example.jp")),
    ).toBe(true);
  });

  it("names each wrong field of a broken plan", () => {
    const content = parse(readFileSync(REFERENCE_PLAN_FILE, "utf8"));
    content.institutions[1].lead = true;
    content.institutions[2].contacts[0].email = "not-an-address";
    content.municipalities[0].fields.push("fishing");
    content.targets.firstTargetYear = 2030;
    const checked = parsePlanText(JSON.stringify(content));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((error) => error.path).sort()).toEqual(
      [
        "institutions",
        "institutions.2.contacts.0.email",
        "municipalities.0.fields.3",
        "targets.firstTargetYear",
      ].sort(),
    );
    expect(checked.errors.find((error) => error.path === "institutions")?.ja).toBe(
      "支援機関の代表機関（lead: true）はちょうど1つにしてください（現在2）",
    );
  });

  it("reports a YAML syntax error as one clear error instead of throwing", () => {
    const checked = parsePlanText("id: [unclosed");
    expect(checked.ok).toBe(false);
    expect(checked.ok ? "" : checked.errors[0]?.ja).toMatch(/^ファイルを読み取れません/);
  });
});
