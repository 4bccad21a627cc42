import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";
import { NAMED_ERRORS, PERMANENT_ERRORS } from "../../workflows/errors.ts";

/** Every `class X extends Y` in the shipped source, as child → parent. */
function errorClassTree(): Map<string, string> {
  const tree = new Map<string, string>();
  for (const directory of ["domain", "functions", "workflows"])
    for (const entry of readdirSync(join(PROJECT_ROOT, directory), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
      const source = readFileSync(join(entry.parentPath, entry.name), "utf8");
      for (const match of source.matchAll(/class (\w+) extends (\w+)/g))
        tree.set(match[1] as string, `${match[2]} (${relative(PROJECT_ROOT, join(entry.parentPath, entry.name))})`);
    }
  return tree;
}

describe("the workflows' retry rules", () => {
  it("list every DomainError subclass in the tree, each saying for itself whether a retry can help", () => {
    const tree = errorClassTree();
    const descendsFromDomainError = (name: string): boolean => {
      const parent = tree.get(name)?.split(" ")[0];
      return parent === "DomainError" || (parent !== undefined && descendsFromDomainError(parent));
    };
    const found = [...tree.keys()].filter(descendsFromDomainError).sort();
    const listed = NAMED_ERRORS.map((error) => error.name).filter((name) => name !== "DomainError");
    expect(found.length).toBeGreaterThanOrEqual(10);
    expect(listed.sort()).toEqual(found);
    for (const error of NAMED_ERRORS) expect(Object.hasOwn(error, "permanent"), error.name).toBe(true);
  });

  it("never retry a wrong input, and retry a lost race", () => {
    expect(PERMANENT_ERRORS).toEqual(
      expect.arrayContaining([
        "InvalidInputError",
        "NotFoundError",
        "ReviewInputError",
        "ReportPathError",
        "ChartLoadRefusedError",
      ]),
    );
    expect(PERMANENT_ERRORS).not.toContain("ConflictError");
    expect(PERMANENT_ERRORS).not.toContain("SubmissionKeyUsedError");
  });
});
