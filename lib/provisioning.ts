/**
 * Which scripts each VM runs at `vagrant up`, per kind of chapter: the book's chapter 2 scripts, or
 * the node preparation of 3.1.3 for the Kubernetes chapters.
 */
import * as pulumi from "@pulumi/pulumi";
import * as scripts from "./scripts";
import type { LabNode, Provision } from "./vagrant";

/** The scripts of a work folder and each VM's steps. */
export interface VmProvisioning {
  readonly files: Readonly<Record<string, string>>;
  readonly provision: (node: LabNode) => pulumi.Input<readonly pulumi.Input<Provision>[]>;
}

/** 2.2.3: install_pkg.sh everywhere; the master also gets ping_2_nds.sh and runs config.sh. */
export function chapter2Provisioning(prefix: string): VmProvisioning {
  return {
    files: {
      "scripts/install_pkg.sh": scripts.ch2InstallPkg(),
      "scripts/ping_2_nds.sh": scripts.ch2PingNodes(prefix),
      "scripts/config.sh": scripts.ch2Config(),
    },
    provision: (node) =>
      node.role === "master"
        ? [
            { shell: "scripts/install_pkg.sh" },
            { file: "scripts/ping_2_nds.sh", destination: "ping_2_nds.sh" },
            { shell: "scripts/config.sh" },
          ]
        : [{ shell: "scripts/install_pkg.sh" }],
  };
}

/**
 * 3.1.3: `config.sh` then `install_pkg.sh` on every node (the master with `Main`). The book's
 * `master_node.sh` / `work_nodes.sh` run over SSH afterwards (`KubeadmCluster`), because they carry
 * secrets that must not be written into the work folder.
 */
export function kubernetesProvisioning(
  rootPublicKey: pulumi.Input<string>,
  packageVersion: string,
): VmProvisioning {
  return {
    files: {
      "scripts/config.sh": scripts.nodeConfig(),
      "scripts/install_pkg.sh": scripts.nodeInstallPkg(),
    },
    provision: (node) => [
      pulumi
        .output(rootPublicKey)
        .apply((key): Provision => ({ shell: "scripts/config.sh", args: [key] })),
      {
        shell: "scripts/install_pkg.sh",
        args:
          node.role === "master" ? [packageVersion, node.ip, "Main"] : [packageVersion, node.ip],
      },
    ],
  };
}
