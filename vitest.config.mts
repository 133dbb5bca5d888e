import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi runtime keeps one global store, so tests run one after another inside each worker
    // process; every stack run resets the mocks and the config. Files in a worker share its module
    // cache (isolate: false), so the Pulumi SDKs load once per worker rather than once per file.
    pool: "forks",
    isolate: false,
    testTimeout: 30_000,
    reporters: ["default"],
  },
});
