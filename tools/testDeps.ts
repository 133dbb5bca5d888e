/**
 * What `npm test` runs besides Node, brought before the tests start (the `pretest` script):
 *
 *   npm test                 runs this first; silent when everything is there
 *   npx tsx tools/testDeps.ts
 *
 * The tests run real tools, not stand-ins: shellcheck on every node script, `vagrant validate` on
 * each generated Vagrantfile (and Ruby loading one), openssl on the registry's certificate, the JDK on the echo-ip app
 * (build-in-host.sh), and `kubectl kustomize` on the Kustomize folders. Without one, a test would
 * fail with a bare `spawn ... ENOENT`; this says what is missing and why instead.
 *
 * On Debian and Ubuntu the missing ones are installed from the distribution's archive with apt-get
 * (through sudo when not root; sudo may ask for the password). Elsewhere it prints what to install
 * and stops `npm test` before the tests run.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** One command the tests run. */
export interface Tool {
  readonly command: string;
  /** What the tests use it for. */
  readonly usedFor: string;
  /** Debian/Ubuntu packages that provide it, the first one the archive has is taken. */
  readonly apt: readonly string[];
  /** A snap that provides it where the archive has none (Ubuntu has no kubectl package). */
  readonly snap?: string;
  /** What a macOS reader runs (Homebrew). */
  readonly mac: string;
}

export const TOOLS: readonly Tool[] = [
  {
    command: "shellcheck",
    usedFor: "checks every script the lab runs on its VMs",
    apt: ["shellcheck"],
    mac: "brew install shellcheck",
  },
  {
    command: "vagrant",
    usedFor: "`vagrant validate` of each generated Vagrantfile (no VirtualBox needed)",
    apt: ["vagrant"],
    mac: "brew tap hashicorp/tap && brew install hashicorp/tap/hashicorp-vagrant",
  },
  {
    command: "ruby",
    usedFor:
      "loads the generated Vagrantfile while workers' definitions are rewritten (Debian's vagrant brings it)",
    apt: ["ruby"],
    mac: "macOS ships ruby; or brew install ruby",
  },
  {
    command: "openssl",
    usedFor: "the registry certificate's fingerprint and the cluster CA",
    apt: ["openssl"],
    mac: "brew install openssl@3",
  },
  {
    command: "javac",
    usedFor: "build-in-host.sh builds and runs the echo-ip app (JDK 17 or newer: javac, jar, java)",
    apt: ["default-jdk-headless"],
    mac: "brew install openjdk@21 (and put its bin folder on PATH, as brew says)",
  },
  {
    command: "kubectl",
    usedFor: "`kubectl kustomize` of the Kustomize folders",
    // Debian 12's kubernetes-client is kubectl 1.20, whose kustomize reads these folders.
    apt: ["kubectl", "kubernetes-client"],
    snap: "kubectl",
    mac: "brew install kubectl",
  },
];

