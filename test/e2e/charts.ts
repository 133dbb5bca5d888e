/**
 * Packs the stand-in charts of `charts/` as `<chart>-<version>.tgz` with the names and versions
 * `lib/versions.ts` pins, into a folder that `lab:charts.dir` points at.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type ChartName, chartArchive } from "../../lib/charts";
import { VERSIONS } from "../../lib/versions";
import { run } from "./processes";

const SOURCES = path.join(__dirname, "charts");

/** Writes every stand-in chart's archive into `dir`; returns the archive names. */
export function packStandinCharts(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const staging = path.join(dir, ".staging");
  const made: string[] = [];
  for (const name of Object.keys(VERSIONS.charts) as ChartName[]) {
    const { chart, version } = VERSIONS.charts[name];
    const source = path.join(SOURCES, chart);
    if (!fs.existsSync(source)) throw new Error(`no stand-in for the chart ${chart} in ${SOURCES}`);
    const top = path.join(staging, chart);
    fs.rmSync(top, { recursive: true, force: true });
    fs.cpSync(source, top, { recursive: true });
    fs.writeFileSync(
      path.join(top, "Chart.yaml"),
      [
        "apiVersion: v2",
        `name: ${chart}`,
        `version: ${version}`,
        `description: Stand-in for the ${chart} chart ${version} in the k8sinfra-lab e2e (not the real chart)`,
        "",
      ].join("\n"),
    );
    run("tar", ["-czf", path.join(dir, chartArchive(name)), "-C", staging, chart]);
    made.push(chartArchive(name));
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return made;
}
