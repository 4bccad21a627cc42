/**
 * How every function is bundled, in one place, so the stack and `bench/bundles.ts` build the same thing: one
 * minified ESM file for Node.js 22 with the AWS SDK v3 inside (the runtime's copy is not relied on, so the
 * version tested is the version deployed).
 */
export const BUNDLE_TARGET = "node22";

/** The banner that lets CommonJS dependencies `require` inside an ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __pdcaCreateRequire } from 'node:module'; const require = __pdcaCreateRequire(import.meta.url);";

/** esbuild options shared by the CDK bundling and the bundle benchmark. */
export const sharedEsbuildOptions = {
  bundle: true,
  minify: true,
  platform: "node" as const,
  format: "esm" as const,
  target: BUNDLE_TARGET,
  mainFields: ["module", "main"],
  banner: { js: ESM_REQUIRE_BANNER },
  external: [] as string[],
  legalComments: "none" as const,
  // Error classes are matched by name (Step Functions Retry/Catch, the form's error pages); minifying must not
  // rename them.
  keepNames: true,
};
