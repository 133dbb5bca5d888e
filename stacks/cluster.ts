/**
 * The lab cluster alone (book 3.1.3; again at 4.3.4 with Docker): the VMs, kubeadm, Docker and the
 * NFS server on the master. The chapters build on it (`lab:cluster.mode stack`) and their `destroy`
 * resets the chapter, not the VMs, as the book does its chapters on one cluster.
 */
import type { LabConfig } from "../lib/config";
import type { HostFacts } from "../lib/host";
import { messages } from "../lib/messages";
import { buildLabCluster, kubeconfigFilePath } from "./labCluster";

/** Builds the lab cluster and returns its outputs, `labCluster` among them for the chapters. */
export function buildCluster(config: LabConfig<"cluster">, host: HostFacts) {
  const { cluster, contract } = buildLabCluster(config, host);
  return {
    cluster: cluster.description,
    ...cluster.outputs,
    labCluster: contract,
    next: [
      `kubectl --kubeconfig ${kubeconfigFilePath(config.stack)} get nodes`,
      messages().buildOnThisCluster("npm run lab -- ch3 up"),
    ],
  };
}
