import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../functions/catalog.ts";
import { PROJECT_ROOT } from "../infra/app.ts";

function filesUnder(directory: string): string[] {
  return readdirSync(join(PROJECT_ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const source = readFileSync(join(PROJECT_ROOT, file), "utf8");
  return [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1] ?? match[2] ?? "");
}

describe("layering (DESIGN.md §4)", () => {
  it("keeps domain/ pure: no AWS, CDK or middy import, no I/O module, no clock or randomness", () => {
    const offending: string[] = [];
    for (const file of filesUnder("domain")) {
      for (const specifier of importsOf(file))
        if (
          /^(@aws-sdk|aws-cdk-lib|@middy|@aws-lambda-powertools|node:fs|node:http|node:net|node:child_process)/.test(
            specifier,
          ) ||
          /^\.\.\/(\.\.\/)?(functions|workflows|infra|local)\//.test(specifier)
        )
          offending.push(`${file} imports ${specifier}`);
      const source = readFileSync(join(PROJECT_ROOT, file), "utf8");
      if (/new Date\(\)|Date\.now\(\)|Math\.random\(|randomBytes|randomUUID/.test(source))
        offending.push(`${file} reads the clock or randomness`);
    }
    expect(offending).toEqual([]);
  });

  it("lets nothing in domain/ or functions/ import local/ (handlers reach local engines only by endpoint)", () => {
    const offending = [...filesUnder("domain"), ...filesUnder("functions")].flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes("/local/") || specifier.startsWith("../local"))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("lists every handler file in functions/ in the catalog, and nothing else", () => {
    const handlerFiles = filesUnder("functions")
      .filter(
        (file) =>
          !/^functions\/(adapters|http|use-cases)\//.test(file) &&
          file !== "functions/catalog.ts" &&
          file !== "functions/middleware.ts",
      )
      .sort();
    const listed = Object.values(catalog)
      .map((entry) => entry.entry)
      .sort();
    expect(listed).toEqual(handlerFiles);
    for (const file of handlerFiles)
      expect(readFileSync(join(PROJECT_ROOT, file), "utf8")).toMatch(/export const handler = middy/);
  });
});
