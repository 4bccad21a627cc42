import { describe, expect, it } from "vitest";
import { formRows } from "../../../domain/form.ts";
import { inputName, MAX_POSTED_FIELDS, readPostedForm } from "../../../domain/html/form-fields.ts";

function post(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}

describe("reading a posted form back", () => {
  it("rebuilds what the names written by inputName describe, rows keyed by the number the person saw", () => {
    const body = post([
      [inputName("submissionKey"), "k"],
      [inputName("cases.0.caseId"), "HKD-2020-001"],
      [inputName("cases.0.outcomes.salesYen"), "1,200,000"],
      [inputName("cases.2.businessName"), "株式会社 十勝フーズ & 帯広"],
      [inputName("counts.consultations"), "12"],
    ]);
    const posted = readPostedForm(body);
    expect(posted).toEqual({
      submissionKey: "k",
      cases: {
        0: { caseId: "HKD-2020-001", outcomes: { salesYen: "1,200,000" } },
        2: { businessName: "株式会社 十勝フーズ & 帯広" },
      },
      counts: { consultations: "12" },
    });
    expect(formRows(posted.cases)).toEqual([
      { caseId: "HKD-2020-001", outcomes: { salesYen: "1,200,000" } },
      {},
      { businessName: "株式会社 十勝フーズ & 帯広" },
    ]);
  });

  it("reads a checkbox group as the list of every ticked box, and a name posted twice as a list", () => {
    const posted = readPostedForm(
      "cases[0][supportKinds][]=market&cases[1][supportKinds][]=technical&cases[1][supportKinds][]=finance&a=1&a=2",
    );
    expect(posted).toEqual({
      cases: { 0: { supportKinds: ["market"] }, 1: { supportKinds: ["technical", "finance"] } },
      a: ["1", "2"],
    });
  });

  it("decodes what browsers send: + for a space, percent-encoded UTF-8, a lone % kept as typed", () => {
    expect(
      readPostedForm("narrative[issues]=%E8%AA%B2%E9%A1%8C+%E3%81%82%E3%82%8A&counts[consultations]=100%"),
    ).toEqual({ narrative: { issues: "課題 あり" }, counts: { consultations: "100%" } });
  });

  it("ignores names the form never writes, so nothing reaches an object's prototype", () => {
    const posted = readPostedForm(
      post([
        ["__proto__[polluted]", "1"],
        ["constructor[prototype][polluted]", "1"],
        ["cases[__proto__][polluted]", "1"],
        ["cases[0][a][b][c][d]", "too deep"],
        ["cases[01][caseId]", "leading zero"],
        ["cases[10000][caseId]", "row beyond the form"],
        ["cases[0]caseId", "no brackets"],
        ["counts", "3"],
        ["counts[consultations]", "clashes with the value above"],
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect(posted).toEqual({ constructor: { prototype: { polluted: "1" } }, counts: "3" });
    expect(Object.getPrototypeOf(posted)).toBe(Object.prototype);
  });

  it(`reads at most ${MAX_POSTED_FIELDS} fields`, () => {
    const fields = Array.from({ length: MAX_POSTED_FIELDS + 5 }, (_, index): [string, string] => [
      "a[]",
      String(index),
    ]);
    expect((readPostedForm(post(fields)).a as string[]).length).toBe(MAX_POSTED_FIELDS);
  });
});
