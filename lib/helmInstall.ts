/**
 * The book's `helm install`, as a resource: a Helm release, or in render mode the chart's objects
 * written to files (`ChartForm` in `charts.ts`).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "./charts";

/**
 * How long Helm waits for a release's objects to be ready (`helm install --wait --timeout`). The
 * provider's default is 300 s for the whole release; the rendered form gave each object the
 * provider's ten minutes, and Jenkins downloads its plugins before it is ready.
 */
export const RELEASE_TIMEOUT_SECONDS = 600;

/** What `helm install` is told. */
export interface HelmInstallArgs {
  readonly source: ChartSource;
  /** The release name (`helm install <release> ...`), which the chart names its objects after. */
  readonly release: string;
  /** `--namespace`; it must exist. */
  readonly namespace: pulumi.Input<string>;
  /** The chart's values (`-f values.yaml`, `--set ...`). */
  readonly values?: pulumi.Inputs;
  /** Do not wait for the objects to be ready (`helm install` without `--wait`). */
  readonly skipAwait?: boolean;
}

/**
 * `helm install <release> <chart> --namespace <namespace> --wait`: a `helm.v3.Release`
 * `<name>-release`, or in render mode a `helm.v4.Chart` `<name>-chart` with the same chart, release
 * name, namespace and values. What depends on it waits until Helm reports the release installed.
 */
export function helmInstall(
  name: string,
  args: HelmInstallArgs,
  opts: pulumi.ResourceOptions,
): pulumi.Resource {
  const { form, ...chart } = args.source;
  const common = {
    ...chart,
    name: args.release,
    namespace: args.namespace,
    values: args.values,
    skipAwait: args.skipAwait,
  };
  if (form === "rendered") return new k8s.helm.v4.Chart(`${name}-chart`, common, opts);
  return new k8s.helm.v3.Release(
    `${name}-release`,
    { ...common, timeout: RELEASE_TIMEOUT_SECONDS },
    opts,
  );
}
