import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as scripts from "../lib/scripts";

type Connection = command.types.input.remote.ConnectionArgs;

/** One exported folder. */
export interface NfsExport {
  /** Absolute path on the server, e.g. `/nfs_shared`. */
  readonly path: string;
  /** `uid:gid` that owns the folder, when the pods run as that user (Jenkins, Prometheus). */
  readonly owner?: string;
}

/** Arguments of an `NfsServer`. */
export interface NfsServerArgs {
  /** How to log in to the server (the master) as root. */
  readonly server: Connection;
  /** The server's address, as the PersistentVolumes name it. */
  readonly address: string;
  /** How to log in to each node that mounts the exports, by node name. */
  readonly clients: Readonly<Record<string, Connection>>;
  /** Who may mount, e.g. `192.168.56.0/24`. */
  readonly network: string;
  /** `exports(5)` options (the book's `rw,sync,no_root_squash`). */
  readonly options: string;
  readonly exports: readonly NfsExport[];
  /** What must exist first (the nodes). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * The book's NFS server on the master: the server package, one idempotent step per exported folder
 * (so later chapters add their folders without touching the others), and the client tools on every
 * node that mounts them.
 */
export class NfsServer extends pulumi.ComponentResource {
  /** The server's address. */
  public readonly address: string;
  /** `<address>:<path>` of each export. */
  public readonly exports: readonly string[];
  /** Ready once the server exports every folder and every client can mount. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: NfsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:nfs:NfsServer", name, {}, opts);
    const deps = [...args.dependsOn];
    const server = new command.remote.Command(
      `${name}-server`,
      { connection: args.server, create: scripts.nfsServerInstall() },
      { parent: this, dependsOn: deps },
    );
    const exported = args.exports.map(
      (e) =>
        new command.remote.Command(
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
          { parent: this, dependsOn: [server] },
        ),
    );
    const clients = Object.entries(args.clients).map(
      ([node, connection]) =>
        new command.remote.Command(
          `${name}-client-${node}`,
          { connection, create: scripts.nfsClientInstall() },
          { parent: this, dependsOn: deps },
        ),
    );
    this.address = args.address;
    this.exports = args.exports.map((e) => `${args.address}:${e.path}`);
    this.ready = [server, ...exported, ...clients];
    this.registerOutputs({ address: this.address, exports: this.exports });
  }
}
