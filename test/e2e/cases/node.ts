/**
 * The node side of a chapter on a real SSH server: the stand-in node runs the exact commands and
 * standard input the program registers for its VMs (taken from the stack's plan), with OpenSSH's
 * client in place of the command plugin, and the files they leave and the tools they call are
 * checked there. These cases need no provider plugin.
 */
import { createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { knownHostsEntry } from "../../../lib/cluster";
import { caCertHash } from "../../../lib/pki";
import { BOOK_REPOSITORY, scriptText, shq } from "../../../lib/scripts";
import { VERSIONS } from "../../../lib/versions";
import { reveal, runStack } from "../../../tools/mockRun";
import { NODE_HELM, placeStandinHelm, tomlSections } from "../nodeRoot";
import { run } from "../processes";
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
  {
    name: "node (ssh): helm on m-k8s (5.2.3): the pinned release is kept; a download that is not the pinned archive is refused and nothing installed",
    async run(ctx) {
      const node = await ctx.sshNode();
      const step = (await remoteSteps("cluster", 60010)).get("lab-helm");
      check(step?.create, "the cluster registers no lab-helm step on m-k8s");
      const downloads = () =>
        node
          .calls()
          .filter((c) => c.tool === "curl")
          .map((c) => c.args.at(-1));

      // A helm of the pinned release is there (the VM kept it): nothing is downloaded.
      node.clearCalls();
      const kept = node.exec(step.create);
      check(kept.status === 0, `lab-helm failed with helm in place:\n${kept.stderr.trim()}`);
      same(downloads(), [], "downloads with the pinned helm in place");

      // None there: the archive is fetched, and the stand-in curl's file is not the pinned one.
      fs.rmSync(node.file(NODE_HELM));
      try {
        const refused = node.exec(step.create);
        // The node is this machine's kernel: its `uname -m` picks the archive.
        const arch = process.arch === "arm64" ? "arm64" : "amd64";
        const archive = `helm-${VERSIONS.helm.version}-linux-${arch}.tar.gz`;
        check(refused.status !== 0, "lab-helm installed a download that is not the pinned archive");
        same(downloads(), [`https://get.helm.sh/${archive}`], "downloads without helm");
        check(
          refused.stderr.includes(
            `${archive} does not match its pinned sha256 ${VERSIONS.helm.sha256[arch]}; nothing installed`,
          ),
          `lab-helm failed for another reason:\n${refused.stderr.trim()}`,
        );
        check(!fs.existsSync(node.file(NODE_HELM)), `${NODE_HELM} exists after the refusal`);
      } finally {
        placeStandinHelm(node.root);
      }
      return `kept the pinned helm; refused ${downloads()[0]} with a sha256 other than the pinned one`;
    },
  },
  {
    name: "node (ssh): m-k8s built again with a new host key: the Docker provider's ssh refuses the old key, and connects once the stack writes the new one",
    run: (ctx) => rebuiltHostKey(ctx.ws.runDir, ctx.sshNode()),
  },
  {
    name: "node (ssh): a worker provisioned, trusting ch4's registry, then provisioned again (resized): containerd still reads the registry's certs.d",
    run: async (ctx) => reprovisionedTrust(await ctx.sshNode()),
  },
  {
    name: "node (ssh): master_node.sh again on a master with etcd data whose API server does not answer: nothing reset, the reader told; a half-done init is reset and done again",
    run: async (ctx) => masterRunAgain(await ctx.sshNode()),
  },
  {
    name: "node (ssh): work_nodes.sh again on a worker of this cluster whose API server does not answer: nothing reset; joined to an older control plane or half-way: reset and joined",
    run: async (ctx) => workerRunAgain(ctx.ws.runDir, await ctx.sshNode()),
  },
];

/** The stand-in tools' state (test/e2e/node/recorder): faults the e2e arms, what it hands out. */
const STANDIN_STATE = "/var/lib/k8sinfra-lab-standin";

/** The node as before any kubeadm: no cluster files, no etcd data, no kubeconfig handed out. */
function withoutKubeadm(node: SshNode): void {
  for (const p of ["/etc/kubernetes", "/var/lib/etcd", "/root/.kube", "/home/vagrant/.kube"]) {
    fs.rmSync(node.file(p), { recursive: true, force: true });
  }
  fs.rmSync(node.file(STANDIN_STATE), { recursive: true, force: true });
  node.clearCalls();
}

