/**
 * What a stand-in lab node is made of, for the e2e's SSH node and its stand-in VMs: a Debian root
 * folder (debootstrap once, then a cached archive) with the stand-in heavy tools first on PATH, a
 * host key of its own, and Debian's OpenSSH server logging root in with keys only into that folder
 * (`ChrootDirectory`), so that what the lab's scripts write lands there and not on this machine.
 * No process tracking here: the callers start and stop sshd.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { VERSIONS } from "../../lib/versions";
import { toolchainRoot } from "../../tools/toolchain";

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
  "sleep",
  "sudo",
  "swapoff",
  "sysctl",
  "systemctl",
  "usermod",
] as const;

const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";
/**
 * Besides the minimal base: what the lab's Ubuntu box has and its scripts write into (systemd's
 * modules-load.d, procps' sysctl.d, the SSH server's sshd_config.d) or run (openssl, with which
 * work_nodes.sh reads the CA its kubelet trusts).
 */
const PACKAGES = ["systemd", "procps", "kmod", "openssh-server", "iproute2", "openssl"];

export class NodeUnavailable extends Error {}

function sh(command: string, args: readonly string[]): { status: number; out: string } {
  const r = spawnSync(command, [...args], { encoding: "utf8" });
  return { status: r.status ?? 1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function must(command: string, args: readonly string[]): void {
  const r = sh(command, args);
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${r.out}`);
}

/** What the machine lacks to run stand-in nodes, if anything. */
export function nodeProblem(): string | undefined {
  if (process.getuid?.() !== 0) return "stand-in nodes run sshd with a chroot: they need root";
  if (!fs.existsSync("/usr/sbin/sshd")) return "stand-in nodes need Debian's openssh-server";
  for (const tool of ["debootstrap", "tar", "ssh", "ssh-keygen"]) {
    if (sh("sh", ["-c", `command -v ${tool}`]).status !== 0) {
      return `stand-in nodes need ${tool} (Debian package ${tool === "ssh" || tool === "ssh-keygen" ? "openssh-client" : tool})`;
    }
  }
  return undefined;
}

/** What a lab VM of the box has that the minimal Debian base lacks (part of the archive's name). */
const BOX_LIKE = "vagrant-user-hosts";

/** The Debian root every node starts from, with a `vagrant` user and /etc/hosts as the box has. */
export function baseRoot(): string {
  const archive = path.join(
    toolchainRoot(),
    `node-root-${SUITE}-${PACKAGES.join("-")}-${BOX_LIKE}.tar`,
  );
  if (fs.existsSync(archive)) return archive;
  const problem = nodeProblem();
  if (problem) throw new NodeUnavailable(problem);
  const dir = `${archive}.d`;
  fs.rmSync(dir, { recursive: true, force: true });
  must("debootstrap", ["--variant=minbase", `--include=${PACKAGES.join(",")}`, SUITE, dir, MIRROR]);
  must("chroot", [dir, "useradd", "-m", "-s", "/bin/bash", "vagrant"]);
  fs.writeFileSync(path.join(dir, "etc", "hosts"), "127.0.0.1 localhost\n");
  must("tar", ["-cf", `${archive}.part`, "-C", dir, "."]);
  fs.renameSync(`${archive}.part`, archive);
  fs.rmSync(dir, { recursive: true, force: true });
  return archive;
}

/**
 * Makes a node's root folder: the base, the stand-in tools, a host key of its own, and /proc
 * (bash's process substitution reads /dev/fd, which points into it). `root` must sit in folders
 * owned by root and writable by nobody else (sshd's rule for a chroot).
 */
export function prepareRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  must("tar", ["-xf", baseRoot(), "-C", root]);
  const standins = path.join(root, "opt", "standin", "bin");
  fs.mkdirSync(standins, { recursive: true });
  const recorder = path.join(standins, "recorder");
  fs.copyFileSync(path.join(__dirname, "node", "recorder"), recorder);
  fs.chmodSync(recorder, 0o755);
  for (const tool of STANDIN_TOOLS) fs.symlinkSync("recorder", path.join(standins, tool));
  placeStandinHelm(root);
  newHostKey(root);
  mountProc(root);
}

/** Where helm_install.sh puts helm on a node, as the book's 5.2.3 does. */
export const NODE_HELM = "/usr/local/bin/helm";

/**
 * A helm of the pinned release where helm_install.sh puts it, which the script finds and keeps: a
 * node has no route to get.helm.sh, and the stand-in curl's download is not the pinned archive. It
 * answers every call with the release, as `helm version --template '{{.Version}}'` does.
 */
export function placeStandinHelm(root: string): void {
  const file = path.join(root, NODE_HELM);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `#!/bin/sh\n# Stand-in helm of the e2e's nodes (not the real one).\necho ${VERSIONS.helm.version}\n`,
    { mode: 0o755 },
  );
}

/** Each node its own host key, as each VM of the box makes at its first boot. */
export function newHostKey(root: string): void {
  for (const f of fs.readdirSync(path.join(root, "etc", "ssh"))) {
    if (f.startsWith("ssh_host_")) fs.rmSync(path.join(root, "etc", "ssh", f));
  }
  must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKeyFile(root)]);
}

