/**
 * `npm run lab -- <stack> <command>`: the Pulumi CLI with a local state folder, a default
 * passphrase and no login. A stand-in CLI records how it is called.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { PROJECT_DIR } from "../tools/mockRun";
import { runTool } from "./cli";

const launcherVersion = JSON.parse(
  fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "pulumi", "package.json"), "utf8"),
).version;

const FAKE = `#!/bin/sh
{
  echo "ARGS $*"
  echo "BACKEND $PULUMI_BACKEND_URL"
  echo "PASSPHRASE $PULUMI_CONFIG_PASSPHRASE"
  echo "TRANSPILE_ONLY $PULUMI_NODEJS_TRANSPILE_ONLY"
  echo "CWD $(pwd)"
} >> "$FAKE_LOG"
`;

function fakeCli(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  fs.writeFileSync(file, FAKE, { mode: 0o755 });
  return file;
}

/** Runs the wrapper with a PATH that has node and the shell but no Pulumi CLI. */
async function lab(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-"));
  const log = path.join(home, "calls.log");
  // Where the `pulumi` npm package keeps the CLI it downloads; a stand-in is placed there.
  fakeCli(path.join(home, "versions", launcherVersion, "bin"));
  const env: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
    HOME: home,
    PULUMI_HOME: home,
    FAKE_LOG: log,
    ...extra,
  };
  const result = await runTool("lab", args, env);
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
  return { ...result, calls, home };
}

describe("npm run lab", () => {
  it("selects or creates the stack, then runs the command with the default passphrase", async () => {
    const r = await lab(["dev", "preview", "--diff"]);
    expect(r.code).toBe(0);
    const args = r.calls.split("\n").filter((l) => l.startsWith("ARGS "));
    expect(args).toEqual([
      "ARGS stack select --create --secrets-provider passphrase dev",
      "ARGS preview --diff",
    ]);
    expect(r.calls).toContain("PASSPHRASE k8sinfra-lab");
    expect(r.calls).toContain("TRANSPILE_ONLY true");
    // Pulumi.yaml's relative backend URL resolves against this folder.
    expect(r.calls).toContain(`CWD ${PROJECT_DIR}`);
  }, 30_000);

  it("keeps the state in .pulumi-state/ of the project, a folder every clone has and git ignores", () => {
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    expect(project.backend).toEqual({ url: "file://.pulumi-state" });
    const ignore = fs.readFileSync(path.join(PROJECT_DIR, ".pulumi-state", ".gitignore"), "utf8");
    expect(ignore.split("\n")).toEqual(expect.arrayContaining(["*", "!.gitignore"]));
  });

  it("keeps a passphrase and a backend the reader set", async () => {
    const r = await lab(["practice", "up"], {
      PULUMI_CONFIG_PASSPHRASE: "mine",
      PULUMI_BACKEND_URL: "file:///tmp/elsewhere",
    });
    expect(r.calls).toContain("PASSPHRASE mine");
    expect(r.calls).toContain("BACKEND file:///tmp/elsewhere");
    expect(r.calls).not.toContain("k8sinfra-lab");
  }, 30_000);

  it("prefers a Pulumi CLI already on PATH", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "bin-"));
    fakeCli(bin);
    const log = path.join(bin, "path.log");
    const r = await lab(["dev", "stack", "output"], {
      PATH: [bin, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
      FAKE_LOG: log,
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(log, "utf8")).toContain("ARGS stack output");
  }, 30_000);

  it("without a command it prints the usage and the stacks", async () => {
    const r = await lab(["dev"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: npm run lab -- <stack> <pulumi command>");
    expect(r.stderr).toMatch(/stacks: .*dev.*practice/);
    expect(r.calls).toBe("");
  }, 30_000);
});
