/**
 * Where a Helm chart comes from: its repository (the default), or a chart archive in a local folder
 * (`lab:charts.dir`), for readers behind a proxy or offline, and for the e2e, which has no chart
 * repository. The archive is named as `helm pull` saves it: `<chart>-<version>.tgz`.
 *
 * And in which form it reaches the cluster (`helmInstall.ts` installs it): as the book's
 * `helm install`, a Helm release that `helm list` and `helm history` show; with no cluster (render
 * mode), its objects written to files. Pure: `lib/config.ts` reads it when the CLI starts.
 */
import * as path from "node:path";
import type { ClusterMode } from "./config";
import { VERSIONS } from "./versions";

export type ChartName = keyof typeof VERSIONS.charts;

/**
 * `release`: installed by the Kubernetes provider's Helm library as `helm install` does (one
 * `helm.v3.Release`, its hooks run, the release stored in the cluster). `rendered`: render mode,
 * where a Release cannot go (the provider installs it on a cluster or fails, it has no render
 * form), so the chart's objects are rendered to files by a `helm.v4.Chart`, which drops hooks.
 */
export type ChartForm = "release" | "rendered";

/** Which chart to install, and in which form. */
export interface ChartSource {
  readonly chart: string;
  readonly version?: string;
  readonly repositoryOpts?: { readonly repo: string };
  readonly form: ChartForm;
}

/** The file `helm pull` writes for a chart of `VERSIONS.charts`. */
export function chartArchive(name: ChartName): string {
  const { chart, version } = VERSIONS.charts[name];
  return `${chart}-${version}.tgz`;
}

/** The command that saves a chart's archive into a folder, once, with internet. */
export function helmPull(name: ChartName, dir: string): string {
  const { chart, version, repo } = VERSIONS.charts[name];
  return `helm pull ${chart} --repo ${repo} --version ${version} -d ${dir}`;
}

/**
 * The chart to install: from its repository, or from `<dir>/<chart>-<version>.tgz` when a chart
 * folder is set (relative folders are relative to the project, where Pulumi runs the program); a
 * release on a cluster, rendered in render mode.
 */
export function chartSource(
  name: ChartName,
  dir: string | undefined,
  mode: ClusterMode,
): ChartSource {
  const { chart, version, repo } = VERSIONS.charts[name];
  const form: ChartForm = mode === "render" ? "rendered" : "release";
  if (dir === undefined) return { chart, version, repositoryOpts: { repo }, form };
  return { chart: path.resolve(dir, chartArchive(name)), form };
}
