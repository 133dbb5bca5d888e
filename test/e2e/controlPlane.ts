/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler (built by the toolchain), and kwok in place of the
 * kubelets, so that pods of the lab's nodes become Running and Ready and the provider's await logic
 * runs for real. Certificates and the admin kubeconfig are made per run with openssl.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER, NETWORK } from "../../lib/book";
import { labNodes } from "../../lib/vagrant";
import { freePort, listening, run, startProcess, stopProcess, waitFor } from "./processes";

export interface ControlPlane {
  /** The admin kubeconfig file (mode 0600). */
  readonly kubeconfig: string;
  readonly server: string;
  /** `kubectl` against it, returning stdout; throws on failure unless `allowFail`. */
  kubectl(args: readonly string[], options?: { input?: string; allowFail?: boolean }): string;
  /** `kubectl` against it, with its exit status and both outputs. */
  kubectlRun(
    args: readonly string[],
    input?: string,
  ): { status: number; stdout: string; stderr: string };
  /** `kubectl get -o json`, parsed. */
  getJson<T = Record<string, unknown>>(args: readonly string[]): T;
  /** Stops the API server (etcd keeps the data), for the fault cases. */
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  readonly nodes: readonly { name: string; ip: string; role: "master" | "worker" }[];
}

function openssl(dir: string, args: string[]) {
  run("openssl", args, { cwd: dir });
}

/**
 * CA (made here, or a given one: the lab cluster's own), serving certificate for loopback, admin
 * client certificate, service-account keys. Made once: a restarted control plane keeps them.
 */
