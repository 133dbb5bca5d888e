/**
 * The lab cluster of book 3.1.3, built by the stack that owns its VMs: the `cluster` chapter for
 * the other chapters to build on, or a chapter in `vagrant` mode for itself. VMs (Vagrant), then
 * kubeadm, then what the later chapters need on the nodes (Docker and the NFS server on the master).
 */

import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { KubeadmCluster } from "../components/kubeadmCluster";
import { NodeServices } from "../components/nodeServices";
import { VagrantCluster } from "../components/vagrantCluster";
import { CLUSTER } from "../lib/book";
import {
  type LabAccess,
  type LabCluster,
  type LabClusterContract,
  PROVIDER_DEFAULTS,
} from "../lib/cluster";
import type { LabConfig } from "../lib/config";
import { type HostFacts, requireHost } from "../lib/host";
import { messages } from "../lib/messages";
import { nodeStep } from "../lib/nodeStep";
import { kubernetesProvisioning } from "../lib/provisioning";
import { labNodes, workDir } from "../lib/vagrant";
import { VERSIONS } from "../lib/versions";

/** The lab cluster and what it hands to stacks that build on it. */
export interface BuiltLabCluster {
  readonly cluster: LabCluster;
  /** Exported as the stack output `labCluster`. */
  readonly contract: pulumi.Output<LabClusterContract>;
}

/**
 * Builds the VMs, Kubernetes and the node services. `host` is checked first, so a machine without
 * Vagrant or VirtualBox, or whose lab addresses another stack holds, is told so before anything is
 * created.
 */
export function buildLabCluster(config: LabConfig, host: HostFacts): BuiltLabCluster {
  const { cluster, network, versions, stack } = config;
  const nodes = labNodes(network.prefix, cluster.workers, cluster.master, cluster.worker);
  requireHost(
    host,
    stack,
    nodes.map((n) => n.ip),
    // A chapter could build on another stack's cluster instead; the cluster stack is that stack.
    config.chapter !== "cluster",
  );

  // The key Pulumi logs in with as root; the VMs' provisioning authorizes it.
  const sshKey = new tls.PrivateKey("lab-ssh-key", { algorithm: "ED25519" });
  const vms = new VagrantCluster("lab", {
    stack,
    nodes,
    box: versions.box,
    // A running cluster cannot move to another Kubernetes release or network in place: its VMs are
    // built again (preview shows them replaced), never a kubelet newer than its API server.
    rebuildOn: [versions.box, versions.kubernetes, network.prefix],
    forwardApiServer: true,
    ...kubernetesProvisioning(
      sshKey.publicKeyOpenssh,
      `${versions.kubernetes}-${VERSIONS.kubernetesPackageRevision}`,
    ),
  });
  const kubernetes = new KubeadmCluster("lab", {
    nodes,
    vms: vms.vms,
    endpoints: vms.endpoints,
    sshPrivateKey: sshKey.privateKeyOpenssh,
    kubernetesVersion: versions.kubernetes,
    calicoVersion: versions.calico,
    podCidr: CLUSTER.podCidr,
    nodeCidr: `${network.prefix}.0/24`,
  });
  const [master] = nodes;
  const services = new NodeServices("lab", {
    master: kubernetes.connection(master),
    nodes: Object.fromEntries(nodes.map((n) => [n.name, kubernetes.connection(n)])),
    dependsOn: kubernetes.ready,
  });
  const ready = [...kubernetes.ready, ...services.ready];
  const provider = new k8s.Provider(
    "lab-vagrant",
    { ...PROVIDER_DEFAULTS, kubeconfig: kubernetes.kubeconfig },
    { dependsOn: ready },
  );
  const endpoint = (name: string) => vms.endpoints[name];
  // For the reader's kubectl, where `stack output kubeconfig` would need --show-secrets and a clean
  // redirect: a file of the work folder (ignored by git), readable by its owner only.
  const kubeconfigFile = kubeconfigFilePath(stack);
  new command.local.Command(
    "lab-kubeconfig-file",
    {
      create: `node host/vm.js write-key ${kubeconfigFile}`,
      delete: `node host/vm.js remove ${kubeconfigFile}`,
      stdin: kubernetes.kubeconfig,
      logging: "none",
    },
    { dependsOn: ready },
  );

  const contract = pulumi
    .all([
      kubernetes.kubeconfig,
      sshKey.privateKeyOpenssh,
      pulumi.all(Object.fromEntries(nodes.map((n) => [n.name, endpoint(n.name)]))),
    ])
    .apply(
      ([kubeconfig, sshPrivateKey, endpoints]): LabClusterContract => ({
        version: 1,
        stack,
        network: network.prefix,
        kubernetesVersion: versions.kubernetes,
        kubeconfig,
        sshPrivateKey,
        nodes: nodes.map((n) => ({
          ...n,
          endpoint: { ssh: endpoints[n.name].ssh, hostKey: endpoints[n.name].hostKey },
        })),
      }),
    );

  const lab: LabAccess = {
    nodes,
    connection: kubernetes.connection,
    endpoint: (n) => endpoint(n.name).apply((e) => ({ ssh: e.ssh, hostKey: e.hostKey })),
    sshPrivateKey: sshKey.privateKeyOpenssh,
    workDir: vms.workDir,
    ready,
  };
  return {
    contract: pulumi.secret(contract),
    cluster: {
      mode: "vagrant",
      provider,
      lab,
      kubectl: kubectlOnMaster(lab),
      // MetalLB gives LoadBalancer addresses on the lab cluster; until a chapter installs it, nothing does.
      awaitLoadBalancers: cluster.awaitLoadBalancer ?? false,
      secretValue: (value) => value,
      description: messages().clusterOwnVms(
        nodes.length,
        nodes.map((n) => n.name),
        vms.workDir,
        versions.kubernetes,
      ),
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
        kubeconfigFile,
      },
    },
  };
}

/** Where the lab cluster of a stack leaves its admin kubeconfig for the reader. */
export function kubeconfigFilePath(stack: string): string {
  return `${workDir(stack)}/kubeconfig`;
}

/** `kubectl <args>` as a resource, on the lab cluster's master with its admin kubeconfig. */
export function kubectlOnMaster(lab: LabAccess): NonNullable<LabCluster["kubectl"]> {
  const [master] = lab.nodes;
  const line = (args?: readonly string[]) =>
    args && `KUBECONFIG=/etc/kubernetes/admin.conf kubectl ${args.join(" ")}`;
  return (name, args, opts) =>
    nodeStep(
      name,
      {
        connection: lab.connection(master),
        create: line(args.create),
        delete: line(args.delete),
      },
      {
        ...opts,
        dependsOn: [...lab.ready, ...((opts.dependsOn as pulumi.Resource[]) ?? [])],
      },
    );
}