const kubeadmCalls = (node: SshNode) =>
  node
    .calls()
    .filter((c) => c.tool === "kubeadm")
    .map((c) => c.args[0]);

function standInState(node: SshNode, name: string, text = ""): void {
  fs.mkdirSync(node.file(STANDIN_STATE), { recursive: true });
  fs.writeFileSync(node.file(`${STANDIN_STATE}/${name}`), text);
}

/**
 * master_node.sh runs again whenever its step is created again (its text or values changed, or an
 * earlier run failed). On a cluster that was initialised, an API server slow to come back must
 * not be taken for a failed init: kubeadm reset deletes etcd's data, and every chapter's objects
 * with it (kubernetes/kubernetes@v1.36.0 cmd/kubeadm/app/cmd/phases/reset/removeetcdmember.go
 * l. 58-89, cleanupnode.go l. 111-121; see test/nodeScripts.test.ts).
 */
async function masterRunAgain(node: SshNode): Promise<string> {
  const step = (await remoteSteps("cluster", 60010)).get("lab-control-plane");
  check(step?.create, "the cluster stack registers no lab-control-plane");
  withoutKubeadm(node);
  runStep(node, step, "kubeadm init on a new master");
  same(kubeadmCalls(node), ["reset", "init"], "kubeadm on a new master");
  check(fs.existsSync(node.file("/var/lib/etcd/member")), "no etcd data after init");

  // The API server does not come back (the stand-in's control plane stops answering).
  fs.rmSync(node.file("/etc/kubernetes/apiserver.ready"));
  node.clearCalls();
  const again = node.exec(step.create, step.stdin);
  same(kubeadmCalls(node), [], "kubeadm on an initialised master whose API server is silent");
  check(again.status !== 0, "master_node.sh passed with no API server answering");
  const said = again.stderr.trim();
  check(
    said.includes("nothing was reset") && said.includes('vagrant ssh m-k8s -c "sudo crictl ps -a"'),
    `master_node.sh did not say what happened and what to look at:\n${said}`,
  );
  check(fs.existsSync(node.file("/var/lib/etcd/member")), "etcd's data is gone");
  const checks = node
    .calls()
    .filter((c) => c.tool === "kubectl" && c.args.includes("--raw=/readyz")).length;

  // An init that failed half-way: admin.conf and etcd data left, no API server.
  withoutKubeadm(node);
  standInState(node, "fail-kubeadm-init");
  const failed = node.exec(step.create, step.stdin);
  check(failed.status !== 0, "the half-way fault of kubeadm init did not fail it");
  check(
    fs.existsSync(node.file("/etc/kubernetes/admin.conf")) &&
      fs.existsSync(node.file("/var/lib/etcd/member")),
    "the half-done init left no admin.conf or etcd data",
  );
  node.clearCalls();
  runStep(node, step, "master_node.sh after a half-done init");
  same(kubeadmCalls(node), ["reset", "init"], "kubeadm after a half-done init");
  return `new master: reset, init; silent API server: ${checks} checks, exit ${again.status}, no kubeadm call, etcd data kept; half-done init: reset, init`;
}

/**
 * work_nodes.sh runs again when its step is created again, too. A worker of this cluster (its
 * kubelet trusts the CA the stack pins) is not reset for an API server that does not answer; one
 * joined to a control plane that was built before (another CA) or half-way is reset and joined.
 */
