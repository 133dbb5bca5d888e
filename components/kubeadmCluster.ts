import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { CLUSTER } from "../lib/book";
import { nodeStep } from "../lib/nodeStep";
import { caCertHash, kubeconfig } from "../lib/pki";
import * as scripts from "../lib/scripts";
import type { LabNode } from "../lib/vagrant";
import { VERSIONS } from "../lib/versions";
import type { VmEndpoint } from "./vagrantCluster";

/** Arguments of a `KubeadmCluster`. */
export interface KubeadmClusterArgs {
  /** The nodes, master first; the master runs the control plane. */
  readonly nodes: readonly LabNode[];
  /** The resource that brings up each node's VM, by node name; each node's steps wait for it. */
  readonly vms: Readonly<Record<string, pulumi.CustomResource>>;
  /** How to reach each node (SSH, the master's API server), by node name. */
  readonly endpoints: Readonly<Record<string, pulumi.Output<VmEndpoint>>>;
  /** OpenSSH private key that logs in as root on every node (set up by the VMs' provisioning). */
  readonly sshPrivateKey: pulumi.Input<string>;
  /** Kubernetes release, e.g. `1.36.0`. */
  readonly kubernetesVersion: string;
  /** Calico release, e.g. `3.31.2`. */
  readonly calicoVersion: string;
  /** Pod network (the book's `172.16.0.0/16`). */
  readonly podCidr: string;
  /** The host-only network the nodes talk on, e.g. `192.168.56.0/24`. */
  readonly nodeCidr: string;
}

/**
 * For commands whose standard input carries the join token: nothing of their output is shown, and
 * (with `additionalSecretOutputs`) none is kept in plain text, should kubeadm print the token.
 */
const SECRET_STDIN = { logging: "none" } as const;

/**
 * The book's `master_node.sh` and `work_nodes.sh` as a dependency graph: `kubeadm init` on the
 * master, then every worker's `kubeadm join` at once, each depending only on the control plane and
 * its own VM. The cluster CA is the stack's own (so the join pins its hash, and the admin
 * kubeconfig is made here, not copied off the master), and the join token is generated.
 */
export class KubeadmCluster extends pulumi.ComponentResource {
  /** Admin kubeconfig of the cluster (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** `sha256:<hex>` of the cluster CA's public key, as the workers pin it. */
  public readonly caCertHash: pulumi.Output<string>;
  /** The control plane and every join: the cluster is complete once all of them are. */
  public readonly ready: readonly pulumi.Resource[];
  /** The API server, as this machine reaches it (the master's forwarded port). */
  public readonly server: pulumi.Output<string>;
  /** How Pulumi logs in to a node as root (for later steps on the nodes, such as the NFS server). */
  public readonly connection: (node: LabNode) => command.types.input.remote.ConnectionArgs;