export function mountProc(root: string): void {
  if (!fs.existsSync(path.join(root, "proc", "self"))) {
    must("mount", ["-t", "proc", "proc", path.join(root, "proc")]);
  }
}

export function unmountProc(root: string): void {
  const proc = path.join(root, "proc");
  if (fs.existsSync(path.join(proc, "self"))) sh("umount", ["-l", proc]);
}

/** The node's SSH host key (private; `.pub` beside it). */
export function hostKeyFile(root: string): string {
  return path.join(root, "etc", "ssh", "ssh_host_ed25519_key");
}

/**
 * The sshd configuration of a node: root with keys only (from the node's own authorized_keys and
 * the extra files), into the node's root folder, the stand-in tools first on PATH, and, as a lab
 * VM's sshd, no AcceptEnv.
 */
export function sshdConfig(p: {
  root: string;
  host: string;
  port: number;
  pidFile: string;
  authorizedKeysFiles: readonly string[];
}): string {
  return [
    `ListenAddress ${p.host}:${p.port}`,
    `HostKey ${hostKeyFile(p.root)}`,
    `PidFile ${p.pidFile}`,
    `AuthorizedKeysFile ${[path.join(p.root, "root", ".ssh", "authorized_keys"), ...p.authorizedKeysFiles].join(" ")}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    // The keys live in folders sshd would otherwise find too open.
    "StrictModes no",
    `ChrootDirectory ${p.root}`,
    "SetEnv PATH=/opt/standin/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "",
  ].join("\n");
}

/** The node's host key as a known_hosts line for host:port. */
export function knownHostsLine(root: string, host: string, port: number): string {
  const pub = fs
    .readFileSync(`${hostKeyFile(root)}.pub`, "utf8")
    .trim()
    .split(" ");
  return `[${host}]:${port} ${pub[0]} ${pub[1]}`;
}

/** Runs a command on a node as root over SSH, checking its host key. */
export function sshExec(
  p: { host: string; port: number; key: string; knownHosts: string },
  command: string,
  stdin = "",
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    "ssh",
    [
      "-i",
      p.key,
      "-p",
      String(p.port),
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "BatchMode=yes",
      "-o",
      `UserKnownHostsFile=${p.knownHosts}`,
      "-o",
      "StrictHostKeyChecking=yes",
      `root@${p.host}`,
      "--",
      command,
    ],
    { input: stdin, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** One call a stand-in tool recorded. */
export interface ToolCall {
  readonly tool: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly stdin: string;
}

/** The recorded calls of the stand-in tools of a node, oldest first. */
export function toolCalls(root: string): ToolCall[] {
  const file = path.join(root, "var", "log", "k8sinfra-lab-standin.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ToolCall);
}

/**
 * A TOML file of a node (containerd's config.toml) as its `key = value` lines under their
 * `[section]` headers: section -> key -> the value as written. Enough for the files the lab's
 * scripts edit line by line.
 */
export function tomlSections(text: string): Map<string, Map<string, string>> {
  let current = new Map<string, string>();
  const sections = new Map([["", current]]);
  for (const line of text.split("\n")) {
    const header = /^\s*\[(.+)\]\s*$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const kv = /^\s*([A-Za-z_]+) = (.*)$/.exec(line);
    if (kv) current.set(kv[1], kv[2]);
  }
  return sections;
}
