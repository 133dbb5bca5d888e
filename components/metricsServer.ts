import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../lib/charts";
import { helmInstall } from "../lib/helmInstall";
import { VERSIONS } from "../lib/versions";

/** Arguments of a `MetricsServer`. */
export interface MetricsServerArgs {
  /** Which chart to install: its repository, or an archive of `lab:charts.dir`. */
  readonly chart: ChartSource;
  /** Extra arguments of metrics-server (the book adds two kubelet flags). */
  readonly args: readonly string[];
}

/** `--flag` of `--flag=value`. */
const flagName = (arg: string) => arg.split("=")[0];

/**
 * The chart's `defaultArgs` and `args` that give metrics-server each flag once: a flag that is one
 * of the chart's defaults replaces it (the chart repeats flags rather than replacing them, and a
 * repeated list flag such as `--kubelet-preferred-address-types` adds to the first), the others go
 * into `args`, after the defaults.
 */
export function metricsServerValues(extra: readonly string[]): {
  defaultArgs: string[];
  args: string[];
} {
  const defaults: readonly string[] = VERSIONS.charts.metricsServer.defaultArgs;
  const known = new Set(defaults.map(flagName));
  const given = new Map(extra.map((arg) => [flagName(arg), arg]));
  return {
    defaultArgs: defaults.map((arg) => given.get(flagName(arg)) ?? arg),
    args: extra.filter((arg) => !known.has(flagName(arg))),
  };
}

/**
 * metrics-server in `kube-system`, from its official chart as the Helm release `metrics-server`,
 * with the book's flags: the kubelets'
 * certificates are self-signed, and their names do not resolve, so their internal IPs are used.
 */
export class MetricsServer extends pulumi.ComponentResource {
  /** Ready once metrics-server runs; a HorizontalPodAutoscaler needs its metrics. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:MetricsServer", name, {}, opts);
    const release = helmInstall(
      name,
      {
        source: args.chart,
        // Deployment, Service and ServiceAccount `metrics-server`, as the book's `kubectl get`.
        release: VERSIONS.charts.metricsServer.release,
        namespace: "kube-system",
        values: metricsServerValues(args.args),
      },
      { parent: this },
    );
    this.ready = [release];
    this.registerOutputs({});
  }
}
