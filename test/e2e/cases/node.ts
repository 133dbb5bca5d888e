/**
 * The node side of a chapter on a real SSH server: the stand-in node runs the exact commands and
 * standard input the program registers for its VMs (taken from the stack's plan), with OpenSSH's
 * client in place of the command plugin, and the files they leave and the tools they call are
 * checked there. These cases need no provider plugin.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BOOK_REPOSITORY, scriptText, shq } from "../../../lib/scripts";
import { reveal, runStack } from "../../../tools/mockRun";
import { type Case, check, same } from "../runner";
import type { SshNode } from "../sshNode";

interface RemoteStep {
  readonly name: string;
  readonly create?: string;
  readonly stdin?: string;
  readonly source?: string;
  readonly remotePath?: string;
}

/**
 * The remote commands and copies a stack registers for one node (by the port that reaches it), by
 * resource name.
 */
async function remoteSteps(stack: string, port: number): Promise<Map<string, RemoteStep>> {
  const run = await runStack({ stack });
  const steps = new Map<string, RemoteStep>();
  for (const r of run.resources.filter((x) => x.type.startsWith("command:remote:"))) {
    const i = reveal(r.inputs) as {
      connection: { port: number };
      create?: string;
      stdin?: string;
      source?: { path?: string };
      remotePath?: string;
    };
    if (i.connection.port !== port) continue;
    steps.set(r.name, {
      name: r.name,
      create: i.create,
      stdin: i.stdin,
      source: i.source?.path,
      remotePath: i.remotePath,
    });
  }
  return steps;
}

function runStep(node: SshNode, step: RemoteStep | undefined, what: string): void {
  check(step, `the stack registers no ${what}`);
  if (step.source && step.remotePath) {
    // CopyToRemote of a folder: its content lands in remotePath.
    const target = node.file(step.remotePath);
    fs.mkdirSync(target, { recursive: true });
    fs.cpSync(path.resolve(step.source), target, { recursive: true });
    return;
  }
  check(step.create, `${step.name} has no create command`);
  const r = node.exec(step.create, step.stdin);
  check(r.status === 0, `${step.name} failed on the node (exit ${r.status}):\n${r.stderr.trim()}`);
}

/** A provisioning script as Vagrant runs it: the file, with the provisioner's `env:`. */
function provision(node: SshNode, file: string, env: Record<string, string>): void {
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join(" ");
  const r = node.exec(`export ${exports}\n${scriptText(file)}`);
  check(r.status === 0, `provisioning failed (exit ${r.status}):\n${r.stderr.trim()}`);
}

const mode = (node: SshNode, p: string) =>
  (fs.statSync(node.file(p)).mode & 0o777).toString(8).padStart(3, "0");

