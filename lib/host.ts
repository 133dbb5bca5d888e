/**
 * What the lab cluster needs on the reader's machine, checked before anything is created so that
 * `pulumi preview` already says what is missing and how to fix it.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UnavailableError } from "./errors";
import { messages } from "./messages";
import { NODES_DIR, WORK_ROOT, workDir } from "./vagrant";

/** The facts about the machine the checks need; tests give their own. */
export interface HostFacts {
  readonly platform: NodeJS.Platform;
  /** Whether a program is found on PATH (or where its installer puts it). */
  has(program: "vagrant" | "VBoxManage"): boolean;
  /** The VirtualBox version, e.g. `7.1.4`, when it can be asked. */
  virtualBoxVersion(): string | undefined;
  /** The Vagrant version, e.g. `2.4.9`, when it can be asked. */
  vagrantVersion(): string | undefined;
  /** Names of the VirtualBox VMs that are running (`VBoxManage list runningvms`). */
  runningVms(): string[];
  /** Contents of a file, or undefined when it does not exist. */
  readFile(file: string): string | undefined;
  /** Entries of a folder, or undefined when it does not exist. */
  listDir(dir: string): string[] | undefined;
  /** Each VM of a stack's work folder and its state (`running`, `poweroff`, ...); {} without VMs. */
  vmStates(workdir: string): Promise<Record<string, string>>;
  /** Starts the stopped VMs of a work folder and waits for their API server; progress to `say`. */
  startVms(workdir: string, say: (line: string) => void): Promise<void>;
  /**
   * Whether the state backend holds stack `stack` of project `project`, read from the folder of a
   * file backend (`stackStateFiles`); undefined for another backend, where only the engine can
   * tell. A host without it leaves that to the engine too.
   */
  stackInState?(project: string, stack: string): boolean | undefined;
  /**
   * Makes `file` naming `holder` unless a file is there, in one step that no other process can
   * split (`takeClaimFile`), and says who holds it then. A host without it takes nothing.
   */
  takeClaim?(file: string, holder: string): ClaimTaken;
  /** Removes `file` if it still names `holder`. */
  releaseClaim?(file: string, holder: string): void;
}

/** Who holds a claim file after an attempt to take it. */
export interface ClaimTaken {
  /** The stack the file names ("" for a file that names none). */
  readonly holder: string;
  /** Whether this attempt made the file. */
  readonly created: boolean;
}

/**
 * Takes a claim file for `holder`: written whole beside it, then hard-linked in its place. A link
 * is refused when a file is there (EEXIST), so of several processes that try at once exactly one
 * makes it, and none reads it half-written. The others read who holds it.
 */
export function takeClaimFile(file: string, holder: string): ClaimTaken {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const whole = `${file}.${process.pid}-${randomBytes(6).toString("hex")}`;
  fs.writeFileSync(whole, holder);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        fs.linkSync(whole, file);
        return { holder, created: true };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      try {
        return { holder: fs.readFileSync(file, "utf8").trim(), created: false };
      } catch (err) {
        // Let go of between the two steps (its holder's destroy): try again.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) throw err;
      }
    }
  } finally {
    fs.rmSync(whole, { force: true });
  }
}

/** Removes a claim file if it still names `holder`. */
export function releaseClaimFile(file: string, holder: string): void {
  let named: string;
  try {
    named = fs.readFileSync(file, "utf8").trim();
  } catch {
    return;
  }
  if (named === holder) fs.rmSync(file, { force: true });
}

/** The project's own state backend: `backend.url` of Pulumi.yaml. */
export const PROJECT_BACKEND = "file://.pulumi-state";

/**
 * The folder of the state backend when it is a file backend (`file://<path>`, `~` for the home
 * folder), else undefined. PULUMI_BACKEND_URL, when set, wins over the project's `backend.url`
 * (pulumi/pulumi v3.259.0 pkg/workspace/creds.go, GetCurrentCloudURLWithSource).
 */
