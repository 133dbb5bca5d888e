/**
 * Where the e2e runs the reader's commands: a copy of the project (the working tree, as `git`
 * lists it) with its own `.pulumi-state/`, stack files, passphrase and Pulumi home, so that the
 * project's own state and stack files stay untouched. `npm run lab` runs there with the toolchain
 * first on PATH.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PASSPHRASE } from "../../tools/lab";
import { type Layout, readLayout, toolchainRoot } from "../../tools/toolchain";
import { onCleanup, run, watchRun } from "./processes";

const PROJECT = path.resolve(__dirname, "..", "..");

/** A plugin the program needs, by the npm SDK that brings it. */
export interface PluginNeed {
  readonly name: string;
  readonly version: string;
}

/** The resource plugins the program's SDKs ask for, with the versions the lockfile pins. */
export function neededPlugins(): PluginNeed[] {
  return ["kubernetes", "tls", "random", "docker", "command"].map((name) => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(PROJECT, "node_modules", "@pulumi", name, "package.json"), "utf8"),
    );
    return { name, version: pkg.version as string };
  });
}

/** The e2e's world: the project copy, its environment, and what the toolchain provides. */
export interface Workspace {
  readonly dir: string;
  /** Folder of this run: logs, certificates, the stand-ins. */
  readonly runDir: string;
  readonly layout: Layout;
  /** Stand-in programs (vagrant, VBoxManage) of the copy, second on PATH. */
  readonly standins: string;
  /** The plugins found, by name; a missing one makes the cases that need it `blocked`. */
  readonly plugins: Readonly<Record<string, string>>;
  /** Why each missing plugin is missing. */
  readonly missingPlugins: Readonly<Record<string, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly passphrase: string;
}

/** Where Pulumi keeps plugins it installed itself (`pulumi plugin install`, or a first `up`). */
function userPluginDirs(): string[] {
  const home = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return [path.join(home, "plugins")];
}

/**
 * Links each needed plugin into the run's own Pulumi home: from the toolchain (built from its Go
 * module), else from plugins Pulumi installed on this machine before (never downloaded here).
 */
function gatherPlugins(layout: Layout, home: string) {
  const found: Record<string, string> = {};
  const missing: Record<string, string> = {};
  for (const { name, version } of neededPlugins()) {
    const folder = `resource-${name}-v${version}`;
    const binary = `pulumi-resource-${name}`;
    const source = [layout.plugins, ...userPluginDirs()]
      .map((d) => path.join(d, folder, binary))
      .find((f) => fs.existsSync(f));
    if (!source) {
      const why =
        layout.unavailable[binary] ?? "not built by the toolchain and not installed by Pulumi";
      missing[name] =
        `plugin ${name} v${version} is not here (${why}); on a machine with internet: pulumi plugin install resource ${name} v${version}`;
      continue;
    }
    fs.mkdirSync(path.join(home, "plugins", folder), { recursive: true });
    fs.symlinkSync(source, path.join(home, "plugins", folder, binary));
    found[name] = source;
  }
  return { found, missing };
}

/** Files of the working tree, as git lists them (tracked and new, not ignored). */
function projectFiles(): string[] {
  const r = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: PROJECT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return r.stdout.split("\0").filter((f) => f && fs.existsSync(path.join(PROJECT, f)));
}

/** Runs kept for their logs; older ones are removed. */
const KEEP_RUNS = 3;

/**
 * The first folder on the way to `dir` that sshd would refuse as a chroot's parent (not root's, or
 * writable by others, as /tmp is), if any.
 */
export function unsafeForChroot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(d)) {
      const st = fs.statSync(d);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) return d;
    }
    if (d === path.dirname(d)) return undefined;
  }
}

/**
 * A folder for this run beside the toolchain cache, or in `LAB_E2E_DIR` (not in the world-writable
 * temp folder: the SSH node's chroot must sit in folders only root may write).
 */
