/**
 * What a chapter knows of the cluster it builds on, whatever the cluster mode (architecture
 * section 3), and what a stack that builds the lab cluster hands to the stacks that build on it.
 * Types and pure helpers only; `stacks/connect.ts` makes them.
 */
import type * as command from "@pulumi/command";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterMode } from "./config";
import type { LabNode } from "./vagrant";

/** Written instead of a secret value in render mode. */
export const REDACTED = "redacted-in-render-mode";

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

/** How this machine reaches a lab node: Vagrant's forwarded SSH port and the node's host key. */
export interface NodeEndpoint {
  readonly ssh: { readonly host: string; readonly port: number };
  /** `ssh-ed25519 AAAA...`; connections to any other key are refused. */
  readonly hostKey: string;
}

/**
 * The node's line of a known_hosts file. Through a forwarded port OpenSSH names the host
 * `[host]:port`; the key is the one the VM has now, so a VM built again brings its new key.
 */
export function knownHostsEntry(endpoint: NodeEndpoint): string {
  return `[${endpoint.ssh.host}]:${endpoint.ssh.port} ${endpoint.hostKey}\n`;
}

/**
 * The OpenSSH options for a lab node, as the Docker provider passes them to `ssh`: the stack's key
 * only, and host-key checking on, against the known_hosts file the stack writes for that node.
 */
export function pinnedSshOptions(keyFile: string, knownHostsFile: string): string[] {
  return [
    "-i",
    keyFile,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsFile}`,
  ];
}

/** The lab cluster's parts a chapter builds on (vagrant and stack modes). */
export interface LabAccess {
  readonly nodes: readonly LabNode[];
  /** How Pulumi runs commands on a node as root. */
  connection(node: LabNode): command.types.input.remote.ConnectionArgs;
  /** How this machine reaches a node (for the Docker provider's SSH). */
  endpoint(node: LabNode): pulumi.Output<NodeEndpoint>;
  /** The SSH private key (OpenSSH form, secret) that logs in as root on every node. */
  readonly sshPrivateKey: pulumi.Output<string>;
  /** This stack's own work folder, relative to the project (key files of the Docker provider). */
  readonly workDir: string;
  /** The nodes are ready for a chapter's commands once these are (empty on a cluster of another stack). */
  readonly ready: readonly pulumi.Resource[];
}

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
  /** The lab cluster's nodes and how to reach them (vagrant and stack modes). */
  readonly lab?: LabAccess;
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

/**
 * What a stack that builds the lab cluster exports (output `labCluster`) for the stacks that build
 * on it (`lab:cluster.mode stack`).
 */
export interface LabClusterContract {
  /** Changes when the shape of this object changes. */
  readonly version: 1;
  readonly stack: string;
  /** The host-only network's first three octets. */
  readonly network: string;
  readonly kubernetesVersion: string;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: string;
  /** The root SSH key of every node (secret). */
  readonly sshPrivateKey: string;
  readonly nodes: readonly (LabNode & { readonly endpoint: NodeEndpoint })[];
}

/** Checks what another stack exported as `labCluster`, naming what is wrong. */
export function readContract(stack: string, value: unknown): LabClusterContract {
  const c = value as Partial<LabClusterContract> | undefined;
  const usable =
    c &&
    c.version === 1 &&
    typeof c.kubeconfig === "string" &&
    typeof c.sshPrivateKey === "string" &&
    Array.isArray(c.nodes) &&
    c.nodes.length > 0 &&
    c.nodes.every((n) => n.endpoint?.ssh?.port && n.endpoint.hostKey);
  if (!usable) {
    throw new Error(
      `stack "${stack}" exports no lab cluster (output labCluster): build it first with npm run lab -- ${stack} up`,
    );
  }
  return c as LabClusterContract;
}
