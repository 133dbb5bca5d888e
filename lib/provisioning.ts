/**
 * Which scripts each VM runs at `vagrant up`, per kind of chapter: the book's chapter 2 scripts, or
 * the node preparation of 3.1.3 for the Kubernetes chapters.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER } from "./book";
import { BOOK_REPOSITORY, scriptText } from "./scripts";
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
      "scripts/install_pkg.sh": scriptText("ch2/install_pkg.sh"),
      "scripts/ping_2_nds.sh": scriptText("ch2/ping_2_nds.sh"),
      "scripts/config.sh": scriptText("ch2/config.sh"),
    },
    provision: (node) =>
      node.role === "master"
        ? [
            { shell: "scripts/install_pkg.sh" },
            { file: "scripts/ping_2_nds.sh", destination: "ping_2_nds.sh" },
            {
              shell: "scripts/config.sh",
              env: { NETWORK_PREFIX: prefix, PING_COUNT: String(CLUSTER.pingCount) },
            },
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
      "scripts/config.sh": scriptText("config.sh"),
      "scripts/install_pkg.sh": scriptText("install_pkg.sh"),
    },
    provision: (node) => [
      pulumi
        .output(rootPublicKey)
        .apply((key): Provision => ({ shell: "scripts/config.sh", env: { ROOT_SSH_KEY: key } })),
      {
        shell: "scripts/install_pkg.sh",
        env: {
          K8S_PACKAGE_VERSION: packageVersion,
          NODE_IP: node.ip,
          NODE_ROLE: node.role === "master" ? "Main" : "",
          BOOK_REPOSITORY,
        },
      },
    ],
  };
}
