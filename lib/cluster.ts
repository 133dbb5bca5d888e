/**
 * The one function that yields the Kubernetes provider a chapter builds on, for each cluster mode
 * of architecture section 3.
 */
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { KubeadmCluster } from "../components/kubeadmCluster";
import { VagrantCluster } from "../components/vagrantCluster";
import { CLUSTER } from "./book";
import type { ClusterMode, ClusterSettings, LabConfig } from "./config";
import { type HostFacts, requireHost } from "./host";
import { kubernetesProvisioning } from "./provisioning";
import { type LabNode, labNodes } from "./vagrant";
import { VERSIONS } from "./versions";

/**
 * Provider settings of every cluster mode. A changed Secret or ConfigMap is edited in place, as
 * `kubectl apply` of the changed file does (by default the provider replaces them, and then every
 * Deployment that reads them too). And `pulumi up` puts the stack's values back over what was
 * changed by hand (`kubectl scale`, `kubectl set image`): without force, server-side apply refuses
 * a field another manager changed last, and the stack could not be brought back to the book.
 */
export const PROVIDER_DEFAULTS = {
  enableSecretMutable: true,
  enableConfigMapMutable: true,
  enablePatchForce: true,
} as const;

/** Written instead of a secret value in render mode. */
export const REDACTED = "redacted-in-render-mode";

/** What a chapter needs to know about the cluster it builds on. */
export interface LabCluster {
  readonly mode: ClusterMode;
  /** Every Kubernetes object of the chapter is created through this provider. */
  readonly provider: k8s.Provider;
  /**
   * Whether `pulumi up` waits for LoadBalancer Services to get an address. When false they carry
   * `pulumi.com/skipAwait`, because a cluster without a load balancer would keep `up` waiting ten
   * minutes and then fail.
   */
  readonly awaitLoadBalancers: boolean;
  /** Where manifests are written, in render mode. */
  readonly renderDir?: string;
  /**
   * The value to put into a Kubernetes Secret. In render mode the provider writes Secrets to disk in
   * plain text, so the value is replaced by `REDACTED`; on a cluster it is the secret itself.
   */
  secretValue(value: pulumi.Input<string>): pulumi.Input<string>;
  /** One line for the stack outputs. */
  readonly description: string;
  /** Further stack outputs of the cluster (the lab cluster's nodes, SSH commands, kubeconfig). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The lab cluster's nodes and how to run commands on them as root (vagrant mode only). */
  readonly lab?: {
    readonly nodes: readonly LabNode[];
    connection(node: LabNode): command.types.input.remote.ConnectionArgs;
    /** The stack's SSH private key (OpenSSH form, secret) that logs in as root on every node. */
    readonly sshPrivateKey: pulumi.Output<string>;
    /** The stack's Vagrant work folder, relative to the project. */
    readonly workDir: string;
    /** The nodes are ready for commands once these are. */
    readonly ready: readonly pulumi.Resource[];
  };
  /**
   * Runs `kubectl <args>` against the cluster as a resource: on the master of the lab cluster, on
   * this machine for a kubeconfig cluster; undefined in render mode, where nothing runs.
   */
  readonly kubectl?: (
    name: string,
    args: { readonly create?: readonly string[]; readonly delete?: readonly string[] },
    opts: pulumi.CustomResourceOptions,
  ) => pulumi.Resource;
}

function kubeconfigSource(kubeconfig: ClusterSettings["kubeconfig"]): string {
  if (kubeconfig === undefined) return "$KUBECONFIG or ~/.kube/config";
  return typeof kubeconfig === "string" ? kubeconfig : "the kubeconfig in secret config";
}

/**
 * The lab cluster of book 3.1.3: the VMs, then kubeadm. `host` is checked first, so a machine
 * without Vagrant or VirtualBox is told so before anything is created.
 */
