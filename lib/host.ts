/**
 * What the lab cluster needs on the reader's machine, checked before anything is created so that
 * `pulumi preview` already says what is missing and how to fix it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UnavailableError } from "./errors";

/** The facts about the machine the checks need; tests give their own. */
export interface HostFacts {
  readonly platform: NodeJS.Platform;
  /** Whether a program is found on PATH (or where its installer puts it). */
  has(program: "vagrant" | "VBoxManage"): boolean;
  /** The VirtualBox version, e.g. `7.1.4`, when it can be asked. */
  virtualBoxVersion(): string | undefined;
  /** Contents of a file, or undefined when it does not exist. */
  readFile(file: string): string | undefined;
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
 * Problems that would stop `vagrant up`, each with its fix: Vagrant or VirtualBox missing, or
 * host-only addresses that VirtualBox refuses.
 */
export function hostProblems(
  host: HostFacts,
  stack: string,
  addresses: readonly string[],
): string[] {
  const problems: string[] = [];
  if (!host.has("vagrant")) {
    problems.push(
      "Vagrant is not installed (or not on PATH): https://developer.hashicorp.com/vagrant/install",
    );
  }
  if (!host.has("VBoxManage")) {
    problems.push(
      "VirtualBox is not installed (VBoxManage not found): https://www.virtualbox.org/wiki/Downloads",
    );
    return problems;
  }
  // Windows has no such restriction, nor do VirtualBox releases before 6.1.28.
  const version = host.virtualBoxVersion();
  if (host.platform === "win32" || (version && older(version, "6.1.28"))) return problems;
  const ranges = allowedRanges(host.readFile(NETWORKS_CONF));
  const refused = addresses.filter((ip) => !ranges.some((r) => inRange(ip, r)));
  if (refused.length > 0) {
    const prefix = refused[0].split(".").slice(0, 3).join(".");
    problems.push(
      [
        `VirtualBox allows host-only addresses only in ${ranges.join(", ")} (${NETWORKS_CONF}), and ${refused.join(", ")} are outside.`,
        `  Either use the default prefix: npm run lab -- ${stack} config set lab:network.prefix 192.168.56`,
        `  or allow yours: add the line "* ${prefix}.0/24" to ${NETWORKS_CONF} (as root).`,
      ].join("\n"),
    );
  }
  return problems;
}

function onPath(program: string): boolean {
  const exts = process.platform === "win32" ? ["", ".exe", ".bat", ".cmd"] : [""];
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir && exts.some((e) => fs.existsSync(path.join(dir, program + e))));
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
    const r = spawnSync("VBoxManage", ["--version"], { encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : undefined;
  },
  readFile(file) {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  },
};

/** A machine with Vagrant and VirtualBox and no network restriction: for the offline plan. */
export const plannedHost: HostFacts = {
  platform: "linux",
  has: () => true,
  virtualBoxVersion: () => "7.1.0",
  readFile: (file) => (file === NETWORKS_CONF ? "* 0.0.0.0/0\n" : undefined),
};

/** Stops the program, before anything is created, when the machine cannot run the VMs. */
export function requireHost(host: HostFacts, stack: string, addresses: readonly string[]): void {
  const problems = hostProblems(host, stack, addresses);
  if (problems.length > 0) {
    throw new UnavailableError(
      [
        `Stack "${stack}" builds VirtualBox VMs with Vagrant, and this machine is not ready:`,
        ...problems.map((p) => `  - ${p}`),
      ].join("\n"),
    );
  }
}
