import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file drives the Pulumi runtime's single global store, so files run in their own
    // processes and the tests inside a file run one after another.
    pool: "forks",
    testTimeout: 30_000,
    reporters: ["default"],
  },
});