export function stateFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.PULUMI_BACKEND_URL || PROJECT_BACKEND;
  if (!url.startsWith("file://")) return undefined;
  const folder = url.slice("file://".length);
  return folder === "~" || folder.startsWith("~/")
    ? path.join(os.homedir(), folder.slice(1))
    : folder;
}

/**
 * Where a file backend may keep a stack's state: `.pulumi/stacks/<project>/<stack>.json`, maybe
 * compressed, or `.pulumi/stacks/<stack>.json` in the layout before projects (pulumi/pulumi
 * v3.259.0 pkg/backend/diy/store.go, StackBasePath).
 */
export function stackStateFiles(folder: string, project: string, stack: string): string[] {
  const stacks = path.join(folder, ".pulumi", "stacks");
  return [path.join(stacks, project, stack), path.join(stacks, stack)].flatMap((base) =>
    [".json", ".json.gz", ".json.zst"].map((ext) => `${base}${ext}`),
  );
}

/** VirtualBox's list of allowed host-only ranges on Linux and macOS. */
export const NETWORKS_CONF = "/etc/vbox/networks.conf";
/** What VirtualBox >= 6.1.28 allows when networks.conf does not exist. */
const DEFAULT_RANGES = ["192.168.56.0/21"];

function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

/** Whether an IPv4 address lies in a CIDR range. */
export function inRange(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits ?? 32));
  const start = Math.floor(ipToInt(base) / size) * size;
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

/** The IPv4 ranges a networks.conf allows (`* 10.0.0.0/8 192.168.0.0/16`). */
export function allowedRanges(networksConf: string | undefined): string[] {
  if (networksConf === undefined) return DEFAULT_RANGES;
  return networksConf
    .split("\n")
    .filter((l) => l.trim().startsWith("*"))
    .flatMap((l) => l.trim().slice(1).trim().split(/\s+/))
    .filter((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c));
}

const older = (a: string, b: string) => {
  const x = a.split(/[^\d]+/).map(Number);
  const y = b.split(/[^\d]+/).map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
};

/**
 * The oldest Vagrant whose VirtualBox driver knows each VirtualBox release: Vagrant refuses any
 * other ("a version of VirtualBox installed that is not supported by this version of Vagrant").
 * From the driver map of hashicorp/vagrant plugins/providers/virtualbox/driver/meta.rb and its
 * CHANGELOG: 7.0 since 2.3.2, 7.1 since 2.4.2, 7.2 since 2.4.9.
 */
export const VAGRANT_FOR_VIRTUALBOX: Readonly<Record<string, string>> = {
  "7.0": "2.3.2",
  "7.1": "2.4.2",
  "7.2": "2.4.9",
};

/** A Vagrant that does not know the installed VirtualBox, with the versions that do. */
function versionPairProblem(host: HostFacts): string | undefined {
  const vbox = host.virtualBoxVersion();
  const vagrant = host.vagrantVersion();
  if (!vbox || !vagrant) return undefined;
  const minor = vbox.split(".").slice(0, 2).join(".");
  const needed = VAGRANT_FOR_VIRTUALBOX[minor];
  if (!needed || !older(vagrant, needed)) return undefined;
  const known = Object.entries(VAGRANT_FOR_VIRTUALBOX)
    .filter(([, since]) => !older(vagrant, since))
    .map(([release]) => release);
  // Older than every release in the map: 6.1 is what such a Vagrant still drives.
  return messages().vagrantTooOld(vagrant, vbox, minor, needed, known.length > 0 ? known : ["6.1"]);
}

/** VMs that another stack of this project has on some of the given addresses. */
export interface OtherStackVms {
  readonly stack: string;
  /** Its VMs on those addresses, from its work folder. */
  readonly vms: readonly string[];
  /** Those of its VMs that VirtualBox runs now. */
  readonly running: readonly string[];
}

/** The name the lab gives a VM in VirtualBox (components/vagrantCluster.ts), read back. */
const LAB_VM_NAME = /^(.+)\(k8sinfra-lab (.+)\)$/;

