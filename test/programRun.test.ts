/**
 * The program as `pulumi preview` starts it: through @pulumi/pulumi's cmd/run, the entry the Node.js
 * language host runs, with the mock monitor in place of the engine. What a reader sees under a
 * configuration error is the message alone.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/mockRun";
import { outputOf } from "./cli";

/** Runs the program of `stack` with these settings as Pulumi's own entry point runs it. */
function runLikePulumi(stack: string, settings: Record<string, string>) {
  const script = path.join(PROJECT_DIR, "test", "fixtures", "run-like-pulumi.js");
  const started = Date.now();
  const child = spawn(process.execPath, [script, PROJECT_DIR, stack, JSON.stringify(settings)], {
    env: { ...process.env, LC_ALL: "C.UTF-8" },
  });
  return outputOf(child).then(({ code, stdout, stderr }) => {
    const last = stdout.trim().split("\n").pop() ?? "{}";
    const registered: string[] = JSON.parse(last).registered ?? [];
    return { code, stderr, registered, ms: Date.now() - started };
  });
}

describe("the program under Pulumi's own entry point", () => {
  it("a bad value stops with the message alone, without Node's PromiseRejectionHandledWarning", async () => {
    // cmd/run's run.js (@pulumi/pulumi 3.248.0) requires the program, then awaits an asynchronous
    // check of the project's files (containsTSAndJSModules) before it awaits the export: a promise
    // exported already rejected waited there without a handler, and Node warned once Pulumi
    // attached one.
    const r = await runLikePulumi("practice", {
      "lab:cluster.mode": "render",
      "lab:practice.activeColor": "purple",
    });
    expect(r.stderr).toContain(
      'lab:practice.activeColor: must be one of: blue, green (got "purple")',
    );
    expect(r.stderr).not.toContain("PromiseRejectionHandledWarning");
    expect(r.stderr).not.toContain("--trace-warnings");
    expect(r.code).not.toBe(0);
    // Pulumi also formats the error with util.inspect in colour; an error whose stack runs through
    // the SDK's own frames (mapped to node_modules/@pulumi/resource.ts) sends Node 20.19.6+ into
    // an endless loop until memory runs out (nodejs/node#64011, fixed by #64022): 38 s here.
    expect(r.ms).toBeLessThan(20_000);
    // Only the stack itself, which Pulumi registers before it runs the program.
    expect(r.registered).toEqual(["pulumi:pulumi:Stack"]);
  }, 60_000);

  it("a good configuration runs to the end through the same entry point", async () => {
    const r = await runLikePulumi("practice", { "lab:cluster.mode": "render" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.registered).toContain("kubernetes:apps/v1:Deployment");
  }, 60_000);
});