export const nodeCases: Case[] = [
  {
    name: "node (ssh): ch4's master, provisioning, Docker, the registry's certificate and trust, the four image builds and the push",
    async run(ctx) {
      const node = await ctx.sshNode();
      node.clearCalls();
      const master = "192.168.56.10";
      // m-k8s is reached through its forwarded SSH port (the book's 60010).
      const steps = new Map([
        ...(await remoteSteps("cluster", 60010)),
        ...(await remoteSteps("ch4", 60010)),
      ]);
      // 3.1.3 config.sh and install_pkg.sh, as Vagrant runs them on m-k8s.
      provision(node, "config.sh", { ROOT_SSH_KEY: "ssh-ed25519 AAAAC3Nza-e2e-key lab" });
      provision(node, "install_pkg.sh", {
        K8S_PACKAGE_VERSION: "1.36.0-1.1",
        NODE_IP: master,
        NODE_ROLE: "Main",
        BOOK_REPOSITORY,
      });
      for (const name of [
        "lab-docker",
        "registry-certificate",
        "registry-trust-m-k8s",
        "echo-ip-source",
        "echo-ip-build-in-host",
        "echo-ip-basic-img",
        "echo-ip-optimal-img",
        "echo-ip-nohost-img",
        "echo-ip-multistage-img",
        "push-multistage-img",
      ]) {
        runStep(node, steps.get(name), name);
      }

      const calls = node.calls();
      const line = (tool: string) =>
        calls.filter((c) => c.tool === tool).map((c) => c.args.join(" "));
      // Packages at the pinned version, held, and containerd with the systemd cgroup driver.
      check(
        line("apt-get").some((l) =>
          /install .*kubelet=1\.36\.0-1\.1 kubeadm=1\.36\.0-1\.1 kubectl=1\.36\.0-1\.1/.test(l),
        ),
        `no apt-get install of the pinned Kubernetes packages: ${line("apt-get").join(" | ")}`,
      );
      same(line("apt-mark"), ["hold kubelet kubeadm kubectl"], "apt-mark");
      const containerd = fs.readFileSync(node.file("/etc/containerd/config.toml"), "utf8");
      check(containerd.includes("SystemdCgroup = true"), "containerd keeps SystemdCgroup = false");
      same(
        fs.readFileSync(node.file("/etc/default/kubelet"), "utf8").trim(),
        `KUBELET_EXTRA_ARGS=--node-ip=${master}`,
        "/etc/default/kubelet",
      );
      same(mode(node, "/root/.ssh/authorized_keys"), "600", "mode of root's authorized_keys");
      // The registry's files: the key readable by root only.
      same(mode(node, "/etc/docker/certs/tls.key"), "600", "mode of the registry key");
      check(
        fs
          .readFileSync(node.file("/etc/docker/certs/tls.crt"), "utf8")
          .includes("BEGIN CERTIFICATE"),
        "tls.crt holds no certificate",
      );
      // Trust: containerd certs.d with hosts.toml, Docker certs.d on the master, config_path set.
      const registry = `${master}:8443`;
      const hosts = fs.readFileSync(
        node.file(`/etc/containerd/certs.d/${registry}/hosts.toml`),
        "utf8",
      );
      check(hosts.includes(`server = "https://${registry}"`), `hosts.toml: ${hosts}`);
      check(fs.existsSync(node.file(`/etc/docker/certs.d/${registry}/ca.crt`)), "no Docker ca.crt");
      check(
        fs
          .readFileSync(node.file("/etc/containerd/config.toml"), "utf8")
          .includes("config_path = '/etc/containerd/certs.d'"),
        "containerd's config_path does not name certs.d",
      );
      // The builds: in the copied source folder, one per Dockerfile under the source's content
      // tag, also tagged with the book's name; then the push under both.
      const tag = /^\S+:([0-9a-f]{12})$/.exec(
        calls.find((c) => c.tool === "docker" && c.args[0] === "build")?.args[2] ?? "",
      )?.[1];
      check(tag, "no content tag in the docker build calls");
      const builds = calls.filter((c) => c.tool === "docker" && c.args[0] === "build");
      same(
        builds.map((c) => `${c.cwd} ${c.args.join(" ")}`).sort(),
        ["basic", "multistage", "nohost", "optimal"].map(
          (s) => `/root/echo-ip build -t ${s}-img:${tag} -f Dockerfile.${s} .`,
        ),
        "docker build calls",
      );
      same(
        line("docker").filter((l) => /^(tag|push)/.test(l)),
        [
          ...["basic", "optimal", "nohost", "multistage"].map(
            (s) => `tag ${s}-img:${tag} ${s}-img`,
          ),
          `tag multistage-img:${tag} ${registry}/multistage-img:${tag}`,
          `push ${registry}/multistage-img:${tag}`,
          `tag multistage-img:${tag} ${registry}/multistage-img`,
          `push ${registry}/multistage-img`,
        ],
        "docker tag and push",
      );
      check(
        calls.some((c) => c.tool === "javac"),
        "build-in-host.sh did not compile the app on the node",
      );
      return `${calls.length} tool calls recorded; files and modes as the book's 4.4.2 leaves them`;
    },
  },
];
