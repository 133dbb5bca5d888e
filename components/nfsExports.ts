import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";

/** One exported folder. */
export interface NfsExport {
  /** Absolute path on the server, e.g. `/nfs_shared`. */
  readonly path: string;
  /** `uid:gid` that owns the folder, when the pods run as that user (Jenkins, Prometheus). */
  readonly owner?: string;
}

/** Arguments of `NfsExports`. */
export interface NfsExportsArgs {
  /** How to log in to the NFS server (the master) as root. */
  readonly server: command.types.input.remote.ConnectionArgs;
  /** The server's address, as the PersistentVolumes name it. */
  readonly address: string;
  /** Who may mount, e.g. `192.168.56.0/24`. */
  readonly network: string;
  /** `exports(5)` options (the book's `rw,sync,no_root_squash`). */
  readonly options: string;
  readonly exports: readonly NfsExport[];
  /** What must exist first (the NFS server). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * A chapter's folders on the lab cluster's NFS server (the book's `/etc/exports` lines and
 * `nfs-exporter.sh <dir>`): one step per folder, safe to run again, so chapters add theirs without
 * touching the others'; destroying the chapter stops the export and removes the folder.
 */
export class NfsExports extends pulumi.ComponentResource {
  /** The server's address. */
  public readonly address: string;
  /** `<address>:<path>` of each export. */
  public readonly exports: readonly string[];
  /** Every folder is exported once these are done. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: NfsExportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:nfs:NfsExports", name, {}, opts);
    this.ready = args.exports.map((e) =>
      nodeStep(
        `${name}-export${e.path.replace(/[^A-Za-z0-9]+/g, "-")}`,
        {
          connection: args.server,
          create: scripts.nfsExport({
            path: e.path,
            network: args.network,
            options: args.options,
            owner: e.owner,
          }),
          delete: scripts.nfsUnexport(e.path),
        },
        { parent: this, dependsOn: [...args.dependsOn] },
      ),
    );
    this.address = args.address;
    this.exports = args.exports.map((e) => `${args.address}:${e.path}`);
    this.registerOutputs({ address: this.address, exports: this.exports });
  }
}
