import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";

type Connection = command.types.input.remote.ConnectionArgs;

/** Arguments of `NodeServices`. */
export interface NodeServicesArgs {
  /** How to log in to the master as root; it runs Docker and the NFS server. */
  readonly master: Connection;
  /** How to log in to every node as root (the master too), by node name: NFS clients. */
  readonly nodes: Readonly<Record<string, Connection>>;
  /** What must exist first (the nodes, Kubernetes on them). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * What the chapters after 3 need on the lab cluster's nodes: Docker on the master (the book's 4.3.4
 * cluster has docker-ce), the NFS server there (3.4.3, 5.3.1, 6.2.1) and the NFS client tools on
 * every node, for kubelet to mount NFS volumes. The chapters add their exports and containers; the
 * services stay with the cluster.
 */
export class NodeServices extends pulumi.ComponentResource {
  /** The services run once these are done. */
  public readonly ready: pulumi.Resource[];
  /** Docker runs on the master once this is done. */
  public readonly docker: command.remote.Command;

  constructor(name: string, args: NodeServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:lab:NodeServices", name, {}, opts);
    const after = { parent: this, dependsOn: [...args.dependsOn] };
    const run = (id: string, connection: Connection, create: pulumi.Input<string>) =>
      nodeStep(`${name}-${id}`, { connection, create }, after);
    this.docker = run("docker", args.master, scripts.dockerInstall());
    const nfsServer = run("nfs-server", args.master, scripts.nfsServerInstall());
    const clients = Object.entries(args.nodes).map(([node, connection]) =>
      run(`nfs-client-${node}`, connection, scripts.nfsClientInstall()),
    );
    this.ready = [this.docker, nfsServer, ...clients];
    this.registerOutputs({});
  }
}
