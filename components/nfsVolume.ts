import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { bookMeta } from "../lib/k8s";

/** Arguments of an `NfsVolume`. */
export interface NfsVolumeArgs {
  /** PersistentVolume name (the book's `nfs-pv`, `jenkins`, ...). */
  readonly pvName: string;
  /** PersistentVolumeClaim name (the book's `nfs-pvc`, `jenkins`, ...). */
  readonly pvcName: string;
  /** NFS server address. */
  readonly server: string;
  /** Exported path. */
  readonly path: string;
  /** Size of the volume (the book's 100Mi, 10Gi). */
  readonly capacity: string;
  /** Size the claim asks for (the book's 10Mi for `nfs-pvc`). */
  readonly request: string;
  readonly accessMode: "ReadWriteMany" | "ReadWriteOnce" | "ReadOnlyMany";
  readonly reclaimPolicy: "Retain" | "Delete" | "Recycle";
}

/**
 * A PersistentVolume on an NFS export and the claim bound to it. Both say `storageClassName: ""` and
 * the claim names its volume, so a cluster with a default StorageClass (kind, minikube) binds the
 * book's volume instead of provisioning a new one.
 */
export class NfsVolume extends pulumi.ComponentResource {
  public readonly volume: k8s.core.v1.PersistentVolume;
  public readonly claim: k8s.core.v1.PersistentVolumeClaim;

  constructor(name: string, args: NfsVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:nfs:NfsVolume", name, {}, opts);
    // The export must exist first; a component's own dependsOn does not reach its children.
    const after = opts?.dependsOn;
    this.volume = new k8s.core.v1.PersistentVolume(
      args.pvName,
      {
        metadata: { name: args.pvName },
        spec: {
          capacity: { storage: args.capacity },
          accessModes: [args.accessMode],
          persistentVolumeReclaimPolicy: args.reclaimPolicy,
          storageClassName: "",
          nfs: { server: args.server, path: args.path },
        },
      },
      { parent: this, dependsOn: after },
    );
    this.claim = new k8s.core.v1.PersistentVolumeClaim(
      args.pvcName,
      {
        metadata: bookMeta(args.pvcName),
        spec: {
          accessModes: [args.accessMode],
          resources: { requests: { storage: args.request } },
          storageClassName: "",
          volumeName: this.volume.metadata.name,
        },
      },
      { parent: this },
    );
    this.registerOutputs({ volume: this.volume, claim: this.claim });
  }
}
