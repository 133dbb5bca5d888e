/**
 * Stand-in for Vagrant and VirtualBox in the e2e (run by the `vagrant` script beside it). A "VM" is
 * a stand-in node (nodeRoot.ts): a Debian root folder behind its own sshd on a loopback port,
 * which Vagrant's `port` reports as the forwarded SSH port. Provisioning runs the definition's
 * shell provisioners over that SSH, with their `env:`, as Vagrant runs them; file provisioners
 * copy into the vagrant user's home. A master (a definition that forwards 6443) gets the
 * supervisor, which brings up a real control plane when kubeadm init asks for it.
 *
 * State lives in $LAB_STANDIN_VMS/<stack>/<vm>/; every call is recorded in $LAB_STANDIN_LOG.
 * Faults the e2e asks for: a file `fail-provision` in the VM's folder fails its next provisioning
 * after the first provisioner (a package download that broke off); a file `slow-api-server`
 * holding a number of seconds keeps a master's API server down that long after its next boot and
 * provisioning are done (a kubelet slow to bring the static pods back), as Vagrant returns once
 * SSH answers.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { readLayout } from "../../../tools/toolchain";
import { knownHostsLine, prepareRoot, sshdConfig, sshExec, unmountProc } from "../nodeRoot";

interface Definition {
  name: string;
  ip: string;
  forwards: { guest: number; host: number; id: string }[];
  provisioners: (
    | { type: "shell"; path: string; env?: Record<string, string> }
    | { type: "file"; source: string; destination: string }
  )[];
}

interface VmState {
  state: "running" | "poweroff";
  ssh: number;
  api?: number;
  provisioned: boolean;
}

const work = process.cwd();
const stack = path.basename(work);
const vmsRoot = process.env.LAB_STANDIN_VMS ?? fail("LAB_STANDIN_VMS is not set");
const vmDir = (vm: string) => path.join(vmsRoot, stack, vm);
const stateFile = (vm: string) => path.join(vmDir(vm), "state.json");

function fail(message: string): never {
  process.stderr.write(`stand-in vagrant: ${message}\n`);
  process.exit(1);
}

function record(args: readonly string[]): void {
  const log = process.env.LAB_STANDIN_LOG;
  if (log) fs.appendFileSync(log, `${JSON.stringify({ tool: "vagrant", cwd: work, args })}\n`);
}

function readState(vm: string): VmState | undefined {
  return fs.existsSync(stateFile(vm))
    ? JSON.parse(fs.readFileSync(stateFile(vm), "utf8"))
    : undefined;
}

function writeState(vm: string, state: VmState): void {
  fs.writeFileSync(stateFile(vm), JSON.stringify(state));
}

function definition(vm: string): Definition {
  const file = path.join(work, "nodes", `${vm}.rb`);
  if (!fs.existsSync(file)) {
    fail(
      `The machine with the name '${vm}' was not found configured for this Vagrant environment.`,
    );
  }
  const r = spawnSync("ruby", [path.join(__dirname, "definition.rb"), file], { encoding: "utf8" });
  if (r.status !== 0) fail(`${file} does not load: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function alive(pidFile: string): boolean {
  if (!fs.existsSync(pidFile)) return false;
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

function stopPid(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone
    }
  }
  for (let i = 0; i < 100 && alive(pidFile); i++) spawnSync("sleep", ["0.1"]);
  fs.rmSync(pidFile, { force: true });
}

/** Starts a detached process whose pid goes into `pidFile`; the e2e stops it at the end. */
function detached(pidFile: string, log: string, command: string, args: string[]): void {
  const out = fs.openSync(log, "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", out, out] });
  fs.writeFileSync(pidFile, String(child.pid));
  child.unref();
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`sshd of ${stack} did not listen on ${port}`);
}

/** The key the stand-in logs in with for `vagrant ssh` and provisioning (Vagrant's own). */
function vagrantKey(vm: string): string {
  const key = path.join(vmDir(vm), "vagrant_key");
  if (!fs.existsSync(key)) {
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  }
  return key;
}

