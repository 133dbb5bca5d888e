/**
 * The node scripts of the lab cluster run for real (bash), as the stack registers them, on a node
 * whose root is a scratch folder: the scripts' absolute paths (/etc, /var, /root, /home) are moved
 * into it, and the heavy tools are the e2e's stand-ins (test/e2e/node/recorder, moved the same
 * way), which keep the files kubeadm and containerd leave and record every call. The e2e runs the
 * same scripts on a real Debian root behind sshd (test/e2e/cases/node.ts).
 */
import { spawnSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../lib/i18n";
import { type Messages, messages } from "../lib/messages";
import { caCertHash } from "../lib/pki";
import { API_WAIT_MINUTES, scriptText } from "../lib/scripts";
import { STANDIN_TOOLS, tomlSections } from "./e2e/nodeRoot";
import { find, inputsOf, runStack, type StackRun } from "./harness";

const REMOTE = "command:remote:Command";
const RECORDER = path.join(__dirname, "e2e", "node", "recorder");

let root: string;

/** A text with its absolute paths of the node moved under the scratch root. */
const moved = (text: string) =>
  text.replace(/(^|[\s'"=(>])\/(etc|var|root|home)\//gm, `$1${root}/$2/`);
/** A path of the node on this machine. */
const at = (nodePath: string) => path.join(root, nodePath);
const read = (nodePath: string) => fs.readFileSync(at(nodePath), "utf8");
const write = (nodePath: string, text: string) => {
  fs.mkdirSync(path.dirname(at(nodePath)), { recursive: true });
  fs.writeFileSync(at(nodePath), text);
};
const STATE = "/var/lib/k8sinfra-lab-standin";

/** Runs a command as Pulumi or Vagrant would on the node (bash, its text, standard input). */
function onNode(command: string, stdin = "") {
  const r = spawnSync("bash", ["-c", moved(command)], {
    input: stdin,
    encoding: "utf8",
    cwd: root,
    env: {
      PATH: `${at("/opt/standin/bin")}:${process.env.PATH}`,
      HOME: at("/root"),
      LC_ALL: "C.UTF-8",
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stand-in tools' calls so far, as `tool args...` lines, oldest first. */
function calls(tool?: string): string[] {
  const log = at("/var/log/k8sinfra-lab-standin.jsonl");
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { tool: string; args: string[] })
    .filter((c) => !tool || c.tool === tool)
    .map((c) => [c.tool, ...c.args].join(" "));
}
const clearCalls = () => fs.rmSync(at("/var/log/k8sinfra-lab-standin.jsonl"), { force: true });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-node-"));
  const bin = at("/opt/standin/bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "recorder"), moved(fs.readFileSync(RECORDER, "utf8")), {
    mode: 0o755,
  });
  // dpkg is the box's own on a node; owners and groups (install -o vagrant) need root here.
  for (const tool of [...STANDIN_TOOLS, "dpkg"]) fs.symlinkSync("recorder", path.join(bin, tool));
  fs.writeFileSync(
    path.join(bin, "install"),
    '#!/bin/sh\nfor a; do shift; case "$a" in -o|-g) skip=1 ;; *) if [ -n "$skip" ]; then skip=; else set -- "$@" "$a"; fi ;; esac; done\nexec /usr/bin/install "$@"\n',
    { mode: 0o755 },
  );
  write("/etc/os-release", "VERSION_CODENAME=noble\n");
  // Folders the box has.
  for (const dir of [
    "/root",
    "/home/vagrant",
    "/var/log",
    "/etc/apt/sources.list.d",
    "/etc/default",
  ]) {
    fs.mkdirSync(at(dir), { recursive: true });
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe.runIf(process.platform === "linux")(
  "containerd's registry folder (book 4.4.2's trust)",
  () => {
    // containerd/containerd@v2.2.7: kubelet's pulls go through the CRI images plugin, which passes its
    // registry config_path to the transfer service as the registry's hosts folder
    // (internal/cri/server/images/image_pull.go l. 311, pullImageWithTransferService, the default:
    // use_local_image_pull = false). Left empty, as `containerd config default` prints it, the plugin
    // sets "/etc/containerd/certs.d:/etc/docker/certs.d" (plugins/cri/images/plugin.go l. 64-72), which
    // the transfer service's HostDirFromRoot takes as one folder name
    // (core/transfer/registry/registry.go l. 127-129; core/remotes/docker/config/hosts.go l. 292-303,
    // config_unix.go hostPaths): no hosts.toml is found and the lab registry's certificate is not
    // trusted. The transfer service has a config_path of its own (plugins/transfer/plugin.go l. 181,
    // 209-210), printed empty too. docs/hosts.md (l. 36-43): point config_path at the folder of the
    // hosts.toml files.
    const env = {
      K8S_PACKAGE_VERSION: "1.36.0-1.1",
      NODE_IP: "192.168.56.101",
      NODE_ROLE: "",
      BOOK_REPOSITORY: "https://github.com/sysnet4admin/_Book_k8sInfra.git",
    };
    const provision = () => {
      const exports = Object.entries(env)
        .map(([k, v]) => `${k}='${v}'`)
        .join(" ");
      const r = onNode(`export ${exports}\n${scriptText("install_pkg.sh")}`);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    };
    const registry = "192.168.56.10:8443";
    const certs = "/etc/containerd/certs.d";
    const config = () => tomlSections(read("/etc/containerd/config.toml").replaceAll(root, ""));

    it("a node provisioned again (a resized VM) keeps trusting the lab registry: config_path names certs.d, whose files stay", () => {
      provision();
      const trust = onNode(
        `export REGISTRY=${registry} TRUST_DOCKER=no\n${scriptText("trust_registry.sh")}`,
        "-----BEGIN CERTIFICATE-----\nlab registry\n-----END CERTIFICATE-----\n",
      );
      expect(trust.status).toBe(0);
      // `vagrant reload --provision` after lab:cluster.workerMemory changed: install_pkg.sh again.
      provision();

      const c = config();
      expect(c.get("plugins.'io.containerd.cri.v1.images'.registry")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(c.get("plugins.'io.containerd.transfer.v1.local'")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(
        c
          .get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options")
          ?.get("SystemdCgroup"),
      ).toBe("true");
      // Other paths of the default config are left as they are.
      expect(
        c
          .get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc")
          ?.get("runtime_path"),
      ).toBe("''");
      expect(c.get("plugins.'io.containerd.nri.v1.nri'")?.get("plugin_config_path")).toBe(
        "'/etc/nri/conf.d'",
      );
      expect(read(`${certs}/${registry}/hosts.toml`)).toContain(`server = "https://${registry}"`);
      expect(read(`${certs}/${registry}/ca.crt`)).toContain("lab registry");
    });

    it("a node provisioned before install_pkg.sh named the folder is set right by the trust", () => {
      provision();
      write(
        "/etc/containerd/config.toml",
        read("/etc/containerd/config.toml").replaceAll(`'${root}${certs}'`, "''"),
      );
      clearCalls();
      const trust = onNode(
        `export REGISTRY=${registry} TRUST_DOCKER=no\n${scriptText("trust_registry.sh")}`,
        "-----BEGIN CERTIFICATE-----\nlab registry\n-----END CERTIFICATE-----\n",
      );
      expect(trust.status).toBe(0);
      const c = config();
      expect(c.get("plugins.'io.containerd.cri.v1.images'.registry")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(c.get("plugins.'io.containerd.transfer.v1.local'")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(calls("systemctl")).toEqual(["systemctl restart containerd"]);
    });
  },
);

/** The cluster stack's commands for its nodes, with their standard input, as Pulumi runs them. */
let plan: StackRun;
const step = (name: string) => {
  const i = inputsOf(find(plan, REMOTE, name));
  return { create: String(i.create), stdin: String(i.stdin) };
};
const runStep = (name: string) => {
  const s = step(name);
  return onNode(s.create, s.stdin);
};
/** kubeadm's subcommands called so far. */
const kubeadm = () => calls("kubeadm").map((c) => c.split(" ")[1]);
const readinessChecks = () => calls("kubectl").filter((c) => c.includes("--raw=/readyz")).length;
const bothLanguages = (text: (m: Messages) => string) => LANGUAGES.map((l) => text(messages(l)));

// kubernetes/kubernetes@v1.36.0 (module k8s.io/kubernetes v1.36.0):
// cmd/kubeadm/app/cmd/init.go l. 158-171: init's phases run kubeconfig (admin.conf) and etcd (its
// static pod, which the kubelet starts at kubelet-start) before wait-control-plane, so an init whose
// control plane does not come up leaves admin.conf and etcd data behind.
// cmd/kubeadm/app/cmd/reset.go l. 242-244: reset runs remove-etcd-member, which deletes the contents
// of etcd's data folder (phases/reset/removeetcdmember.go l. 58-89; /var/lib/etcd by default,
// apis/kubeadm/v1beta4/defaults.go l. 51), then cleanup-node, which deletes admin.conf and the other
// kubeconfig files and the contents of /etc/kubernetes/pki (phases/reset/cleanupnode.go l. 111-121,
// 152-183). A reset master loses every object of its cluster.
describe.runIf(process.platform === "linux")(
  "master_node.sh: kubeadm reset only where no cluster was initialised",
  () => {
    beforeAll(async () => {
      plan = await runStack({ stack: "cluster" });
    });
    const apiServerDown = () => fs.rmSync(at("/etc/kubernetes/apiserver.ready"));

    it("a new master: kubeadm reset (nothing to keep), then init; root gets admin.conf", () => {
      const r = runStep("lab-control-plane");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual(["reset", "init"]);
      expect(read("/root/.kube/config")).toBe(read("/etc/kubernetes/admin.conf"));
      expect(fs.existsSync(at("/var/lib/etcd/member"))).toBe(true);
    });

    it("an initialised cluster whose API server does not answer: checked for 10 minutes, nothing reset, the reader told what to look at", () => {
      expect(runStep("lab-control-plane").status).toBe(0);
      clearCalls();
      apiServerDown();
      const r = runStep("lab-control-plane");
      expect(r.status).toBe(1);
      expect(kubeadm()).toEqual([]);
      // Every 5 seconds for API_WAIT_MINUTES (the stand-in `sleep` does not wait).
      expect(readinessChecks()).toBe(API_WAIT_MINUTES * 12);
      for (const text of bothLanguages((m) =>
        m.controlPlaneNotAnswering("m-k8s", API_WAIT_MINUTES),
      )) {
        // The message names node paths, which the scratch root moved too.
        expect(r.stderr.replaceAll(root, "")).toContain(text);
      }
      expect(r.stderr).toContain('vagrant ssh m-k8s -c "sudo crictl ps -a"');
      expect(fs.existsSync(at("/var/lib/etcd/member"))).toBe(true);
      expect(fs.existsSync(at("/etc/kubernetes/admin.conf"))).toBe(true);
    });

    it("an initialised cluster whose API server answers only after 3 minutes: waited for, not reset", () => {
      expect(runStep("lab-control-plane").status).toBe(0);
      clearCalls();
      write(`${STATE}/readyz-refusals`, "36\n");
      const r = runStep("lab-control-plane");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual([]);
      expect(readinessChecks()).toBe(37);
    });

    it("an init that failed half-way (admin.conf and etcd data left): kubeadm reset, then init again", () => {
      write(`${STATE}/fail-kubeadm-init`, "");
      expect(runStep("lab-control-plane").status).toBe(1);
      expect(fs.existsSync(at("/etc/kubernetes/admin.conf"))).toBe(true);
      expect(fs.existsSync(at("/var/lib/etcd/member"))).toBe(true);
      clearCalls();
      const r = runStep("lab-control-plane");
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual(["reset", "init"]);
      // No API server came up to be waited for before the reset.
      expect(calls().findIndex((c) => c.startsWith("kubeadm reset"))).toBe(
        calls().findIndex((c) => c.startsWith("kubeadm")),
      );
    });
  },
);

/** A CA certificate (PEM) for a key, and the pin kubeadm join checks it against. */
function caCertificate(keyPem: string): { pem: string; pin: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ca-"));
  try {
    fs.writeFileSync(path.join(dir, "ca.key"), keyPem, { mode: 0o600 });
    const r = spawnSync(
      "openssl",
      [
        ...["req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt"],
        ...["-days", "2", "-subj", "/CN=kubernetes"],
      ],
      { cwd: dir, encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    const pem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
    const spki = createPublicKey(pem).export({ type: "spki", format: "pem" });
    return { pem, pin: caCertHash(String(spki)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(process.platform === "linux")(
  "work_nodes.sh: kubeadm reset only where the worker is not this cluster's node",
  () => {
    let cluster: { pem: string; pin: string };
    beforeAll(async () => {
      plan = await runStack({ stack: "cluster" });
      // The stack's CA key goes to the master on standard input; kubeadm init makes the CA with it.
      const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(
        step("lab-control-plane").stdin,
      )?.[0];
      if (!key) throw new Error("no CA key in the control plane's standard input");
      cluster = caCertificate(key);
    });
    // What the master's cluster-info hands out to kubeadm join's discovery (see the recorder).
    const discovery = (pem: string) => write(`${STATE}/cluster-ca.crt`, pem);
    beforeEach(() => discovery(cluster.pem));
    const join = () => runStep("lab-join-w1-k8s");

    it("a new worker: kubeadm reset, then join pinned to the stack's CA, which its kubelet then trusts", () => {
      expect(step("lab-join-w1-k8s").create).toContain(`CA_CERT_HASH=${cluster.pin}`);
      const r = join();
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual(["reset", "join"]);
      expect(read("/etc/kubernetes/kubelet.conf")).toContain(
        `certificate-authority-data: ${Buffer.from(cluster.pem).toString("base64")}`,
      );
    });

    it("a worker of this cluster whose API server does not answer: checked for 10 minutes, nothing reset, the reader told what to look at", () => {
      expect(join().status).toBe(0);
      const kubeletConf = read("/etc/kubernetes/kubelet.conf");
      clearCalls();
      write(`${STATE}/api-server.down`, "");
      const r = join();
      expect(r.status).toBe(1);
      expect(kubeadm()).toEqual([]);
      expect(readinessChecks()).toBe(API_WAIT_MINUTES * 12);
      for (const text of bothLanguages((m) =>
        m.workerApiNotAnswering("w1-k8s", "192.168.56.10:6443", "m-k8s", API_WAIT_MINUTES),
      )) {
        // The message names node paths, which the scratch root moved too.
        expect(r.stderr.replaceAll(root, "")).toContain(text);
      }
      expect(read("/etc/kubernetes/kubelet.conf")).toBe(kubeletConf);
    });

    it("a worker of this cluster whose API server answers only after 3 minutes: waited for, not reset", () => {
      expect(join().status).toBe(0);
      clearCalls();
      write(`${STATE}/readyz-refusals`, "36\n");
      const r = join();
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual([]);
    });

    it("a worker joined to a control plane that was built before (another CA): reset, joined again", () => {
      const before = caCertificate(
        String(
          generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
            type: "pkcs8",
            format: "pem",
          }),
        ),
      );
      discovery(before.pem);
      const old = onNode(
        `kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${before.pin} --node-name w1-k8s`,
      );
      expect(old.status).toBe(0);
      discovery(cluster.pem);
      clearCalls();
      const r = join();
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual(["reset", "join"]);
      expect(read("/etc/kubernetes/kubelet.conf")).toContain(
        Buffer.from(cluster.pem).toString("base64"),
      );
    });

    it("a join that failed half-way (kubelet.conf written, no kubelet): reset, joined again", () => {
      write(`${STATE}/fail-kubeadm-join`, "");
      expect(join().status).toBe(1);
      expect(fs.existsSync(at("/etc/kubernetes/kubelet.conf"))).toBe(true);
      clearCalls();
      const r = join();
      expect(r.status).toBe(0);
      expect(kubeadm()).toEqual(["reset", "join"]);
    });
  },
);
