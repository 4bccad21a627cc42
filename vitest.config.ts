import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/engines.ts"],
    setupFiles: ["test/setup/env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one on this 2-core machine, so the files ran one after
    // another. Most of a file's time is spent waiting (on the engines, the workflows' timers, a browser), so three
    // files at once share the two cores well; measured below in the PR note.
    maxWorkers: 3,
  },
});
