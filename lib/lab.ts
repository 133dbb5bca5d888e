/**
 * The program: read the configuration, connect the cluster, build the chapter, return its outputs.
 */
import { buildCh2 } from "../stacks/ch2";
import { buildCh3 } from "../stacks/ch3";
import { buildCh4 } from "../stacks/ch4";
import { buildCh5 } from "../stacks/ch5";
import { buildCh6 } from "../stacks/ch6";
import { buildKia } from "../stacks/kia";
import { buildPractice } from "../stacks/practice";
import { connectCluster, type LabCluster } from "./cluster";
import { type LabConfig, readLabConfig } from "./config";
import { type HostFacts, realHost } from "./host";

/**
 * Builds the chapter that the running stack's configuration selects. `host` answers what the
 * machine has (Vagrant, VirtualBox); the offline plan passes a stand-in.
 */
export function runLab(host: HostFacts = realHost): Record<string, unknown> {
  // Config errors stop here, before any resource is registered.
  const config = readLabConfig();
  return { chapter: config.chapter, ...buildChapter(config, host) };
}

function buildChapter(config: LabConfig, host: HostFacts): Record<string, unknown> {
  // Chapter 2 builds the VMs themselves; every other chapter builds on a cluster.
  if (config.chapter === "ch2") return buildCh2(config as LabConfig<"ch2">, host);
  const cluster = connectCluster(config, host);
  return { cluster: cluster.description, ...cluster.outputs, ...onCluster(config, cluster) };
}

function onCluster(config: LabConfig, cluster: LabCluster): Record<string, unknown> {
  switch (config.chapter) {
    case "ch2":
      throw new Error("chapter 2 does not build on a cluster");
    case "ch3":
      return buildCh3(config as LabConfig<"ch3">, cluster);
    case "ch4":
      return buildCh4(config as LabConfig<"ch4">, cluster);
    case "ch5":
      return buildCh5(config as LabConfig<"ch5">, cluster);
    case "ch6":
      return buildCh6(config as LabConfig<"ch6">, cluster);
    case "kia":
      return buildKia(config as LabConfig<"kia">, cluster);
    case "practice":
      return buildPractice((config as LabConfig<"practice">).settings, cluster);
  }
}