/** Whether `command` is an executable on `pathEnv` (with Windows' extensions on win32). */
export function onPath(
  command: string,
  pathEnv = process.env.PATH ?? "",
  platform: NodeJS.Platform = process.platform,
): boolean {
  const extensions =
    platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of pathEnv.split(platform === "win32" ? ";" : ":")) {
    if (!dir) continue;
    for (const ext of extensions) {
      try {
        fs.accessSync(path.join(dir, command + ext), fs.constants.X_OK);
        if (fs.statSync(path.join(dir, command + ext)).isFile()) return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** Debian, Ubuntu and their derivatives, from /etc/os-release (ID and ID_LIKE). */
export function isDebianFamily(osRelease: string): boolean {
  const field = (name: string) =>
    osRelease.match(new RegExp(`^${name}="?([^"\\n]*)"?$`, "m"))?.[1].split(/\s+/) ?? [];
  return [...field("ID"), ...field("ID_LIKE")].some((id) => id === "debian" || id === "ubuntu");
}

/** What a reader outside Debian and Ubuntu is told to do, one line each. */
export function adviceFor(platform: NodeJS.Platform, missing: readonly Tool[]): string[] {
  const names = missing.map((t) => t.command).join(", ");
  if (platform === "darwin") {
    return [
      `npm test needs ${names}. With Homebrew (https://brew.sh):`,
      ...missing.map((t) => `  ${t.mac}`),
    ];
  }
  if (platform === "win32") {
    return [
      `npm test needs ${names}, and more: its tests run the lab's scripts with bash and /bin/sh.`,
      "On Windows run it inside WSL: `wsl --install` (Ubuntu), then in the Ubuntu shell clone the",
      "project and run `npm ci && npm test` there; this step then installs the tools with apt-get.",
    ];
  }
  return [
    `npm test needs ${names}; install them with your system's package manager:`,
    ...missing.map((t) => `  ${t.command}: ${t.usedFor}`),
  ];
}

/** The first of `packages` that apt can install here (it has a candidate version). */
function aptCandidate(packages: readonly string[]): string | undefined {
  return packages.find((p) => {
    const r = spawnSync("apt-cache", ["policy", p], { encoding: "utf8" });
    const candidate = r.stdout?.match(/Candidate:\s*(\S+)/)?.[1];
    return r.status === 0 && candidate !== undefined && candidate !== "(none)";
  });
}

function run(command: string[]): boolean {
  console.error(`testDeps: ${command.join(" ")}`);
  const r = spawnSync(command[0], command.slice(1), { stdio: "inherit" });
  return r.status === 0;
}

/** Installs the missing tools on Debian/Ubuntu; returns those it could not. */
function installWithApt(missing: readonly Tool[]): Tool[] {
  const root = process.getuid?.() === 0;
  if (!root && !onPath("sudo")) return [...missing];
  const sudo = root ? [] : ["sudo"];
  // apt-cache answers from the lists of the last update; a fresh machine may have none.
  if (!run([...sudo, "apt-get", "update"])) return [...missing];
  const chosen = missing.map((t) => [t, aptCandidate(t.apt)] as const);
  const packages = chosen.flatMap(([, p]) => (p ? [p] : []));
  if (packages.length > 0) {
    // Through env: sudo does not pass the caller's environment on.
    run([
      ...sudo,
      "env",
      "DEBIAN_FRONTEND=noninteractive",
      "apt-get",
      "install",
      "-y",
      "--no-install-recommends",
      ...packages,
    ]);
  }
  for (const [t, p] of chosen) {
    if (!p && t.snap && onPath("snap")) run([...sudo, "snap", "install", t.snap, "--classic"]);
  }
  return missing.filter((t) => !onPath(t.command));
}

function main(): number {
  const missing = TOOLS.filter((t) => !onPath(t.command));
  if (missing.length === 0) return 0;
  console.error(
    [
      "npm test runs these tools, which are not on PATH:",
      ...missing.map((t) => `  ${t.command}: ${t.usedFor}`),
    ].join("\n"),
  );
  const osRelease =
    process.platform === "linux" && fs.existsSync("/etc/os-release")
      ? fs.readFileSync("/etc/os-release", "utf8")
      : "";
  let left: readonly Tool[] = missing;
  if (isDebianFamily(osRelease) && onPath("apt-get")) {
    console.error("Installing them from the distribution's packages (apt-get):");
    left = installWithApt(missing);
    if (left.length === 0) return 0;
    console.error(
      `testDeps: still missing after apt-get: ${left.map((t) => t.command).join(", ")}` +
        (process.getuid?.() !== 0 && !onPath("sudo") ? " (not root, and no sudo)" : ""),
    );
    if (left.some((t) => t.command === "kubectl")) {
      console.error(
        "  kubectl: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (or snap install kubectl --classic)",
      );
    }
    return 1;
  }
  console.error(adviceFor(process.platform, left).join("\n"));
  return 1;
}

if (require.main === module) process.exit(main());
