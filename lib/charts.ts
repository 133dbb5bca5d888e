/**
 * Where a Helm chart comes from: its repository (the default), or a chart archive in a local folder
 * (`lab:charts.dir`), for readers behind a proxy or offline, and for the e2e, which has no chart
 * repository. The archive is named as `helm pull` saves it: `<chart>-<version>.tgz`.
 */
import * as path from "node:path";
import { VERSIONS } from "./versions";

export type ChartName = keyof typeof VERSIONS.charts;

/** The arguments of a `helm.v4.Chart` that say which chart to render. */
export interface ChartSource {
  readonly chart: string;
  readonly version?: string;
  readonly repositoryOpts?: { readonly repo: string };
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
 * The chart to render: from its repository, or from `<dir>/<chart>-<version>.tgz` when a chart
 * folder is set (relative folders are relative to the project, where Pulumi runs the program).
 */
export function chartSource(name: ChartName, dir?: string): ChartSource {
  const { chart, version, repo } = VERSIONS.charts[name];
  if (dir === undefined) return { chart, version, repositoryOpts: { repo } };
  return { chart: path.resolve(dir, chartArchive(name)) };
}