function certificates(dir: string, ca?: { cert: string; key: string }) {
  if (fs.existsSync(path.join(dir, "sa.pub"))) return;
  if (ca) {
    fs.copyFileSync(ca.cert, path.join(dir, "ca.crt"));
    fs.copyFileSync(ca.key, path.join(dir, "ca.key"));
  } else {
    openssl(dir, ["genrsa", "-out", "ca.key", "2048"]);
    const subject = "/CN=k8sinfra-lab-e2e-ca";
    openssl(dir, [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      subject,
    ]);
  }
  const sign = (name: string, subject: string, ext: string) => {
    openssl(dir, ["genrsa", "-out", `${name}.key`, "2048"]);
    openssl(dir, ["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    ]);
  };
  sign(
    "apiserver",
    "/CN=kube-apiserver",
    "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n",
  );
  sign("admin", "/O=system:masters/CN=k8sinfra-lab-e2e-admin", "extendedKeyUsage=clientAuth\n");
  openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
  openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
}

function kubeconfigText(dir: string, server: string): string {
  const b64 = (f: string) => fs.readFileSync(path.join(dir, f)).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: e2e",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${b64("ca.crt")}`,
    "users:",
    "- name: admin",
    "  user:",
    `    client-certificate-data: ${b64("admin.crt")}`,
    `    client-key-data: ${b64("admin.key")}`,
    "contexts:",
    "- name: e2e",
    "  context: {cluster: e2e, user: admin}",
    "current-context: e2e",
    "",
  ].join("\n");
}

/** Where and how a control plane starts, when not as the e2e's own. */
export interface ControlPlaneOptions {
  /** Its folder (certificates, etcd's data, logs); default `<runDir>/control-plane`. */
  readonly dir?: string;
  /** A CA to sign with and to trust clients of (a lab cluster's own). */
  readonly ca?: { readonly cert: string; readonly key: string };
  /** The API server's port on 127.0.0.1; default a free one. */
  readonly port?: number;
  /** The kwok nodes; default the book's m-k8s and w1-k8s..w3-k8s. */
  readonly nodes?: readonly { name: string; ip: string; role: "master" | "worker" }[];
}

/** Starts the control plane under `runDir/control-plane`; `bin` holds the toolchain's binaries. */
export async function startControlPlane(
  runDir: string,
  bin: string,
  kwokStages: string,
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const dir = options.dir ?? path.join(runDir, "control-plane");
  fs.mkdirSync(dir, { recursive: true });
  certificates(dir, options.ca);
  const log = (name: string) => path.join(dir, `${name}.log`);
  const exe = (name: string) => path.join(bin, name);

  // etcd keeps its ports across restarts (its data names its peer address).
  const portsFile = path.join(dir, "etcd-ports.json");
  const [etcdPort, etcdPeer] = fs.existsSync(portsFile)
    ? (JSON.parse(fs.readFileSync(portsFile, "utf8")) as [number, number])
    : [await freePort(), await freePort()];
  fs.writeFileSync(portsFile, JSON.stringify([etcdPort, etcdPeer]));
  const etcd = startProcess(
    "etcd",
    exe("etcd"),
    [
      "--data-dir",
      path.join(dir, "etcd"),
      "--listen-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--advertise-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--listen-peer-urls",
      `http://127.0.0.1:${etcdPeer}`,
      "--initial-advertise-peer-urls",
      `http://127.0.0.1:${etcdPeer}`,
      "--initial-cluster",
      `default=http://127.0.0.1:${etcdPeer}`,
    ],
    { log: log("etcd") },
  );
  await waitFor("etcd", () => listening("127.0.0.1", etcdPort), {
    timeoutMs: 30_000,
    log: log("etcd"),
    child: etcd,
  });

  const apiPort = options.port ?? (await freePort());
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = path.join(dir, "admin.kubeconfig");
  fs.writeFileSync(kubeconfig, kubeconfigText(dir, server), { mode: 0o600 });
  const apiArgs = [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    // The kubernetes Service cannot point at loopback; nothing in the e2e uses it.
    "--endpoint-reconciler-type=none",
    `--secure-port=${apiPort}`,
    `--cert-dir=${dir}`,
    `--tls-cert-file=${path.join(dir, "apiserver.crt")}`,
    `--tls-private-key-file=${path.join(dir, "apiserver.key")}`,
    `--client-ca-file=${path.join(dir, "ca.crt")}`,
    "--service-account-issuer=https://kubernetes.default.svc",
    `--service-account-key-file=${path.join(dir, "sa.pub")}`,
    `--service-account-signing-key-file=${path.join(dir, "sa.key")}`,
    "--service-cluster-ip-range=10.96.0.0/12",
    "--authorization-mode=Node,RBAC",
  ];
  let apiServer: ChildProcess | undefined;
  const startApiServer = async () => {
    apiServer = startProcess("kube-apiserver", exe("kube-apiserver"), apiArgs, {
      log: log("kube-apiserver"),
    });
    await waitFor(
      "kube-apiserver",
      () =>
        run(exe("kubectl"), ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"], {
          allowFail: true,
        }).stdout.trim() === "ok",
      { timeoutMs: 90_000, log: log("kube-apiserver"), child: apiServer },
    );
  };
  await startApiServer();

  const common = [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    "--secure-port=0",
    "--leader-elect=false",
  ];
  startProcess(
    "kube-controller-manager",
    exe("kube-controller-manager"),
    [
      ...common,
      `--service-account-private-key-file=${path.join(dir, "sa.key")}`,
      `--root-ca-file=${path.join(dir, "ca.crt")}`,
      "--use-service-account-credentials=true",
      // Pod addresses come from kwok; there is no node IPAM to do.
      "--controllers=*,-nodeipam",
    ],
    { log: log("kube-controller-manager") },
  );
  startProcess("kube-scheduler", exe("kube-scheduler"), common, { log: log("kube-scheduler") });
  // kwok's own stages, and the e2e's: a pod of an image that does not exist stays unready.
  const stages = path.join(dir, "kwok-stages.yaml");
  fs.writeFileSync(
    stages,
    `${fs.readFileSync(kwokStages, "utf8")}\n---\n${fs.readFileSync(path.join(__dirname, "kwok", "image-pull-fails.yaml"), "utf8")}`,
  );
  const kwokPort = await freePort();
  startProcess(
    "kwok",
    exe("kwok"),
    [
      `--kubeconfig=${kubeconfig}`,
      `--config=${stages}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--cidr=10.244.0.1/16",
      "--node-ip=127.0.0.1",
      `--server-address=127.0.0.1:${kwokPort}`,
    ],
    { log: log("kwok") },
  );

  const kubectl = (
    args: readonly string[],
    options: { input?: string; allowFail?: boolean } = {},
  ) => run(exe("kubectl"), ["--kubeconfig", kubeconfig, ...args], options).stdout;

  // The lab's nodes: m-k8s with the control-plane taint, the workers, each with its lab address.
  const nodes =
    options.nodes ??
    labNodes(
      NETWORK.defaultPrefix,
      CLUSTER.workers,
      { cpus: 2, memory: 3072 },
      {
        cpus: 1,
        memory: 2560,
      },
    ).map((n) => ({ name: n.name, ip: n.ip, role: n.role }));
  for (const node of nodes) addNode(kubectl, node);
  await waitFor(
    "kwok nodes",
    () => {
      const list = JSON.parse(kubectl(["get", "nodes", "-o", "json"]));
      return list.items.every(
        (n: { status?: { conditions?: { type: string; status: string }[] } }) =>
          n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
    },
    { timeoutMs: 60_000, log: log("kwok") },
  );
  // The default ServiceAccount, which pods need, comes from the controller manager.
  await waitFor(
    "the default ServiceAccount",
    () =>
      kubectl(["get", "serviceaccount", "default", "-o", "name"], { allowFail: true }).includes(
        "default",
      ),
    { timeoutMs: 60_000, log: log("kube-controller-manager") },
  );

  return {
    kubeconfig,
    server,
    nodes,
    kubectl,
    kubectlRun: (args, input) =>
      run(exe("kubectl"), ["--kubeconfig", kubeconfig, ...args], { input, allowFail: true }),
    getJson: (args) => JSON.parse(kubectl(["get", ...args, "-o", "json"])),
    stopApiServer: async () => {
      if (apiServer) await stopProcess(apiServer);
      apiServer = undefined;
    },
    startApiServer,
  };
}

/** A kwok node with the lab's labels, the control-plane taint on the master, and its address. */
export function addNode(
  kubectl: (args: readonly string[], options?: { input?: string; allowFail?: boolean }) => string,
  node: { name: string; ip: string; role: "master" | "worker" },
): void {
  const master = node.role === "master";
  kubectl(["apply", "-f", "-"], {
    input: JSON.stringify({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: node.name,
        annotations: { "kwok.x-k8s.io/node": "fake" },
        labels: {
          "kubernetes.io/hostname": node.name,
          "kubernetes.io/os": "linux",
          ...(master ? { "node-role.kubernetes.io/control-plane": "" } : {}),
        },
      },
      spec: master
        ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }
        : {},
    }),
  });
  // Status is a subresource: the addresses go in with a second request.
  kubectl([
    "patch",
    "node",
    node.name,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({
      status: {
        addresses: [
          { type: "InternalIP", address: node.ip },
          { type: "Hostname", address: node.name },
        ],
        allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
        capacity: { cpu: "4", memory: "8Gi", pods: "110" },
      },
    }),
  ]);
}
