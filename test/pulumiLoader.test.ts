/**
 * `pulumi up` loads index.ts with its own vendored ts-node, not with tsx or vitest. This runs that
 * loader on the program, so a construct it cannot transpile fails here rather than on a reader's
 * machine.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/mockRun";

it("index.ts loads under Pulumi's own TypeScript loader and exports the chapter's outputs", () => {
  const script = path.join(PROJECT_DIR, "test", "fixtures", "load-like-pulumi.js");
  const r = spawnSync(process.execPath, [script, PROJECT_DIR], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const { ms, outputs } = JSON.parse(r.stdout);
  expect(outputs).toEqual(
    expect.arrayContaining(["chapter", "replicaSet", "rollout", "blueGreen"]),
  );
  console.log(`program loaded and built in ${ms} ms`);
});
