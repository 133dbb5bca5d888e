import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../lib/charts";
import { helmInstall } from "../lib/helmInstall";
import { VERSIONS } from "../lib/versions";

/** Arguments of a `MetalLb`. */
export interface MetalLbArgs {
  /** Which chart to install: its repository, or an archive of `lab:charts.dir`. */
  readonly chart: ChartSource;
  /** Namespace of MetalLB and its release (the book's `metallb-system`). */
  readonly namespace: string;
  /** Name of the address pool and its L2 advertisement (the book's `nginx-ip-range`). */
  readonly poolName: string;
  /** First and last address of the pool, e.g. `192.168.56.11-192.168.56.13`. */
  readonly addresses: string;
}

/**
 * MetalLB in layer-2 mode: the book's `helm install metallb ... --namespace=metallb-system` (5.2.3)
 * with the official chart, then an `IPAddressPool` and an `L2Advertisement` (the custom resources
 * that replaced the book's `config` ConfigMap in MetalLB 0.13). The pool waits for the release,
 * which Helm reports installed once MetalLB's controller, the validating webhook's server, is ready:
 * a pool created at once after the install is refused by that webhook (metallb/metallb#1597).
 */
export class MetalLb extends pulumi.ComponentResource {
  /** The pool's address range. */
  public readonly addresses: string;
  /** Ready once the chart, the pool and the advertisement are; LoadBalancer Services wait for it. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: MetalLbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:MetalLb", name, {}, opts);
    const child = { parent: this };
    this.addresses = args.addresses;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: args.namespace,
          // The speaker needs host networking and raw sockets.
          labels: {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "privileged",
            "pod-security.kubernetes.io/warn": "privileged",
          },
        },
      },
      child,
    );
    const release = helmInstall(
      name,
      {
        source: args.chart,
        // `metallb-controller` and `metallb-speaker`, as the book's `kubectl get` shows them.
        release: VERSIONS.charts.metallb.release,
        namespace: namespace.metadata.name,
        // No speaker tolerations: the chart's `speaker.tolerateMaster: true` default already
        // tolerates the control plane, so a speaker runs on every node including m-k8s, as the
        // book's DaemonSet (5 pods: 1 + 4); a toleration here would be rendered a second time.
      },
      child,
    );
    const pool = new k8s.apiextensions.CustomResource(
      `${name}-pool`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: args.poolName, namespace: args.namespace },
        spec: { addresses: [args.addresses] },
      },
      { parent: this, dependsOn: [release] },
    );
    const advertisement = new k8s.apiextensions.CustomResource(
      `${name}-l2`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "L2Advertisement",
        metadata: { name: args.poolName, namespace: args.namespace },
        spec: { ipAddressPools: [args.poolName] },
      },
      { parent: this, dependsOn: [release] },
    );
    this.ready = [release, pool, advertisement];
    this.registerOutputs({ addresses: args.addresses });
  }
}
