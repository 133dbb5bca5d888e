/**
 * A stand-in lab node: Debian's OpenSSH server on a loopback port, logging root in with the stack's
 * key only, into a Debian root folder (`ChrootDirectory`, made once with debootstrap and cached) so
 * that what the lab's scripts write lands there and not on this machine. The heavy tools (apt-get,
 * docker, kubeadm, systemctl, ...) are recorders (`node/recorder`) first on PATH.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { toolchainRoot } from "../../tools/toolchain";
import { freePort, listening, onCleanup, run, startProcess, waitFor } from "./processes";
import { Blocked } from "./runner";

/** Tools of a node that the stand-in replaces (the rest are Debian's own). */
export const STANDIN_TOOLS = [
  "apt-get",
  "apt-mark",
  "containerd",
  "ctr",
  "curl",
  "docker",
  "exportfs",
  "git",
  "gpg",
  "jar",
  "javac",
  "kubeadm",
  "kubectl",
  "modprobe",
  "ping",
  "swapoff",
  "sysctl",
  "systemctl",
  "usermod",
] as const;

const SUITE = "bookworm";
/**
 * Besides the minimal base: what the lab's Ubuntu box has and its scripts write into (systemd's
 * modules-load.d, procps' sysctl.d, the SSH server's sshd_config.d).
 */
const PACKAGES = ["systemd", "procps", "kmod", "openssh-server", "iproute2"];
const MIRROR = "http://deb.debian.org/debian";

export interface ToolCall {
  readonly tool: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly stdin: string;
}

export interface SshNode {
  readonly host: string;
  readonly port: number;
  /** The node's root folder on this machine. */
  readonly root: string;
  /** Path on this machine of a path on the node. */
  file(nodePath: string): string;
  /** Runs a command on the node over SSH as root, as `remote.Command` does: the text is the command. */
  exec(command: string, stdin?: string): { status: number; stdout: string; stderr: string };
  /** The recorded calls of the stand-in tools, oldest first. */
  calls(): ToolCall[];
  /** Forgets the recorded calls. */
  clearCalls(): void;
  /** The node's SSH host key, as a known_hosts line. */
  readonly knownHosts: string;
}

/** The Debian root every node starts from: debootstrap once, then a cached archive. */
function baseRoot(): string {
  const archive = path.join(toolchainRoot(), `node-root-${SUITE}-${PACKAGES.join("-")}.tar`);
  if (fs.existsSync(archive)) return archive;
  for (const tool of ["debootstrap", "tar"]) {
    if (run("sh", ["-c", `command -v ${tool}`], { allowFail: true }).status !== 0) {
      throw new Blocked(`the SSH node needs ${tool} (Debian package ${tool})`);
    }
  }
  const dir = `${archive}.d`;
  fs.rmSync(dir, { recursive: true, force: true });
  run("debootstrap", ["--variant=minbase", `--include=${PACKAGES.join(",")}`, SUITE, dir, MIRROR]);
  run("tar", ["-cf", `${archive}.part`, "-C", dir, "."]);
  fs.renameSync(`${archive}.part`, archive);
  fs.rmSync(dir, { recursive: true, force: true });
  return archive;
}

/**
 * Starts a node under `dir`, which must sit in folders owned by root and writable by nobody else
 * (sshd's rule for a chroot), accepting `authorizedKey` (an OpenSSH public key) for root.
 */
export async function startSshNode(dir: string, authorizedKey: string): Promise<SshNode> {
  if (process.getuid?.() !== 0)
    throw new Blocked("the SSH node runs sshd with a chroot: needs root");
  const sshd = "/usr/sbin/sshd";
  if (!fs.existsSync(sshd)) throw new Blocked("the SSH node needs Debian's openssh-server");
  const root = path.join(dir, "root");
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  run("tar", ["-xf", baseRoot(), "-C", root]);
  // A node has /proc (bash's process substitution reads /dev/fd, which points into it).
  run("mount", ["-t", "proc", "proc", path.join(root, "proc")]);
  onCleanup(() => {
    run("umount", ["-l", path.join(root, "proc")], { allowFail: true });
  });

  const standins = path.join(root, "opt", "standin", "bin");
  fs.mkdirSync(standins, { recursive: true });
  const recorder = path.join(standins, "recorder");
  fs.copyFileSync(path.join(__dirname, "node", "recorder"), recorder);
  fs.chmodSync(recorder, 0o755);
  for (const tool of STANDIN_TOOLS) fs.symlinkSync("recorder", path.join(standins, tool));

  const keys = path.join(dir, "ssh");
  fs.mkdirSync(keys, { recursive: true, mode: 0o700 });
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keys, "host_key")]);
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keys, "client_key")]);
  const authorized = path.join(keys, "authorized_keys");
  fs.writeFileSync(
    authorized,
    `${authorizedKey.trim()}\n${fs.readFileSync(path.join(keys, "client_key.pub"), "utf8")}`,
    { mode: 0o600 },
  );
  const host = "127.0.0.1";
  const port = await freePort(host);
  const config = path.join(keys, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `ListenAddress ${host}:${port}`,
      `HostKey ${path.join(keys, "host_key")}`,
      `PidFile ${path.join(keys, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorized}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The keys live in this run's folder, not in a home folder sshd would check.
      "StrictModes no",
      `ChrootDirectory ${root}`,
      "SetEnv PATH=/opt/standin/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      // As a lab VM's sshd: no AcceptEnv, so environment variables sent over SSH are refused.
      "",
    ].join("\n"),
  );
  fs.mkdirSync("/run/sshd", { recursive: true });
  const log = path.join(dir, "sshd.log");
  const child = startProcess("sshd", sshd, ["-D", "-e", "-f", config], { log });
  await waitFor("sshd", () => listening(host, port), { timeoutMs: 15_000, log, child });

  const hostKey = fs.readFileSync(path.join(keys, "host_key.pub"), "utf8").trim();
  const knownHosts = `[${host}]:${port} ${hostKey.split(" ").slice(0, 2).join(" ")}`;
  const knownHostsFile = path.join(keys, "known_hosts");
  fs.writeFileSync(knownHostsFile, `${knownHosts}\n`);
  const callLog = path.join(root, "var", "log", "k8sinfra-lab-standin.jsonl");
  return {
    host,
    port,
    root,
    knownHosts,
    file: (p) => path.join(root, p),
    exec: (command, stdin) =>
      run(
        "ssh",
        [
          "-i",
          path.join(keys, "client_key"),
          "-p",
          String(port),
          "-o",
          "IdentitiesOnly=yes",
          "-o",
          "BatchMode=yes",
          "-o",
          `UserKnownHostsFile=${knownHostsFile}`,
          "-o",
          "StrictHostKeyChecking=yes",
          `root@${host}`,
          "--",
          command,
        ],
        { input: stdin ?? "", allowFail: true },
      ),
    calls: () =>
      fs.existsSync(callLog)
        ? fs
            .readFileSync(callLog, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as ToolCall)
        : [],
    clearCalls: () => fs.rmSync(callLog, { force: true }),
  };
}