function knownHosts(vm: string, port: number): string {
  const file = path.join(vmDir(vm), "known_hosts");
  fs.writeFileSync(file, `${knownHostsLine(path.join(vmDir(vm), "root"), "127.0.0.1", port)}\n`);
  return file;
}

function onVm(vm: string, command: string, stdin = "") {
  const s = readState(vm);
  if (s?.state !== "running") fail(`${vm} is not running`);
  return sshExec(
    { host: "127.0.0.1", port: s.ssh, key: vagrantKey(vm), knownHosts: knownHosts(vm, s.ssh) },
    command,
    stdin,
  );
}

/**
 * Starts the supervisor of a master (its stand-in kubelet), after `delay` seconds if given; the
 * control plane of a master that had one comes back with it.
 */
function startSupervisor(vm: string, s: VmState, delay = 0): void {
  const dir = vmDir(vm);
  const layout = readLayout();
  if (!layout) fail("the toolchain is not built");
  const args = [
    "--import",
    "tsx",
    path.join(__dirname, "supervisor.ts"),
    dir,
    work,
    String(s.api),
    layout.bin,
    layout.kwokStages,
  ];
  const [command, argv] =
    delay > 0
      ? ["/bin/sh", ["-c", `sleep ${delay}; exec "$0" "$@"`, process.execPath, ...args]]
      : [process.execPath, args];
  detached(path.join(dir, "supervisor.pid"), path.join(dir, "supervisor.log"), command, argv);
}

/** Boots a created VM: its sshd, and the supervisor on a master unless `supervisor` is false. */
async function boot(vm: string, def: Definition, s: VmState, supervisor = true): Promise<void> {
  const dir = vmDir(vm);
  const root = path.join(dir, "root");
  fs.mkdirSync("/run/sshd", { recursive: true });
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    sshdConfig({
      root,
      host: "127.0.0.1",
      port: s.ssh,
      pidFile: path.join(dir, "sshd.daemon.pid"),
      authorizedKeysFiles: [`${vagrantKey(vm)}.pub`],
    }),
  );
  detached(path.join(dir, "sshd.pid"), path.join(dir, "sshd.log"), "/usr/sbin/sshd", [
    "-D",
    "-e",
    "-f",
    config,
  ]);
  await waitListening(s.ssh);
  if (s.api && supervisor) startSupervisor(vm, s);
  writeState(vm, { ...s, state: "running" });
  void def;
}

function halt(vm: string): void {
  const dir = vmDir(vm);
  stopPid(path.join(dir, "supervisor.pid"));
  stopPid(path.join(dir, "sshd.pid"));
  const s = readState(vm);
  if (s) writeState(vm, { ...s, state: "poweroff" });
}

/** Vagrant's provisioners, in order, over the VM's SSH; a fault file breaks it off after the first. */
function provision(vm: string, def: Definition): void {
  const faultFile = path.join(vmDir(vm), "fail-provision");
  for (const [i, p] of def.provisioners.entries()) {
    if (i === 1 && fs.existsSync(faultFile)) {
      fs.rmSync(faultFile);
      fail(`${vm}: provisioning broke off (e2e fault): E: Failed to fetch a package`);
    }
    if (p.type === "shell") {
      const exports = Object.entries(p.env ?? {})
        .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
        .join(" ");
      const script = fs.readFileSync(path.join(work, p.path), "utf8");
      const r = onVm(vm, `${exports ? `export ${exports}\n` : ""}${script}`);
      process.stderr.write(r.stdout + r.stderr);
      if (r.status !== 0)
        fail(`${vm}: The SSH command responded with a non-zero exit status (${p.path})`);
    } else {
      const target = path.join(vmDir(vm), "root", "home", "vagrant", p.destination);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(work, p.source), target);
    }
  }
  const s = readState(vm);
  if (s) writeState(vm, { ...s, provisioned: true });
}