/**
 * Other stacks of this project whose VMs take some of `addresses`: a stack's work folder defines
 * its VMs, one `nodes/<vm>.rb` each, as long as they exist (running or stopped). A running VM of
 * the project whose work folder is not here (another clone) is counted too, since its addresses
 * cannot be read.
 */
export function otherLabStacks(
  host: HostFacts,
  stack: string,
  addresses: readonly string[],
): OtherStackVms[] {
  const running = host
    .runningVms()
    .map((n) => LAB_VM_NAME.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ vm: m[1], stack: m[2] }));
  const stacks = new Set([...(host.listDir(WORK_ROOT) ?? []), ...running.map((r) => r.stack)]);
  const found: OtherStackVms[] = [];
  for (const other of [...stacks].sort()) {
    if (other === stack) continue;
    const nodesDir = `${workDir(other)}/${NODES_DIR}`;
    const files = host.listDir(nodesDir)?.filter((f) => f.endsWith(".rb"));
    const runningHere = running.filter((r) => r.stack === other).map((r) => r.vm);
    if (files === undefined) {
      if (runningHere.length > 0)
        found.push({ stack: other, vms: runningHere, running: runningHere });
      continue;
    }
    const vms = files
      .filter((f) => {
        const ip = /private_network", ip: "([\d.]+)"/.exec(
          host.readFile(`${nodesDir}/${f}`) ?? "",
        )?.[1];
        return ip !== undefined && addresses.includes(ip);
      })
      .map((f) => f.slice(0, -3))
      .sort();
    if (vms.length > 0) {
      found.push({ stack: other, vms, running: vms.filter((v) => runningHere.includes(v)) });
    }
  }
  return found;
}

/**
 * One cluster per address range: another stack's VMs on the same addresses would answer SSH and
 * the API server in this stack's place. Says which stack, and what to do.
 */
function addressProblems(
  host: HostFacts,
  stack: string,
  addresses: readonly string[],
  canBuildOnCluster: boolean,
): string[] {
  const m = messages();
  return otherLabStacks(host, stack, addresses).map((o) =>
    m.addressesTaken(o.stack, o.vms, o.running, stack, canBuildOnCluster),
  );
}

/**
 * Problems that would stop `vagrant up`, each with its fix: Vagrant or VirtualBox missing, a pair of
 * them that do not work together, host-only addresses that VirtualBox refuses, or addresses whose
 * VMs another stack of this project already has.
 */
export function hostProblems(
  host: HostFacts,
  stack: string,
  addresses: readonly string[],
  canBuildOnCluster = false,
): string[] {
  const m = messages();
  const problems: string[] = [];
  if (!host.has("vagrant")) problems.push(m.vagrantMissing());
  if (!host.has("VBoxManage")) {
    problems.push(m.virtualBoxMissing());
    return problems;
  }
  const pair = host.has("vagrant") ? versionPairProblem(host) : undefined;
  if (pair) problems.push(pair);
  problems.push(...addressProblems(host, stack, addresses, canBuildOnCluster));
  // Windows has no such restriction, nor do VirtualBox releases before 6.1.28.
  const version = host.virtualBoxVersion();
  if (host.platform === "win32" || (version && older(version, "6.1.28"))) return problems;
  const ranges = allowedRanges(host.readFile(NETWORKS_CONF));
  const refused = addresses.filter((ip) => !ranges.some((r) => inRange(ip, r)));
  if (refused.length > 0) {
    const prefix = refused[0].split(".").slice(0, 3).join(".");
    problems.push(m.hostOnlyRefused(ranges, NETWORKS_CONF, refused, stack, prefix));
  }
  return problems;
}

function onPath(program: string): boolean {
  const exts = process.platform === "win32" ? ["", ".exe", ".bat", ".cmd"] : [""];
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir && exts.some((e) => fs.existsSync(path.join(dir, program + e))));
}

