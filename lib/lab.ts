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
import { connectCluster } from "./cluster";
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
  switch (config.chapter) {
    case "ch2":
      return buildCh2(config as LabConfig<"ch2">, host);
    case "ch3": {
      const cluster = connectCluster(config, host);
      const outputs = buildCh3(config as LabConfig<"ch3">, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
    case "ch4": {
      const cluster = connectCluster(config, host);
      const outputs = buildCh4(config as LabConfig<"ch4">, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
    case "ch5": {
      const cluster = connectCluster(config, host);
      const outputs = buildCh5(config as LabConfig<"ch5">, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
    case "ch6": {
      const cluster = connectCluster(config, host);
      const outputs = buildCh6(config as LabConfig<"ch6">, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
    case "kia": {
      const cluster = connectCluster(config, host);
      const outputs = buildKia(config as LabConfig<"kia">, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
    case "practice": {
      const cluster = connectCluster(config, host);
      const outputs = buildPractice((config as LabConfig<"practice">).settings, cluster);
      return { cluster: cluster.description, ...cluster.outputs, ...outputs };
    }
  }
}
