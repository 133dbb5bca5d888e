/**
 * The lab cluster of book 3.1.3 (`lab:cluster.mode: vagrant`): VM sizes, kubeadm init and join,
 * and the shape of the dependency graph.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { caCertHash } from "../lib/pki";
import { ancestors, graphDepth as depth } from "../tools/graph";
import { Secret } from "../tools/mockRun";
import { find, inputsOf, runStack, type StackRun } from "./harness";

const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";
const vagrant = { "lab:cluster.mode": "vagrant" };

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "practice", config: vagrant });
});

const remote = (run: StackRun, name: string) => inputsOf(find(run, REMOTE, name));

describe("3.1.3 Vagrantfile: the cluster's VMs", () => {
  it("m-k8s 2 CPUs / 3072 MB and workers 1 CPU / 2560 MB", () => {
    const m = inputsOf(find(base, LOCAL, "lab-m-k8s")).stdin;
    expect(m).toContain("vb.cpus = 2");
    expect(m).toContain("vb.memory = 3072");
    for (const w of ["w1-k8s", "w2-k8s", "w3-k8s"]) {
      const text = inputsOf(find(base, LOCAL, `lab-${w}`)).stdin;
      expect(text).toContain("vb.cpus = 1");
      expect(text).toContain("vb.memory = 2560");
    }
  });

  it("config.sh then install_pkg.sh on every node, the master with Main, kubeadm at the pinned version", () => {
    const m = inputsOf(find(base, LOCAL, "lab-m-k8s")).stdin;
    // Each script's values are its environment (the provisioner's env:), as scripts/*.sh read them.
    expect(m).toMatch(
      /cfg\.vm\.provision "shell", path: "scripts\/config\.sh", env: \{ "ROOT_SSH_KEY" => "ssh-ed25519 [A-Za-z0-9+/=]+\\n" \}/,
    );
    expect(m).toContain(
      'cfg.vm.provision "shell", path: "scripts/install_pkg.sh", env: { "K8S_PACKAGE_VERSION" => "1.36.0-1.1", "NODE_IP" => "192.168.56.10", "NODE_ROLE" => "Main", "BOOK_REPOSITORY" => "https://github.com/sysnet4admin/_Book_k8sInfra.git" }',
    );
    const w = inputsOf(find(base, LOCAL, "lab-w2-k8s")).stdin;
    expect(w).toContain(
      '"K8S_PACKAGE_VERSION" => "1.36.0-1.1", "NODE_IP" => "192.168.56.102", "NODE_ROLE" => ""',
    );
  });

  it("nodes prepare as kubeadm needs: swap off, br_netfilter, forwarding, containerd, kubelet on the host-only address", () => {
    const files = Object.fromEntries(
      base.resources
        .filter((r) => r.type === LOCAL && r.name.startsWith("lab-file-"))
        .map((r) => [r.name, inputsOf(r).stdin as string]),
    );
    const config = files["lab-file-scripts-config.sh"];
    expect(config).toContain("swapoff -a");
    expect(config).toContain("modprobe br_netfilter");
    expect(config).toContain("net.bridge.bridge-nf-call-iptables = 1");
    expect(config).toContain("net.ipv4.ip_forward = 1");
    const install = files["lab-file-scripts-install_pkg.sh"];
    expect(install).toContain("https://pkgs.k8s.io/core:/stable:/v$minor/deb/");
    expect(install).toContain('"kubeadm=$K8S_PACKAGE_VERSION"');
    expect(install).toContain("SystemdCgroup = true");
    expect(install).toContain("KUBELET_EXTRA_ARGS=--node-ip=$NODE_IP");
  });
});

describe("master_node.sh: kubeadm init", () => {
  it("advertises the master's address and uses the book's pod CIDR 172.16.0.0/16", () => {
    const cp = remote(base, "lab-control-plane");
    // Pulumi reaches m-k8s through Vagrant's forwarded SSH port (the book's 60010).
    expect([cp.connection.host, cp.connection.port]).toEqual(["127.0.0.1", 60010]);
    expect(cp.create).toMatch(/^export .*ADVERTISE_ADDRESS=192\.168\.56\.10 /);
    expect(cp.create).toContain('--apiserver-advertise-address="$ADVERTISE_ADDRESS"');
    expect(cp.create).toContain("POD_CIDR=172.16.0.0/16");
    expect(cp.create).toContain('--pod-network-cidr="$POD_CIDR"');
    expect(cp.create).toContain("K8S_VERSION=1.36.0");
    // This machine reaches the API server on 127.0.0.1 (the forwarded port): in its certificate.
    expect(cp.create).toContain("API_EXTRA_SANS=127.0.0.1");
  });

  it("installs a current Calico on the same CIDR, detecting addresses on the host-only network", () => {
    const cp = remote(base, "lab-control-plane").create;
    expect(cp).toContain("CALICO_VERSION=3.31.2");
    expect(cp).toContain("projectcalico/calico/v$CALICO_VERSION/manifests/calico.yaml");
    expect(cp).toContain("NODE_CIDR=192.168.56.0/24");
    // Put into the manifest before it is applied: test/upstream.test.ts runs this sed on the
    // calico-node DaemonSet of calico.yaml v3.31.2 and checks what kubectl is given.
    expect(cp).toContain("- name: IP_AUTODETECTION_METHOD");
    expect(cp).not.toContain("set env daemonset/calico-node");
  });

  it("no fixed token: the token is generated ([a-z0-9]{6}.[a-z0-9]{16}) and reaches the nodes only as secret input", () => {
    const all = JSON.stringify(base.resources.map((r) => r.inputs));
    expect(all).not.toContain("123456.1234567890123456");
    expect(all).not.toContain("unsafe-skip-ca-verification");
    const id = inputsOf(find(base, "random:index/randomString:RandomString", "lab-token-id"));
    const secret = inputsOf(
      find(base, "random:index/randomString:RandomString", "lab-token-secret"),
    );
    expect([id.length, secret.length]).toEqual([6, 16]);
    for (const part of [id, secret])
      expect(part).toMatchObject({ upper: false, special: false, lower: true, numeric: true });
    const token = `${find(base, "random:index/randomString:RandomString", "lab-token-id").outputs.result}.${
      find(base, "random:index/randomString:RandomString", "lab-token-secret").outputs.result
    }`;
    for (const name of ["lab-control-plane", "lab-join-w1-k8s"]) {
      const r = find(base, REMOTE, name);
      expect(r.inputs.stdin).toBeInstanceOf(Secret);
      expect(String(inputsOf(r).stdin).split("\n")[0]).toBe(token);
      expect(inputsOf(r).create).not.toContain(token);
    }
  });

  it("the stack's CA goes to the master as secret input, for kubeadm to use", () => {
    const cp = find(base, REMOTE, "lab-control-plane");
    expect(String(inputsOf(cp).stdin)).toMatch(/BEGIN CERTIFICATE[\s\S]*BEGIN PRIVATE KEY/);
    expect(inputsOf(cp).create).toContain("/etc/kubernetes/pki/ca.key");
    const ca = inputsOf(find(base, "tls:index/selfSignedCert:SelfSignedCert", "lab-ca"));
    expect(ca.isCaCertificate).toBe(true);
    // The TLS provider takes the Terraform names (keyUsages in terraform-provider-tls
    // internal/provider/common_cert.go); the SDK's doc comment lists camelCase names it rejects.
    expect(ca.allowedUses).toEqual(["cert_signing", "key_encipherment", "digital_signature"]);
  });
});

describe("work_nodes.sh: kubeadm join", () => {
  it("each worker joins the master's API server pinned to the CA's hash", () => {
    const hash = caCertHash(
      String(find(base, "tls:index/privateKey:PrivateKey", "lab-ca-key").outputs.publicKeyPem),
    );
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const [i, w] of ["w1-k8s", "w2-k8s", "w3-k8s"].entries()) {
      const join = remote(base, `lab-join-${w}`);
      expect(join.connection.port).toBe(60100 + i + 1);
      expect(join.create).toContain("API_SERVER=192.168.56.10:6443");
      expect(join.create).toContain(`CA_CERT_HASH=${hash}`);
      expect(join.create).toContain('--discovery-token-ca-cert-hash "$CA_CERT_HASH"');
    }
  });

  it("the joins do not depend on each other: only on the control plane and their own VM", () => {
    const joins = ["w1-k8s", "w2-k8s", "w3-k8s"].map((w) => find(base, REMOTE, `lab-join-${w}`));
    for (const [k, join] of joins.entries()) {
      const before = ancestors(base, join.urn);
      expect(before).toContain(find(base, REMOTE, "lab-control-plane").urn);
      expect(before).toContain(find(base, LOCAL, `lab-w${k + 1}-k8s`).urn);
      for (const other of joins.filter((j) => j !== join)) {
        expect(before).not.toContain(other.urn);
        expect(before).not.toContain(
          find(base, LOCAL, other.name.replace("lab-join-", "lab-")).urn,
        );
      }
    }
  });

  it("the graph for 10 workers is exactly as deep as for 3", async () => {
    const ten = await runStack({
      stack: "practice",
      config: { ...vagrant, "lab:cluster.workers": "10" },
    });
    expect(ten.resources.filter((r) => r.name.startsWith("lab-join-"))).toHaveLength(10);
    expect(depth(ten)).toBe(depth(base));
  });

  it("a removed worker's node object is deleted on the master before its VM goes", () => {
    const forget = find(base, REMOTE, "lab-forget-w3-k8s");
    expect(inputsOf(forget).connection.port).toBe(60010);
    expect(inputsOf(forget).create).toBeUndefined();
    expect(inputsOf(forget).delete).toContain('kubectl delete node "$NODE_NAME"');
    expect(inputsOf(forget).delete).toMatch(/^export NODE_NAME=w3-k8s\n/);
    expect(ancestors(base, forget.urn)).toContain(find(base, LOCAL, "lab-w3-k8s").urn);
  });
});

describe("access to the nodes and the cluster", () => {
  it("no password SSH: root with the stack's key, and the nodes refuse passwords", () => {
    for (const r of base.resources.filter((x) => x.type === REMOTE)) {
      expect(r.inputs.connection, r.name).toBeInstanceOf(Secret);
      const c = inputsOf(r).connection;
      expect(c.user).toBe("root");
      expect(c.password).toBeUndefined();
      expect(c.privateKey).toMatch(/PRIVATE KEY/);
      expect(c.dialErrorLimit).toBeGreaterThanOrEqual(20);
      // Host keys are checked: each connection names the key its VM had when it came up.
      expect(c.hostKey, r.name).toMatch(/^ssh-ed25519 /);
      expect(inputsOf(r).addPreviousOutputInEnv, r.name).toBe(false);
    }
    const key = inputsOf(find(base, "tls:index/privateKey:PrivateKey", "lab-ssh-key"));
    expect(key.algorithm).toBe("ED25519");
    const config = inputsOf(find(base, LOCAL, "lab-file-scripts-config.sh")).stdin;
    expect(config).toContain("PasswordAuthentication no");
    expect(config).toContain("PermitRootLogin prohibit-password");
  });

  it("the admin kubeconfig is a secret output pointing at the master's forwarded API server port", () => {
    expect(base.outputs.kubeconfig).toBeInstanceOf(Secret);
    const config = JSON.parse(String((base.outputs.kubeconfig as Secret).value));
    expect(config.clusters[0].cluster.server).toBe("https://127.0.0.1:60443");
    expect(inputsOf(find(base, LOCAL, "lab-m-k8s")).stdin).toContain(
      'cfg.vm.network "forwarded_port", guest: 6443, host: 60443, auto_correct: true, id: "kube-apiserver"',
    );
    const csr = inputsOf(find(base, "tls:index/certRequest:CertRequest", "lab-admin-csr"));
    expect(csr.subject.organization).toBe("system:masters");
  });

  it("the chapter's provider waits for the control plane and every join", () => {
    const provider = find(base, "pulumi:providers:kubernetes", "lab-vagrant");
    expect(provider.inputs.kubeconfig).toBeInstanceOf(Secret);
    const ready = ["lab-control-plane", "lab-join-w1-k8s", "lab-join-w2-k8s", "lab-join-w3-k8s"];
    expect(provider.dependsOn).toEqual(
      expect.arrayContaining(ready.map((n) => find(base, REMOTE, n).urn)),
    );
    for (const r of base.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
      expect(r.provider).toBe(provider.urn);
    }
  });

  it("adding w4-k8s adds its VM and join; no other VM, join or Kubernetes object changes", async () => {
    const four = await runStack({
      stack: "practice",
      config: { ...vagrant, "lab:cluster.workers": "4" },
    });
    const key = (r: { type: string; name: string; inputs: unknown }) =>
      JSON.stringify([r.type, r.name, r.inputs]);
    const before = new Set(base.resources.map(key));
    const differs = four.resources
      .filter((r) => !before.has(key(r)))
      .map((r) => r.name)
      .sort();
    // /etc/hosts on every node gains the new worker; everything else stays.
    expect(differs).toEqual(
      [
        "lab-w4-k8s",
        "lab-join-w4-k8s",
        "lab-forget-w4-k8s",
        "lab-hosts-m-k8s",
        "lab-hosts-w1-k8s",
        "lab-hosts-w2-k8s",
        "lab-hosts-w3-k8s",
        "lab-hosts-w4-k8s",
        // The NFS client tools, which every node of the lab cluster gets.
        "lab-nfs-client-w4-k8s",
      ].sort(),
    );
    expect(remote(four, "lab-hosts-w1-k8s").create).toContain("192.168.56.104 w4-k8s");
  });
});