async function up(vm: string, forceProvision: boolean): Promise<void> {
  const def = definition(vm);
  let s = readState(vm);
  const created = s !== undefined;
  if (!s) {
    fs.mkdirSync(vmDir(vm), { recursive: true, mode: 0o755 });
    prepareRoot(path.join(vmDir(vm), "root"));
    const hasApi = def.forwards.some((f) => f.guest === 6443);
    s = {
      state: "poweroff",
      ssh: await freePort(),
      api: hasApi ? await freePort() : undefined,
      provisioned: false,
    };
    writeState(vm, s);
  }
  const slowFile = path.join(vmDir(vm), "slow-api-server");
  const slow = s.api && s.state !== "running" && fs.existsSync(slowFile);
  if (s.state !== "running") await boot(vm, def, s, !slow);
  process.stdout.write(`==> ${vm}: Machine booted and ready! (stand-in)\n`);
  // Vagrant provisions a new machine, or one it is told to; not one that only comes up again.
  if (!created || forceProvision) provision(vm, def);
  if (slow) {
    const delay = Number(fs.readFileSync(slowFile, "utf8").trim()) || 10;
    fs.rmSync(slowFile);
    startSupervisor(vm, { ...s, state: "running" }, delay);
  }
}

async function main(argv: string[]): Promise<void> {
  record(argv);
  const [cmd, ...rest] = argv;
  if (cmd === "--version") {
    process.stdout.write("Vagrant 2.4.9 (stand-in)\n");
    return;
  }
  if (!fs.existsSync(path.join(work, "Vagrantfile"))) {
    fail("A Vagrant environment or target machine is required to run this command.");
  }
  const flags = rest.filter((a) => a.startsWith("-"));
  const [vm] = rest.filter((a) => !a.startsWith("-"));
  switch (cmd) {
    case "up":
      return up(vm, flags.includes("--provision"));
    case "reload":
      halt(vm);
      return up(vm, flags.includes("--provision"));
    case "halt":
      return halt(vm);
    case "destroy": {
      halt(vm);
      unmountProc(path.join(vmDir(vm), "root"));
      fs.rmSync(vmDir(vm), { recursive: true, force: true });
      process.stdout.write(`==> ${vm}: Destroying VM and associated drives... (stand-in)\n`);
      return;
    }
    case "status": {
      const nodes = fs.readdirSync(path.join(work, "nodes")).filter((f) => f.endsWith(".rb"));
      for (const f of nodes) {
        const name = f.slice(0, -3);
        const state = readState(name)?.state ?? "not_created";
        process.stdout.write(
          flags.includes("--machine-readable")
            ? `${Math.floor(Date.now() / 1000)},${name},state,${state}\n`
            : `${name} ${state} (virtualbox)\n`,
        );
      }
      return;
    }
    case "port": {
      const s = readState(vm) ?? fail(`${vm} is not created`);
      // VirtualBox names forwarded ports only of a VM that runs (hashicorp/vagrant@v2.4.9
      // plugins/providers/virtualbox/cap.rb, forwarded_ports, l. 14-15: nil unless running); then
      // `vagrant port` says there are none and ends with 0 (plugins/commands/port/command.rb l. 46-51).
      if (s.state !== "running") {
        process.stdout.write(`no forwarded ports: ${vm} is not running (stand-in)\n`);
        return;
      }
      process.stdout.write(`    22 (guest) => ${s.ssh} (host)\n`);
      if (s.api) process.stdout.write(`  6443 (guest) => ${s.api} (host)\n`);
      return;
    }
    case "ssh": {
      const command = rest[rest.indexOf("-c") + 1];
      const r = onVm(vm, command);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.status !== 0) process.exit(r.status);
      return;
    }
    case "validate":
      process.stdout.write("Vagrantfile validated successfully. (stand-in)\n");
      return;
    default:
      fail(`'${cmd}' is not simulated`);
  }
}

main(process.argv.slice(2)).catch((err) =>
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
