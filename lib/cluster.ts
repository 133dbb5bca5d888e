/**
 * The one function that yields the Kubernetes provider a chapter builds on, for each cluster mode
 * of architecture section 3.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterMode, ClusterSettings, LabConfig } from "./config";
import { UnavailableError } from "./errors";

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
}

function kubeconfigSource(kubeconfig: ClusterSettings["kubeconfig"]): string {
  if (kubeconfig === undefined) return "$KUBECONFIG or ~/.kube/config";
  return typeof kubeconfig === "string" ? kubeconfig : "the kubeconfig in secret config";
}

/** Connects a chapter to its cluster, or says why it cannot. Registers only the provider. */
export function connectCluster(config: LabConfig): LabCluster {
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
      };
    }
    case "vagrant":
      throw new UnavailableError(
        [
          `Stack "${config.stack}" uses lab:cluster.mode=vagrant, and the Vagrant lab cluster is not part of this version yet.`,
          "Use a cluster you already have, or only write the manifests:",
          `  npm run lab -- ${config.stack} config set lab:cluster.mode kubeconfig   (kind, minikube, Docker Desktop)`,
          `  npm run lab -- ${config.stack} config set lab:cluster.mode render`,
        ].join("\n"),
      );
  }
}