async function workerRunAgain(runDir: string, node: SshNode): Promise<string> {
  const steps = await remoteSteps("cluster", 60101);
  const join = steps.get("lab-join-w1-k8s");
  check(join?.create, "the cluster stack registers no lab-join-w1-k8s");
  const master = (await remoteSteps("cluster", 60010)).get("lab-control-plane");
  // The cluster's CA, made as kubeadm init makes it from the stack's CA key (on the master's
  // standard input), is what kubeadm join's discovery finds on the master.
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(
    master?.stdin ?? "",
  )?.[0];
  check(key, "no CA key in the control plane's standard input");
  const ca = (name: string, keyPem?: string) => {
    const dir = path.join(runDir, `worker-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    if (keyPem) fs.writeFileSync(path.join(dir, "ca.key"), keyPem, { mode: 0o600 });
    else run("openssl", ["genrsa", "-out", "ca.key", "2048"], { cwd: dir });
    run(
      "openssl",
      [
        ...["req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt"],
        ...["-days", "2", "-subj", "/CN=kubernetes"],
      ],
      { cwd: dir },
    );
    const pem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
    return {
      pem,
      pin: caCertHash(String(createPublicKey(pem).export({ type: "spki", format: "pem" }))),
    };
  };
  const cluster = ca("cluster", key);
  same(
    /CA_CERT_HASH=(sha256:[0-9a-f]+)/.exec(join.create)?.[1],
    cluster.pin,
    "the pin of the join step",
  );
  const before = ca("before");

  withoutKubeadm(node);
  standInState(node, "cluster-ca.crt", cluster.pem);
  runStep(node, join, "kubeadm join of a new worker");
  same(kubeadmCalls(node), ["reset", "join"], "kubeadm on a new worker");
  const kubeletConf = fs.readFileSync(node.file("/etc/kubernetes/kubelet.conf"), "utf8");

  standInState(node, "api-server.down");
  node.clearCalls();
  const silent = node.exec(join.create, join.stdin);
  same(kubeadmCalls(node), [], "kubeadm on a joined worker whose API server is silent");
  check(silent.status !== 0, "work_nodes.sh passed with no API server answering");
  check(
    silent.stderr.includes("nothing was reset"),
    `work_nodes.sh did not say what happened:\n${silent.stderr.trim()}`,
  );
  same(
    fs.readFileSync(node.file("/etc/kubernetes/kubelet.conf"), "utf8"),
    kubeletConf,
    "kubelet.conf after the silent API server",
  );
  fs.rmSync(node.file(`${STANDIN_STATE}/api-server.down`));

  // Joined to a control plane built before: its kubelet trusts that one's CA.
  withoutKubeadm(node);
  standInState(node, "cluster-ca.crt", before.pem);
  const joinedBefore = node.exec(
    `kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${before.pin} --node-name w1-k8s`,
  );
  check(
    joinedBefore.status === 0,
    `the join to the old control plane failed: ${joinedBefore.stderr}`,
  );
  standInState(node, "cluster-ca.crt", cluster.pem);
  node.clearCalls();
  runStep(node, join, "kubeadm join after the control plane was built again");
  same(kubeadmCalls(node), ["reset", "join"], "kubeadm on a worker of the old control plane");

  // A join that failed half-way: kubelet.conf written, no kubelet.
  withoutKubeadm(node);
  standInState(node, "cluster-ca.crt", cluster.pem);
  standInState(node, "fail-kubeadm-join");
  check(node.exec(join.create, join.stdin).status !== 0, "the half-way join did not fail");
  node.clearCalls();
  runStep(node, join, "kubeadm join after a half-way join");
  same(kubeadmCalls(node), ["reset", "join"], "kubeadm after a half-way join");
  return "silent API server: no kubeadm call, kubelet.conf kept; older control plane: reset, join; half-way join: reset, join";
}

/**
 * A worker resized on a running cluster (`vagrant reload --provision`) runs install_pkg.sh again,
 * which writes containerd's config anew; the registry's trust (ch4's trust step, run once) does not
 * run again. The folder it wrote must still be the one containerd reads its registries from: the
 * CRI images plugin's and the transfer service's config_path (see test/nodeScripts.test.ts for
 * containerd v2.2.7's sources).
 */
async function reprovisionedTrust(node: SshNode): Promise<string> {
  const worker = "192.168.56.101";
  // w1-k8s is reached through its forwarded SSH port (the book's 60101).
  const trust = (await remoteSteps("ch4", 60101)).get("registry-trust-w1-k8s");
  const installPkg = {
    K8S_PACKAGE_VERSION: "1.36.0-1.1",
    NODE_IP: worker,
    NODE_ROLE: "",
    BOOK_REPOSITORY,
  };
  provision(node, "install_pkg.sh", installPkg);
  runStep(node, trust, "registry trust on w1-k8s");
  node.clearCalls();
  provision(node, "install_pkg.sh", installPkg);

  const registry = "192.168.56.10:8443";
  const certs = "/etc/containerd/certs.d";
  const config = tomlSections(fs.readFileSync(node.file("/etc/containerd/config.toml"), "utf8"));
  for (const section of [
    "plugins.'io.containerd.cri.v1.images'.registry",
    "plugins.'io.containerd.transfer.v1.local'",
  ]) {
    same(config.get(section)?.get("config_path"), `'${certs}'`, `config_path of [${section}]`);
  }
  check(
    fs
      .readFileSync(node.file(`${certs}/${registry}/hosts.toml`), "utf8")
      .includes(`server = "https://${registry}"`),
    "hosts.toml of the registry is gone or changed",
  );
  check(
    fs.readFileSync(node.file(`${certs}/${registry}/ca.crt`), "utf8").includes("BEGIN CERTIFICATE"),
    "ca.crt of the registry is gone",
  );
  const restarts = node
    .calls()
    .filter((c) => c.tool === "systemctl" && c.args.join(" ") === "restart containerd").length;
  same(restarts, 1, "containerd restarts after provisioning again");
  return `after provisioning again: both config_path name ${certs}; ${registry}'s hosts.toml and ca.crt in place`;
}

/**
 * A VM built again has a new host key. The Docker provider reaches m-k8s with OpenSSH's `ssh` and
 * the options the stack gives it (host-key checking on, against the known_hosts file the stack
 * writes from the VM's current key); the command plugin pins the same key per connection. Here
 * the real `ssh` with those options meets a real sshd before and after its key changes.
 */
async function rebuiltHostKey(runDir: string, started: Promise<SshNode>): Promise<string> {
  const node = await started;
  const plan = await runStack({ stack: "ch4" });
  const provider = plan.resources.find((r) => r.type === "pulumi:providers:docker");
  check(provider, "ch4 registers no Docker provider");
  // Provider settings reach the engine as JSON text.
  const raw = (reveal(provider.inputs) as { sshOpts: string | string[] }).sshOpts;
  const sshOpts: string[] = typeof raw === "string" ? JSON.parse(raw) : raw;
  check(sshOpts.includes("StrictHostKeyChecking=yes"), `host keys are not checked: ${sshOpts}`);
  const keyFile = sshOpts[sshOpts.indexOf("-i") + 1];
  const knownHostsFile = sshOpts
    .find((o) => o.startsWith("UserKnownHostsFile="))
    ?.slice("UserKnownHostsFile=".length);
  check(keyFile && knownHostsFile, `no key or known_hosts file in ${sshOpts.join(" ")}`);
  const writer = plan.resources.find(
    (r) =>
      r.type === "command:local:Command" &&
      (reveal(r.inputs) as { create?: string }).create ===
        `node host/vm.js write ${knownHostsFile}`,
  );
  check(writer, `ch4 writes no ${knownHostsFile}`);
  const planned = (reveal(writer.inputs) as { stdin: string }).stdin;
  check(
    /^\[127\.0\.0\.1\]:60010 ssh-ed25519 \S+\n$/.test(planned),
    `the known_hosts line for m-k8s is not [127.0.0.1]:60010 and its key: ${planned}`,
  );

  // The stack's folder as `pulumi up` leaves it: its key, and known_hosts written by host/vm.js.
  const project = path.join(runDir, "host-key");
  fs.mkdirSync(path.join(project, path.dirname(keyFile)), { recursive: true });
  fs.copyFileSync(node.clientKey, path.join(project, keyFile));
  fs.chmodSync(path.join(project, keyFile), 0o600);
  const vmJs = path.resolve(__dirname, "..", "..", "..", "host", "vm.js");
  const writeKnownHosts = () => {
    const hostKey = node.knownHosts.split(" ").slice(1).join(" ");
    const r = run(process.execPath, [vmJs, "write", knownHostsFile], {
      cwd: project,
      input: knownHostsEntry({ ssh: { host: node.host, port: node.port }, hostKey }),
      allowFail: true,
    });
    check(r.status === 0, `host/vm.js write ${knownHostsFile} failed: ${r.stderr}`);
  };
  const ssh = () =>
    run(
      "ssh",
      [...sshOpts, "-o", "BatchMode=yes", "-p", String(node.port), `root@${node.host}`, "true"],
      { cwd: project, allowFail: true },
    );

  writeKnownHosts();
  const first = ssh();
  check(first.status === 0, `ssh to the node as built first failed:\n${first.stderr}`);
  await node.rebuildHostKey();
  const stale = ssh();
  check(stale.status !== 0, "ssh accepted the new host key against the old known_hosts line");
  check(
    /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(stale.stderr),
    `ssh failed for another reason:\n${stale.stderr}`,
  );
  writeKnownHosts();
  const again = ssh();
  check(again.status === 0, `ssh after known_hosts was written again failed:\n${again.stderr}`);
  return "old key refused (host identification changed), new key accepted once known_hosts holds the VM's new key";
}
