/**
 * Chapter 2, "테스트 환경 구성하기": the VMs of 2.2.3 (which include 2.1.3, 2.2.1 and 2.2.2), built
 * from a generated Vagrantfile. No Kubernetes yet.
 */
import { VagrantCluster } from "../components/vagrantCluster";
import type { LabConfig } from "../lib/config";
import { type HostFacts, requireHost } from "../lib/host";
import { chapter2Provisioning } from "../lib/provisioning";
import { labNodes } from "../lib/vagrant";

/**
 * 2.2.3 "가상 머신 추가 구성": m-k8s (2 CPU, 2048 MB) and w1..w3-k8s (1 CPU, 1024 MB) on the host-only
 * network, SSH forwarded to 60010 and 6010i, synced folder off; install_pkg.sh on every VM, and
 * ping_2_nds.sh plus config.sh on the master.
 */
function addedVirtualMachines(config: LabConfig<"ch2">, host: HostFacts) {
  const { cluster, network, versions, stack } = config;
  const nodes = labNodes(network.prefix, cluster.workers, cluster.master, cluster.worker);
  requireHost(
    host,
    stack,
    nodes.map((n) => n.ip),
  );
  const vms = new VagrantCluster(stack, {
    stack,
    nodes,
    box: versions.box,
    // Another box or network is a new VM, not a reboot.
    rebuildOn: [versions.box, network.prefix],
    ...chapter2Provisioning(network.prefix),
  });
  return {
    nodes: nodes.map(({ name, ip, sshPort, cpus, memory }) => ({
      name,
      ip,
      sshPort,
      cpus,
      memory,
    })),
    ssh: vms.sshCommands,
    workDir: vms.workDir,
    // The book's steps after `vagrant up`.
    tryIt: [`cd ${vms.workDir} && vagrant ssh ${nodes[0].name}`, "./ping_2_nds.sh", "exit"],
  };
}

/** Builds chapter 2 and returns its outputs. */
export function buildCh2(config: LabConfig<"ch2">, host: HostFacts) {
  return addedVirtualMachines(config, host);
}
