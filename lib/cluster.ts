/**
 * The one function that yields the Kubernetes provider a chapter builds on, for each cluster mode
 * of architecture section 3.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { KubeadmCluster } from "../components/kubeadmCluster";
import { VagrantCluster } from "../components/vagrantCluster";
import { CLUSTER } from "./book";
import type { ClusterMode, ClusterSettings, LabConfig } from "./config";
import { type HostFacts, requireHost } from "./host";
import { kubernetesProvisioning } from "./provisioning";
import { labNodes } from "./vagrant";
import { VERSIONS } from "./versions";

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
    { kubeconfig: kubernetes.kubeconfig },
    { dependsOn: [...kubernetes.ready] },
  );
  return {
    mode: "vagrant",
    provider,
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
        description: `kubeconfig: ${cluster.context ? `context ${cluster.context}` : "current context"} of ${kubeconfigSource(cluster.kubeconfig)}`,
        outputs: {},
      };
    }
    case "vagrant":
      return labCluster(config, host);
  }
}