/** VBoxManage, also where VirtualBox's Windows installer puts it without adding it to PATH. */
function vboxManage(): string {
  if (onPath("VBoxManage")) return "VBoxManage";
  const vbox = process.env.VBOX_MSI_INSTALL_PATH ?? process.env.VBOX_INSTALL_PATH;
  return vbox ? path.join(vbox, "VBoxManage.exe") : "VBoxManage";
}

/** This machine. */
export const realHost: HostFacts = {
  platform: process.platform,
  has(program) {
    if (onPath(program)) return true;
    // VirtualBox's Windows installer does not put VBoxManage on PATH; Vagrant looks here.
    const vbox = process.env.VBOX_MSI_INSTALL_PATH ?? process.env.VBOX_INSTALL_PATH;
    return program === "VBoxManage" && !!vbox && fs.existsSync(path.join(vbox, "VBoxManage.exe"));
  },
  virtualBoxVersion() {
    const r = spawnSync(vboxManage(), ["--version"], { encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : undefined;
  },
  vagrantVersion() {
    const r = spawnSync("vagrant", ["--version"], {
      encoding: "utf8",
      timeout: 30_000,
      shell: process.platform === "win32",
    });
    return r.status === 0 ? /(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
  },
  runningVms() {
    const r = spawnSync(vboxManage(), ["list", "runningvms"], {
      encoding: "utf8",
      timeout: 10_000,
    });
    if (r.status !== 0) return [];
    return r.stdout
      .split("\n")
      .map((l) => /^"(.*)" \{[^}]*\}\s*$/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
  },
  readFile(file) {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  },
  listDir(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  async vmStates(workdir) {
    if (!fs.existsSync(path.join(workdir, NODES_DIR))) return {};
    const { stdout } = await vmHelper(["states", workdir], () => {});
    return JSON.parse(stdout) as Record<string, string>;
  },
  async startVms(workdir, say) {
    await vmHelper(["resume", workdir], say);
  },
  stackInState(project, stack) {
    const folder = stateFolder();
    if (folder === undefined) return undefined;
    return stackStateFiles(folder, project, stack).some((f) => fs.existsSync(f));
  },
  takeClaim: takeClaimFile,
  releaseClaim: releaseClaimFile,
};

/**
 * Runs host/vm.js (what `pulumi up` runs around Vagrant) and relays its progress, one line at a
 * time; fails with its message.
 */
function vmHelper(args: string[], say: (line: string) => void): Promise<{ stdout: string }> {
  const script = path.join(__dirname, "..", "host", "vm.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let partial = "";
    const said: string[] = [];
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.trim())) {
        said.push(line);
        say(line);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout });
      else
        reject(
          new UnavailableError(
            `node host/vm.js ${args.join(" ")} failed:\n${said.slice(-5).join("\n")}`,
          ),
        );
    });
  });
}

/** A machine with Vagrant and VirtualBox and no network restriction: for the offline plan. */
export const plannedHost: HostFacts = {
  platform: "linux",
  has: () => true,
  virtualBoxVersion: () => "7.1.0",
  vagrantVersion: () => "2.4.9",
  runningVms: () => [],
  readFile: (file) => (file === NETWORKS_CONF ? "* 0.0.0.0/0\n" : undefined),
  listDir: () => undefined,
  vmStates: async () => ({}),
  startVms: async () => {},
  // The plan shows what a chapter makes on a lab cluster that is up.
  stackInState: () => true,
};

/**
 * Stops the program, before anything is created, when the machine cannot run the VMs.
 * `canBuildOnCluster`: the stack is a chapter that could build on another stack's cluster instead.
 */
export function requireHost(
  host: HostFacts,
  stack: string,
  addresses: readonly string[],
  canBuildOnCluster = false,
): void {
  const problems = hostProblems(host, stack, addresses, canBuildOnCluster);
  if (problems.length > 0) {
    throw new UnavailableError(
      [messages().hostNotReady(stack), ...problems.map((p) => `  - ${p}`)].join("\n"),
    );
  }
}
