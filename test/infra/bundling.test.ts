import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/app.ts";
import { sharedEsbuildOptions } from "../../infra/bundling.ts";

describe("function bundles", () => {
  it("keep error class names through minification, so Step Functions' Retry and Catch can match them", async () => {
    const result = await build({
      ...sharedEsbuildOptions,
      stdin: {
        contents:
          'import { NotFoundError, InvalidInputError } from "./domain/errors.ts"; export const names = [new NotFoundError("x").name, new InvalidInputError([]).name];',
        resolveDir: PROJECT_ROOT,
        loader: "ts",
      },
      write: false,
      logLevel: "error",
    });
    const directory = mkdtempSync(join(tmpdir(), "pdca-bundle-"));
    try {
      const file = join(directory, "bundle.mjs");
      writeFileSync(file, result.outputFiles[0]?.text ?? "");
      const module = await import(pathToFileURL(file).href);
      expect(module.names).toEqual(["NotFoundError", "InvalidInputError"]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
