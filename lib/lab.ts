/**
 * The program: read the configuration, connect the cluster, build the chapter, return its outputs.
 */
import { buildPractice } from "../stacks/practice";
import { connectCluster } from "./cluster";
import { type LabConfig, readLabConfig } from "./config";

/** Builds the chapter that the running stack's configuration selects. */
export function runLab(): Record<string, unknown> {
  // Config errors stop here, before any resource is registered.
  const config = readLabConfig();
  const cluster = connectCluster(config);
  return {
    chapter: config.chapter,
    cluster: cluster.description,
    ...buildChapter(config, cluster),
  };
}

function buildChapter(config: LabConfig, cluster: ReturnType<typeof connectCluster>) {
  switch (config.chapter) {
    case "practice":
      return buildPractice((config as LabConfig<"practice">).settings, cluster);
  }
}
