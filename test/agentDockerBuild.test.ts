/**
 * Chapter 5's jobs run `docker build` in a Jenkins agent with m-k8s's docker CLI, which is Docker 29
 * there. Here a real docker CLI runs the job's own `docker build` line in the agent container's
 * files as the pod template makes them: m-k8s's paths (a stand-in folder with the CLI, a stand-in
 * buildx plugin where Docker's packages put it, and the socket of a stand-in Engine 29.0, see
 * dockerEngine.ts) bind-mounted at each hostPath volume's mountPath in a private mount namespace,
 * then chroot into the agent's root, as the kubelet and the container runtime do.
 *
 * The docker CLI is `docker` on PATH, or the binary LAB_DOCKER_CLI names (a 29.x CLI for
 * instance). The tests need Linux, `unshare` (as root, or with unprivileged user namespaces) and
 * `ldd`; without them they are skipped with the reason in their name.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { shq } from "../lib/scripts";
import { PROJECT_DIR } from "../tools/mockRun";
import { apiLess, ENGINE_29_0, type StandInEngine, standInEngine } from "./dockerEngine";
import { find, inputsOf, runStack } from "./harness";

const STANDIN_BUILDX = path.join(PROJECT_DIR, "test", "fixtures", "docker-buildx-standin");
/** Where docker-buildx-plugin installs buildx (docker/docker-ce-packaging 2f12fe8861d6 deb/common/rules l.115). */
const BUILDX_ON_NODE = "/usr/libexec/docker/cli-plugins/docker-buildx";

const asRoot = process.getuid?.() === 0;
/** unshare's options for a private mount namespace (with a user namespace when not root). */
const UNSHARE = [
  ...(asRoot ? [] : ["--user", "--map-root-user"]),
  "--mount",
  "--propagation",
  "private",
];

