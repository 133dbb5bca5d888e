/**
 * The program: read the configuration, connect the cluster, build the chapter, return its outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LabCluster } from "../lib/cluster";
import { type LabConfig, readLabConfig } from "../lib/config";
import { type HostFacts, realHost } from "../lib/host";
import { messages } from "../lib/messages";
import { vmOwner, workDir } from "../lib/vagrant";
import { buildCh2 } from "./ch2";
import { buildCh3 } from "./ch3";
import { buildCh4 } from "./ch4";
import { buildCh5 } from "./ch5";
import { buildCh6 } from "./ch6";
import { buildCluster } from "./cluster";
import { connectCluster } from "./connect";
import { buildKia } from "./kia";
import { buildPractice } from "./practice";

/**
 * Builds the chapter that the running stack's configuration selects. `host` answers what the
 * machine has (Vagrant, VirtualBox); the offline plan passes a stand-in.
 */
export async function runLab(host: HostFacts = realHost): Promise<Record<string, unknown>> {
  // Config errors stop here, before any resource is registered.
  const config = readLabConfig();
  await startStoppedVms(config, host);
  return { chapter: config.chapter, ...(await buildChapter(config, host)) };
}

/** What preview says about stopped VMs, and what up does about them. */
export function stoppedVmsNote(
  owner: string,
  stopped: readonly string[],
  preview: boolean,
): string {
  const m = messages();
  return preview
    ? m.stoppedVmsPreview(owner, stopped, workDir(owner))
    : m.stoppedVmsStarting(owner, stopped);
}

/**
 * VMs halted, or a machine that rebooted: `up` starts them and waits for the API server before
 * anything reads the cluster; `preview` only says so, since it changes nothing.
 */
async function startStoppedVms(config: LabConfig, host: HostFacts): Promise<void> {
  const owner = vmOwner(config);
  if (!owner) return;
  const dir = workDir(owner);
  const stopped = Object.entries(await host.vmStates(dir))
    .filter(([, state]) => state !== "running" && state !== "not_created")
    .map(([vm, state]) => `${vm}: ${state}`);
  if (stopped.length === 0) return;
  const preview = pulumi.runtime.isDryRun();
  if (preview) {
    pulumi.log.warn(stoppedVmsNote(owner, stopped, true));
    return;
  }
  pulumi.log.info(stoppedVmsNote(owner, stopped, false));
  await host.startVms(dir, (line) => pulumi.log.info(line));
}

async function buildChapter(config: LabConfig, host: HostFacts): Promise<Record<string, unknown>> {
  // Chapter 2 builds the VMs alone, the cluster chapter the lab cluster; the others build on one.
  if (config.chapter === "ch2") return buildCh2(config as LabConfig<"ch2">, host);
  if (config.chapter === "cluster") return buildCluster(config as LabConfig<"cluster">, host);
  const { cluster, outputs } = await connectCluster(config, host);
  return {
    cluster: cluster.description,
    ...cluster.outputs,
    ...outputs,
    ...onCluster(config, cluster),
  };
}

function onCluster(config: LabConfig, cluster: LabCluster): Record<string, unknown> {
  switch (config.chapter) {
    case "ch2":
    case "cluster":
      throw new Error(`chapter ${config.chapter} does not build on a cluster`);
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
