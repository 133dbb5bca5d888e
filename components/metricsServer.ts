import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../lib/charts";

/** Arguments of a `MetricsServer`. */
export interface MetricsServerArgs {
  /** Which chart to render: its repository, or an archive of `lab:charts.dir`. */
  readonly chart: ChartSource;
  /** Extra arguments of metrics-server (the book adds two kubelet flags). */
  readonly args: readonly string[];
}

/**
 * metrics-server in `kube-system`, from its official chart, with the book's flags: the kubelets'
 * certificates are self-signed, and their names do not resolve, so their internal IPs are used.
 */
export class MetricsServer extends pulumi.ComponentResource {
  /** Ready once metrics-server runs; a HorizontalPodAutoscaler needs its metrics. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:MetricsServer", name, {}, opts);
    const release = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        ...args.chart,
        namespace: "kube-system",
        values: { args: [...args.args] },
      },
      { parent: this },
    );
    this.ready = [release];
    this.registerOutputs({});
  }
}
