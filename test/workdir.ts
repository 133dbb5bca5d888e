/**
 * Builds a stack's Vagrant work folder on disk exactly as `pulumi up` would, by running the
 * recorded commands of its resources with the real `host/vm.js` and a stand-in `vagrant` that only
 * records its arguments. Then real tools (vagrant validate, shellcheck) can check the result.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../tools/mockRun";
import { type CapturedResource, reveal, type StackRun } from "./harness";

/** A folder where commands run as in the project: `host/` points to the project's. */
export function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-work-"));
  fs.symlinkSync(path.join(PROJECT_DIR, "host"), path.join(dir, "host"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "vagrant"), STANDIN_VAGRANT(path.join(dir, "vagrant.log")), {
    mode: 0o755,
  });
  return dir;
}

/**
 * A stand-in `vagrant` that records its arguments, and answers what `host/vm.js` asks after `up`:
 * the forwarded ports of the VM's definition (`vagrant port`) and a host key (`vagrant ssh -c`).
 */
export const STANDIN_VAGRANT = (log: string) => `#!/bin/sh
echo "$PWD vagrant $*" >> "${log}"
case "$1" in
  port) sed -n 's/.*guest: \\([0-9]*\\), host: \\([0-9]*\\).*/    \\1 (guest) => \\2 (host)/p' "nodes/$2.rb" ;;
  ssh) echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStandInHostKeyOf$(printf %s "$2" | tr -d -) root@$2" ;;
esac
`;

/** Runs one recorded command (`create`, `update` or `delete`) of a local.Command in `dir`. */
export function runCommand(
  dir: string,
  r: CapturedResource,
  which: "create" | "update" | "delete",
): Promise<string> {
  const inputs = reveal(r.inputs) as Record<string, string | undefined>;
  const cmd = inputs[which];
  if (!cmd) return Promise.reject(new Error(`${r.name} has no ${which} command`));
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", cmd], {
      cwd: dir,
      env: { ...process.env, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}` },
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stderr) : reject(new Error(`${r.name} ${which} failed: ${stderr}`)),
    );
    child.stdin.end(inputs.stdin ?? "");
  });
}

/**
 * Runs every local command's `create` in dependency order, as `pulumi up` does (independent ones at
 * once); returns the stack's work folder.
 */
export async function materialize(run: StackRun, dir = scratchProject()): Promise<string> {
  const local = run.resources.filter((r) => r.type === "command:local:Command");
  const urns = new Set(local.map((r) => r.urn));
  const done = new Set<string>();
  while (done.size < local.length) {
    const ready = local.filter(
      (r) => !done.has(r.urn) && r.dependsOn.every((d) => done.has(d) || !urns.has(d)),
    );
    if (ready.length === 0) throw new Error("dependency cycle among local commands");
    await Promise.all(ready.map((r) => runCommand(dir, r, "create")));
    for (const r of ready) done.add(r.urn);
  }
  return path.join(dir, ".lab", run.stack);
}

/** What the stand-in vagrant was asked to do, one line per call: `<cwd> vagrant <args>`. */
export function vagrantCalls(dir: string): string[] {
  const log = path.join(dir, "vagrant.log");
  return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
}

/** `vagrant validate` of a work folder (provider options are skipped: no VirtualBox here). */
export function vagrantValidate(
  workDir: string,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("vagrant", ["validate", "--ignore-provider"], { cwd: workDir });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** shellcheck of one script text; returns its findings (empty when clean). */
export function shellcheck(name: string, text: string): string {
  return shellcheckAll([[name, text]]);
}

/** shellcheck of many scripts in one run (each in its own file, named after its resource). */
export function shellcheckAll(scripts: readonly (readonly [string, string])[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shellcheck-"));
  const files = scripts.map(([name, text], i) => {
    const file = path.join(
      dir,
      `${String(i).padStart(3, "0")}-${name.replace(/[^A-Za-z0-9.-]/g, "_")}.sh`,
    );
    fs.writeFileSync(file, text);
    return file;
  });
  const r = spawnSync("shellcheck", ["--shell=bash", ...files], { encoding: "utf8" });
  if (r.error) throw r.error;
  return r.status === 0 ? "" : `${r.stdout}${r.stderr}`;
}