  constructor(name: string, args: KubeadmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:kubernetes:KubeadmCluster", name, {}, opts);
    const child = { parent: this };
    const [master, ...workers] = args.nodes;
    // The workers join the master on the host-only network; this machine reaches the API server
    // through the port Vagrant forwards to it.
    const apiServer = `${master.ip}:${CLUSTER.apiServerPort}`;
    this.server = args.endpoints[master.name].apply((e) => {
      if (!e.api) throw new Error(`${master.name} has no forwarded API server port`);
      return `https://${e.api.host}:${e.api.port}`;
    });

    // The cluster CA: kubeadm uses a CA it finds in /etc/kubernetes/pki instead of making one.
    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: "kubernetes" },
        validityPeriodHours: 10 * 365 * 24,
        allowedUses: ["cert_signing", "key_encipherment", "digital_signature"],
      },
      child,
    );
    this.caCertHash = caKey.publicKeyPem.apply(caCertHash);

    // A bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`, in place of the book's 123456.1234567890123456.
    const tokenPart = (part: string, length: number) =>
      new random.RandomString(
        `${name}-token-${part}`,
        { length, upper: false, special: false, lower: true, numeric: true },
        child,
      ).result;
    const token = pulumi.secret(
      pulumi.interpolate`${tokenPart("id", 6)}.${tokenPart("secret", 16)}`,
    );

    const connection = (node: LabNode): command.types.input.remote.ConnectionArgs => {
      const endpoint = args.endpoints[node.name];
      return {
        host: endpoint.apply((e) => e.ssh.host),
        port: endpoint.apply((e) => e.ssh.port),
        user: "root",
        privateKey: args.sshPrivateKey,
        // The key the VM had when Vagrant brought it up: the connection is refused to any other.
        hostKey: endpoint.apply((e) => e.hostKey),
        // The VM is up when `vagrant up` returns, but sshd may still be restarting after provisioning.
        dialErrorLimit: 30,
        perDialTimeout: 10,
      };
    };
    this.connection = connection;

    const controlPlane = nodeStep(
      `${name}-control-plane`,
      {
        connection: connection(master),
        create: scripts.controlPlane({
          nodeName: master.name,
          advertiseAddress: master.ip,
          extraSans: ["127.0.0.1"],
          podCidr: args.podCidr,
          kubernetesVersion: args.kubernetesVersion,
          calicoVersion: args.calicoVersion,
          nodeCidr: args.nodeCidr,
        }),
        stdin: pulumi.secret(pulumi.interpolate`${token}\n${ca.certPem}\n${caKey.privateKeyPem}\n`),
        // A new master VM needs a new control plane.
        triggers: [args.vms[master.name].id],
        ...SECRET_STDIN,
      },
      {
        parent: this,
        dependsOn: [args.vms[master.name]],
        additionalSecretOutputs: ["stdout", "stderr"],
      },
    );

    const joins = workers.map((worker) => {
      const join = nodeStep(
        `${name}-join-${worker.name}`,
        {
          connection: connection(worker),
          create: this.caCertHash.apply((hash) =>
            scripts.join({ nodeName: worker.name, apiServer, caCertHash: hash }),
          ),
          stdin: pulumi.secret(pulumi.interpolate`${token}\n`),
          // A rebuilt VM or control plane: reset, then join again.
          delete: scripts.resetNode(),
          triggers: [args.vms[worker.name].id, controlPlane.id],
          ...SECRET_STDIN,
        },
        // Only the control plane and this worker's own VM: the workers join in parallel.
        {
          parent: this,
          dependsOn: [controlPlane, args.vms[worker.name]],
          deleteBeforeReplace: true,
          additionalSecretOutputs: ["stdout", "stderr"],
        },
      );
      // When the worker leaves the stack, its node object goes too, while the master still runs.
      nodeStep(
        `${name}-forget-${worker.name}`,
        {
          connection: connection(master),
          delete: scripts.forgetNode(worker.name),
        },
        { parent: this, dependsOn: [join] },
      );
      return join;
    });

    // 5.2.3 helm-install.sh: the helm CLI beside kubectl on the master, at the release whose library
    // installs the chapters' charts, so that `helm list -A` and `helm history` there show them. It
    // needs only the VM; a new master VM gets it again.
    nodeStep(
      `${name}-helm`,
      {
        connection: connection(master),
        create: scripts.nodeCommand("helm_install.sh", {
          HELM_VERSION: VERSIONS.helm.version,
          HELM_SHA256_AMD64: VERSIONS.helm.sha256.amd64,
          HELM_SHA256_ARM64: VERSIONS.helm.sha256.arm64,
        }),
        triggers: [args.vms[master.name].id],
      },
      { parent: this, dependsOn: [args.vms[master.name]] },
    );

    // The book's /etc/hosts entries on every node; rewritten on each node when the node list changes.
    const hosts = scripts.hostsFile(args.nodes.map((n) => ({ name: n.name, ip: n.ip })));
    for (const node of args.nodes) {
      nodeStep(
        `${name}-hosts-${node.name}`,
        { connection: connection(node), create: hosts },
        { parent: this, dependsOn: [args.vms[node.name]] },
      );
    }

    // An admin client certificate from the same CA (group system:masters), for the provider.
    const adminKey = new tls.PrivateKey(
      `${name}-admin-key`,
      { algorithm: "ECDSA", ecdsaCurve: "P256" },
      child,
    );
    const adminCsr = new tls.CertRequest(
      `${name}-admin-csr`,
      {
        privateKeyPem: adminKey.privateKeyPem,
        subject: { commonName: "k8sinfra-lab-admin", organization: "system:masters" },
      },
      child,
    );
    const adminCert = new tls.LocallySignedCert(
      `${name}-admin-cert`,
      {
        certRequestPem: adminCsr.certRequestPem,
        caCertPem: ca.certPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        validityPeriodHours: 365 * 24,
        allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
      },
      child,
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([ca.certPem, adminCert.certPem, adminKey.privateKeyPem, this.server])
        .apply(([caCertPem, clientCertPem, clientKeyPem, server]) =>
          kubeconfig({
            clusterName: "k8sinfra-lab",
            server,
            caCertPem,
            clientCertPem,
            clientKeyPem,
          }),
        ),
    );

    this.ready = [controlPlane, ...joins];
    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      caCertHash: this.caCertHash,
      server: this.server,
    });
  }
}