function labCluster(config: LabConfig, host: HostFacts): LabCluster {
  const { cluster, network, versions, stack } = config;
  const nodes = labNodes(network.prefix, cluster.workers, cluster.master, cluster.worker);
  requireHost(
    host,
    stack,
    nodes.map((n) => n.ip),
  );

  // The key Pulumi logs in with as root; the VMs' provisioning authorizes it.
  const sshKey = new tls.PrivateKey("lab-ssh-key", { algorithm: "ED25519" });
  const vms = new VagrantCluster("lab", {
    stack,
    nodes,
    box: versions.box,
    ...kubernetesProvisioning(
      sshKey.publicKeyOpenssh,
      `${versions.kubernetes}-${VERSIONS.kubernetesPackageRevision}`,
    ),
  });
  const kubernetes = new KubeadmCluster("lab", {
    nodes,
    vms: vms.vms,
    sshPrivateKey: sshKey.privateKeyOpenssh,
    kubernetesVersion: versions.kubernetes,
    calicoVersion: versions.calico,
    podCidr: CLUSTER.podCidr,
    nodeCidr: `${network.prefix}.0/24`,
  });
  const provider = new k8s.Provider(
    "lab-vagrant",
    { ...PROVIDER_DEFAULTS, kubeconfig: kubernetes.kubeconfig },
    { dependsOn: [...kubernetes.ready] },
  );
  const master = nodes[0];
  return {
    mode: "vagrant",
    provider,
    lab: {
      nodes,
      connection: kubernetes.connection,
      ready: kubernetes.ready,
      sshPrivateKey: sshKey.privateKeyOpenssh,
      workDir: vms.workDir,
    },
    kubectl: (name, args, opts) =>
      new command.remote.Command(
        name,
        {
          connection: kubernetes.connection(master),
          create:
            args.create && `KUBECONFIG=/etc/kubernetes/admin.conf kubectl ${args.create.join(" ")}`,
          delete:
            args.delete && `KUBECONFIG=/etc/kubernetes/admin.conf kubectl ${args.delete.join(" ")}`,
        },
        {
          ...opts,
          dependsOn: [...kubernetes.ready, ...((opts.dependsOn as pulumi.Resource[]) ?? [])],
        },
      ),
    // MetalLB gives LoadBalancer addresses on the lab cluster; until a chapter installs it, nothing does.
    awaitLoadBalancers: cluster.awaitLoadBalancer ?? false,
    secretValue: (value) => value,
    description: `vagrant: ${nodes.length} VMs (${nodes.map((n) => n.name).join(", ")}) in ${vms.workDir}/, Kubernetes ${versions.kubernetes}`,
    outputs: {
      nodes: nodes.map(({ name, ip, sshPort, cpus, memory }) => ({
        name,
        ip,
        sshPort,
        cpus,
        memory,
      })),
      ssh: vms.sshCommands,
      kubeconfig: kubernetes.kubeconfig,
    },
  };
}

/** Connects a chapter to its cluster, or says why it cannot. */
export function connectCluster(config: LabConfig, host: HostFacts): LabCluster {
  const { cluster } = config;
  switch (cluster.mode) {
    case "render": {
      const provider = new k8s.Provider("lab-render", {
        ...PROVIDER_DEFAULTS,
        renderYamlToDirectory: cluster.renderDir,
        enableServerSideApply: true,
      });
      return {
        mode: "render",
        provider,
        awaitLoadBalancers: false,
        renderDir: cluster.renderDir,
        secretValue: () => REDACTED,
        description: `render: manifests are written to ${cluster.renderDir}/ (nothing is applied)`,
        outputs: {},
      };
    }
    case "kubeconfig": {
      const provider = new k8s.Provider("lab-kubeconfig", {
        ...PROVIDER_DEFAULTS,
        kubeconfig: cluster.kubeconfig,
        context: cluster.context,
        // `pulumi destroy` must still reset the stack after the reader deleted the cluster itself.
        deleteUnreachable: true,
      });
      return {
        mode: "kubeconfig",
        provider,
        awaitLoadBalancers: cluster.awaitLoadBalancer ?? false,
        secretValue: (value) => value,
        // Runs the reader's own kubectl; kubeconfig contents held as a secret cannot be passed to it.
        kubectl:
          typeof cluster.kubeconfig === "object"
            ? undefined
            : (name, args, opts) => {
                const flags = [
                  cluster.kubeconfig ? `--kubeconfig "${cluster.kubeconfig}"` : "",
                  cluster.context ? `--context "${cluster.context}"` : "",
                ].filter(Boolean);
                const line = (a?: readonly string[]) => a && ["kubectl", ...flags, ...a].join(" ");
                return new command.local.Command(
                  name,
                  { create: line(args.create), delete: line(args.delete) },
                  opts,
                );
              },
        description: `kubeconfig: ${cluster.context ? `context ${cluster.context}` : "current context"} of ${kubeconfigSource(cluster.kubeconfig)}`,
        outputs: {},
      };
    }
    case "vagrant":
      return labCluster(config, host);
  }
}
