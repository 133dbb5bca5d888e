import { availableParallelism } from "node:os";
import * as path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi runtime keeps one global store, so tests run one after another inside each worker
    // process; every stack run resets the mocks and the config. Files in a worker share its module
    // cache (isolate: false), so the Pulumi SDKs load once per worker rather than once per file.
    pool: "forks",
    isolate: false,
    // One worker per core, not vitest's one fewer: many tests wait on the processes they start
    // (npm run lab, node scripts under stand-in tools, racing claims), so on 2 cores the suite takes
    // 83 s with two workers and 127 s with one.
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
    // Messages follow the reader's locale; the tests that expect English must get it on a Korean
    // machine too (the Korean ones set their locale themselves).
    env: {
      LC_ALL: "C.UTF-8",
      // Stacks in kubeconfig mode without lab:cluster.kubeconfig read $KUBECONFIG, as on a reader's
      // machine with a cluster; the tests of the machine without one unset it themselves.
      KUBECONFIG: path.join(import.meta.dirname, "test", "fixtures", "kubeconfig.yaml"),
    },
    reporters: ["default"],
  },
});
