import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../functions/catalog.ts";
import { PROJECT_ROOT } from "../infra/app.ts";

function filesUnder(directory: string): string[] {
  return readdirSync(join(PROJECT_ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)));
}

// An import or re-export statement (type-only ones included) up to its module, or a dynamic import().
const IMPORT =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)\s+from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function importsOf(file: string): string[] {
  const source = readFileSync(join(PROJECT_ROOT, file), "utf8");
  return [...source.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

/** The project file a relative specifier names, or null for a package or node: module. */
function resolveImport(file: string, specifier: string): string | null {
  return specifier.startsWith(".") ? normalize(join(dirname(file), specifier)) : null;
}

/**
 * Every import circle among `files`, each as the path that closes it (a → b → a), found by a depth-first walk
 * that keeps the modules on the current path: an import of one of them closes a circle.
 */
function importCircles(files: readonly string[]): string[][] {
  const edges = new Map(
    files.map((file) => [
      file,
      importsOf(file)
        .map((specifier) => resolveImport(file, specifier))
        .filter((target): target is string => target !== null && files.includes(target)),
    ]),
  );
  const circles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const onPath = path.indexOf(file);
    if (onPath >= 0) {
      circles.push([...path.slice(onPath), file]);
      return;
    }
    if (done.has(file)) return;
    path.push(file);
    for (const target of edges.get(file) ?? []) visit(target);
    path.pop();
    done.add(file);
  };
  for (const file of [...files].sort()) visit(file);
  return circles;
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

  it("has no import circle among domain/ modules, type-only imports included", () => {
    const domainFiles = filesUnder("domain");
    // The walk itself must see edges, or an empty result would prove nothing.
    expect(importsOf("domain/plan.ts")).toContain("./indicators.ts");
    expect(importCircles(domainFiles).map((circle) => circle.join(" → "))).toEqual([]);
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