function dockerCli(): string | undefined {
  if (process.env.LAB_DOCKER_CLI) return process.env.LAB_DOCKER_CLI;
  const r = spawnSync("sh", ["-c", "command -v docker"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Why the agent's files cannot be made here, if they cannot. */
function sandboxProblem(): string | undefined {
  if (process.platform !== "linux") return "needs Linux mount namespaces";
  if (!dockerCli()) return "no docker CLI on PATH (or LAB_DOCKER_CLI)";
  if (spawnSync("sh", ["-c", "command -v ldd"]).status !== 0) return "needs ldd";
  const r = spawnSync("unshare", [...UNSHARE, "true"], { encoding: "utf8" });
  if (r.status !== 0)
    return `unshare ${UNSHARE.join(" ")} failed: ${(r.stderr ?? r.error?.message ?? "").trim()}`;
  return undefined;
}

/** The shared libraries a program needs (from ldd), none for a static one. */
function libraries(program: string): string[] {
  const r = spawnSync("ldd", [program], { encoding: "utf8" });
  return (r.stdout ?? "")
    .split("\n")
    .map((l) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined);
}

/** Copies a file of this machine to the same path under `root`. */
function copyInto(root: string, file: string, as = file): void {
  const target = path.join(root, as);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), target);
  fs.chmodSync(target, 0o755);
}

interface Mount {
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

interface AgentRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What the stand-in buildx plugin recorded, one call a line. */
  readonly buildxCalls: string[];
}

/**
 * m-k8s's files (`node`) and the agent image's (`agent`): the agent image has a shell and the C
 * library (what the jnlp image brings); everything Docker comes from the node through the mounts.
 */
function makeRoots(dir: string, cli: string): { node: string; agent: string; socket: string } {
  const node = path.join(dir, "m-k8s");
  const agent = path.join(dir, "agent");
  copyInto(node, cli, "/usr/bin/docker");
  copyInto(node, STANDIN_BUILDX, BUILDX_ON_NODE);
  fs.writeFileSync(path.join(node, "usr", "bin", "kubectl"), "#!/bin/sh\n", { mode: 0o755 });
  fs.mkdirSync(path.join(node, "var", "run"), { recursive: true });
  copyInto(agent, "/bin/sh", "/bin/sh");
  for (const lib of new Set([...libraries("/bin/sh"), ...libraries(cli)])) copyInto(agent, lib);
  for (const d of ["tmp", "root", "dev"]) fs.mkdirSync(path.join(agent, d), { recursive: true });
  fs.chmodSync(path.join(agent, "tmp"), 0o1777);
  return { node, agent, socket: path.join(node, "var", "run", "docker.sock") };
}

/** Runs `command` in the agent container: m-k8s's paths at the pod template's mount paths. */
function runInAgent(
  roots: { node: string; agent: string },
  mounts: readonly Mount[],
  workspace: string,
  command: string,
): Promise<AgentRun> {
  const lines = ["set -eu"];
  for (const m of mounts) {
    const src = path.join(roots.node, m.hostPath);
    const dst = path.join(roots.agent, m.mountPath);
    // A hostPath volume without a type: the runtime makes a missing path a folder.
    if (!fs.existsSync(src)) fs.mkdirSync(src, { recursive: true });
    if (fs.statSync(src).isDirectory()) fs.mkdirSync(dst, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.writeFileSync(dst, "");
    }
    lines.push(`mount --bind ${shq(src)} ${shq(dst)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${shq(dst)}`);
  }
  fs.writeFileSync(path.join(roots.agent, "dev", "null"), "");
  lines.push(`mount --bind /dev/null ${shq(path.join(roots.agent, "dev", "null"))}`);
  lines.push(
    `exec chroot ${shq(roots.agent)} /bin/sh -c ${shq(`cd ${shq(workspace)} && ${command}`)}`,
  );
  return new Promise((resolve, reject) => {
    // Asynchronous: the stand-in Engine answers from this process's event loop.
    const child = spawn("unshare", [...UNSHARE, "sh", "-c", lines.join("\n")], {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LC_ALL: "C" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const calls = path.join(roots.agent, "tmp", "docker-buildx.calls");
      resolve({
        status: code ?? 1,
        stdout,
        stderr,
        buildxCalls: fs.existsSync(calls)
          ? fs.readFileSync(calls, "utf8").split("\n").filter(Boolean)
          : [],
      });
    });
  });
}

const problem = sandboxProblem();

describe.skipIf(problem !== undefined)(
  `Jenkins agents' docker build on Docker 29, with a real docker CLI${problem ? ` (skipped: ${problem})` : ""}`,
  () => {
    let dir: string;
    let engine: StandInEngine;
    let roots: { node: string; agent: string; socket: string };
    let mounts: Mount[];
    let buildLines: string[];

    beforeAll(async () => {
      const ch5 = await runStack({ stack: "ch5" });
      const casc = YAML.parse(
        inputsOf(find(ch5, "kubernetes:helm.sh/v3:Release", "jenkins-release")).values.controller
          .JCasC.configScripts["k8sinfra-lab"],
      );
      mounts = casc.jenkins.clouds[0].kubernetes.templates[0].volumes.map(
        (v: { hostPathVolume: Mount }) => v.hostPathVolume,
      );
      // The freestyle job's `docker build` line, from its shell step's Groovy string in the Job DSL.
      const shell =
        /steps \{ shell\(('(?:[^'\\]|\\.)*')\) \}/.exec(casc.jobs[0].script)?.[1] ?? "''";
      buildLines = shell
        .slice(1, -1)
        .replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c))
        .split("\n")
        .filter((l) => l.startsWith("docker build "));
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-docker-"));
      roots = makeRoots(dir, dockerCli() as string);
      engine = await standInEngine(roots.socket);
    });
    afterAll(async () => {
      await engine?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    // docker/cli v29.7.2 cmd/docker/builder.go: `docker build` is forwarded to the buildx plugin as
    // `buildx build ...` (l.161-165) with BUILDX_BUILDER set to the current context, `default`
    // (l.139-141), when GetPlugin finds the plugin (l.111-115); otherwise it prints the legacy
    // builder's deprecation (l.22-24, l.126-128) and POSTs /build with version=1 (the legacy
    // builder, which Engine 29 still serves: see dockerEngine.ts).
    it("the job's docker build runs buildx (BuildKit) from m-k8s, not the deprecated legacy builder", async () => {
      expect(buildLines).toEqual(["docker build -t 192.168.56.10:8443/echo-ip ."]);
      const workspace = "/home/jenkins/agent/workspace/fs-echo-ip";
      fs.mkdirSync(path.join(roots.agent, workspace), { recursive: true });
      fs.writeFileSync(path.join(roots.agent, workspace, "Dockerfile"), "FROM scratch\n");
      engine.requests.length = 0;
      const run = await runInAgent(roots, mounts, workspace, buildLines[0]);
      const seen = `exit ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}\nEngine: ${engine.requests
        .map((r) => `${r.method} ${r.apiVersion ? `/v${r.apiVersion}` : ""}${r.path}?${r.query}`)
        .join(", ")}`;
      expect(run.buildxCalls, seen).toEqual([
        "buildx build -t 192.168.56.10:8443/echo-ip . BUILDX_BUILDER=default",
      ]);
      expect(run.stderr).not.toContain("legacy builder is deprecated");
      expect(engine.requests.filter((r) => r.path === "/build")).toEqual([]);
      expect(run.status, seen).toBe(0);
    });

    // docker/cli v29.7.2 cli/context/docker/load.go l.137 and vendor/github.com/moby/moby/client/
    // client.go l.184-188, l.337-362: the CLI negotiates by default, taking the Engine's
    // `Api-Version` when it is below its own (v29.0.0 load.go l.137: WithAPIVersionNegotiation).
    it("the agent's docker CLI negotiates an API version Engine 29.0 serves (1.44-1.52)", async () => {
      engine.requests.length = 0;
      const run = await runInAgent(roots, mounts, "/", "docker version --format '{{json .}}'");
      expect(run.status, run.stderr).toBe(0);
      const v = JSON.parse(run.stdout) as {
        Client: { ApiVersion: string; DefaultAPIVersion: string };
        Server: { ApiVersion: string };
      };
      const own = v.Client.DefaultAPIVersion;
      const expected = apiLess(ENGINE_29_0.apiVersion, own) ? ENGINE_29_0.apiVersion : own;
      expect(v.Client.ApiVersion).toBe(expected);
      expect(v.Server.ApiVersion).toBe(ENGINE_29_0.apiVersion);
      const versioned = engine.requests.filter((r) => r.apiVersion !== undefined);
      expect(versioned.length).toBeGreaterThan(0);
      for (const r of versioned) expect([r.apiVersion, r.status]).toEqual([expected, 200]);
    });
  },
);