function newRunDir(): string {
  const base = process.env.LAB_E2E_DIR
    ? path.resolve(process.env.LAB_E2E_DIR)
    : path.join(path.dirname(toolchainRoot()), "e2e");
  const unsafe = process.getuid?.() === 0 ? unsafeForChroot(base) : undefined;
  if (unsafe) {
    // Every stand-in VM and node would fail its first SSH login, case after case: say it once.
    throw new Error(
      `the run folder ${base} lies under ${unsafe}, which is not root's or which others may write; sshd refuses the stand-in nodes' chroots there. Set LAB_E2E_DIR (or XDG_CACHE_HOME) to a folder whose every parent is root's and not writable by others, such as the default ~/.cache/k8sinfra-lab/e2e`,
    );
  }
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  const old = fs
    .readdirSync(base)
    .filter((d) => d.startsWith("run-"))
    .sort();
  for (const d of old.slice(0, Math.max(0, old.length - (KEEP_RUNS - 1)))) {
    // A run that was killed may have left its nodes' /proc mounted: never delete through it.
    const procs = mountedProcs(path.join(base, d));
    for (const proc of procs) run("umount", ["-l", proc], { allowFail: true });
    if (mountedProcs(path.join(base, d)).length > 0) continue;
    fs.rmSync(path.join(base, d), { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = path.join(base, `run-${stamp}`);
  fs.mkdirSync(dir, { mode: 0o755 });
  return dir;
}

/** The /proc mounts of stand-in nodes under a run's folder. */
function mountedProcs(runDir: string): string[] {
  const mounts = fs.existsSync("/proc/mounts") ? fs.readFileSync("/proc/mounts", "utf8") : "";
  return mounts
    .split("\n")
    .map((l) => l.split(" ")[1])
    .filter((m): m is string => !!m && m.startsWith(`${runDir}/`) && m.endsWith("/proc"));
}

/** Makes the run's workspace. */
export function createWorkspace(): Workspace {
  const layout = readLayout(toolchainRoot());
  if (!layout) {
    throw new Error("the toolchain is not built: run npm run toolchain first");
  }
  const runDir = newRunDir();
  const dir = path.join(runDir, "project");
  for (const file of projectFiles()) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(dir, "node_modules"));
  fs.mkdirSync(path.join(dir, ".pulumi-state"), { recursive: true });

  const home = path.join(runDir, "pulumi-home");
  const { found, missing } = gatherPlugins(layout, home);
  const standins = path.join(dir, "test", "e2e", "standins");
  // The lab passphrase, as a reader's: the stack files carry its check value, which Pulumi refuses
  // any other passphrase for.
  const passphrase = DEFAULT_PASSPHRASE;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [layout.bin, standins, process.env.PATH].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // A missing plugin fails at once instead of a download attempt that cannot work here.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    // The cases read the program's English messages, whatever the machine's locale.
    LC_ALL: "C.UTF-8",
    // The reader's defaults must not leak in.
    KUBECONFIG: path.join(runDir, "no-kubeconfig"),
    LAB_STANDIN_LOG: path.join(runDir, "standin-calls.jsonl"),
    // Where the stand-in vagrant keeps its VMs (not in the temp folder: they are chroots).
    LAB_STANDIN_VMS: path.join(runDir, "vms"),
  };
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  watchRun(runDir);
  onCleanup(() => stopStandinVms(env.LAB_STANDIN_VMS as string), {
    kind: "standinVms",
    dir: env.LAB_STANDIN_VMS as string,
  });
  delete env.PULUMI_BACKEND_URL;
  delete env.PULUMI_ACCESS_TOKEN;
  return {
    dir,
    runDir,
    layout,
    standins,
    plugins: found,
    missingPlugins: missing,
    env,
    passphrase,
  };
}

/** What one `npm run lab` printed. */
export interface LabResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run --silent lab -- <stack> <args>` in the workspace, as a reader types it. */
export function lab(
  ws: Workspace,
  stack: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; allowFail?: boolean; input?: string } = {},
): LabResult {
  return run("npm", ["run", "--silent", "lab", "--", stack, ...args], {
    cwd: ws.dir,
    env: { ...ws.env, ...options.env },
    allowFail: options.allowFail,
    input: options.input,
  });
}

/** `pulumi preview --json` through `npm run lab`, parsed. */
export interface PreviewJson {
  readonly steps: readonly { op: string; urn: string; detailedDiff?: Record<string, unknown> }[];
  readonly diagnostics?: readonly { message?: string; severity?: string; urn?: string }[];
  readonly changeSummary?: Record<string, number>;
}

export function previewJson(
  ws: Workspace,
  stack: string,
  extra: readonly string[] = [],
  options: { env?: NodeJS.ProcessEnv } = {},
): { status: number; json?: PreviewJson; output: string } {
  const r = lab(ws, stack, ["preview", "--json", ...extra], { ...options, allowFail: true });
  let json: PreviewJson | undefined;
  try {
    json = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
  } catch {
    json = undefined;
  }
  return { status: r.status, json, output: `${r.stdout}${r.stderr}` };
}

/** The error diagnostics of a preview, one line each. */
export function errorsOf(p: { json?: PreviewJson; output: string }): string[] {
  const diags = (p.json?.diagnostics ?? []).filter((d) => d.severity === "error");
  if (diags.length === 0 && !p.json) return [p.output.trim().split("\n").slice(-5).join(" | ")];
  return diags.map((d) => (d.message ?? "").trim().replace(/\s+/g, " "));
}

/** Sets plain config values on a stack of the workspace. */
export function setConfig(ws: Workspace, stack: string, values: Readonly<Record<string, string>>) {
  for (const [key, value] of Object.entries(values)) {
    lab(ws, stack, ["config", "set", key, value]);
  }
}

/**
 * Runs `body` and then puts the stack's file back as it was, so that settings a case makes do not
 * reach the cases after it.
 */
export async function withStackFile<T>(
  ws: Workspace,
  stack: string,
  body: () => Promise<T> | T,
): Promise<T> {
  const file = path.join(ws.dir, `Pulumi.${stack}.yaml`);
  const original = fs.readFileSync(file, "utf8");
  try {
    return await body();
  } finally {
    fs.writeFileSync(file, original);
  }
}

/** The state file of a stack in the workspace's file backend. */
export function stateFile(ws: Workspace, stack: string): string {
  return path.join(ws.dir, ".pulumi-state", ".pulumi", "stacks", "lab", `${stack}.json`);
}

/** Stops what the stand-in vagrant left running (sshd and supervisor of each VM), unmounts /proc. */
export function stopStandinVms(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const stack of fs.readdirSync(dir)) {
    for (const vm of fs.readdirSync(path.join(dir, stack))) {
      const vmDir = path.join(dir, stack, vm);
      for (const pidFile of ["supervisor.pid", "sshd.pid"]) {
        const file = path.join(vmDir, pidFile);
        if (!fs.existsSync(file)) continue;
        const pid = Number(fs.readFileSync(file, "utf8"));
        for (const target of [-pid, pid]) {
          try {
            process.kill(target, "SIGTERM");
          } catch {
            // gone
          }
        }
      }
      run("umount", ["-l", path.join(vmDir, "root", "proc")], { allowFail: true });
    }
  }
}
