import { describe, expect, it } from "vitest";
import { beforeDestroy, forgetGoneVms, type StateResource } from "../tools/beforeDestroy";

const urn = (type: string, name: string) => `urn:pulumi:ch3::lab::${type}::${name}`;

/** A chapter's state on the lab cluster: a component, an NFS export over SSH, a chart and its
 * object, a provider, and a file on this machine that waited for the export. */
const STATE: StateResource[] = [
  { urn: urn("pulumi:pulumi:Stack", "lab-ch3"), type: "pulumi:pulumi:Stack" },
  {
    urn: urn("pulumi:providers:kubernetes", "lab-stack-cluster"),
    type: "pulumi:providers:kubernetes",
  },
  { urn: urn("k8sinfra:nfs:NfsExports", "nfs"), type: "k8sinfra:nfs:NfsExports" },
  {
    urn: urn("command:remote:Command", "nfs-export-nfs_shared"),
    type: "command:remote:Command",
    parent: urn("k8sinfra:nfs:NfsExports", "nfs"),
  },
  { urn: urn("kubernetes:helm.sh/v4:Chart", "metallb"), type: "kubernetes:helm.sh/v4:Chart" },
  {
    urn: urn("k8sinfra:x:Part", "inside-chart"),
    type: "k8sinfra:x:Part",
    parent: urn("kubernetes:helm.sh/v4:Chart", "metallb"),
  },
  {
    urn: urn("command:local:Command", "notes"),
    type: "command:local:Command",
    dependencies: [urn("command:remote:Command", "nfs-export-nfs_shared")],
    propertyDependencies: { stdin: [urn("command:remote:Command", "nfs-export-nfs_shared")] },
    deletedWith: urn("kubernetes:helm.sh/v4:Chart", "metallb"),
  },
];

describe("destroy when the VMs are halted or gone", () => {
  it("halted VMs are started first; the reason names each VM and its state", () => {
    expect(beforeDestroy({ "m-k8s": "poweroff", "w1-k8s": "running" }, STATE)).toEqual({
      action: "start",
      stopped: ["m-k8s: poweroff"],
    });
  });

  it("VMs that are gone (not created, or no work folder): what lived on them is dropped", () => {
    expect(beforeDestroy({ "m-k8s": "not_created", "w1-k8s": "not_created" }, STATE)).toEqual({
      action: "forget",
      count: 2,
    });
    expect(beforeDestroy({}, STATE)).toEqual({ action: "forget", count: 2 });
  });

  it("running VMs, or nothing on the VMs: destroy as usual", () => {
    expect(beforeDestroy({ "m-k8s": "running" }, STATE)).toEqual({ action: "nothing" });
    const local = STATE.filter((r) => !/remote|kubernetes:helm/.test(r.type));
    expect(beforeDestroy({ "m-k8s": "poweroff" }, local)).toEqual({ action: "nothing" });
  });

  it("dropping takes the remote steps, Kubernetes objects and their children; the rest loses its references to them", () => {
    const { resources, dropped } = forgetGoneVms(STATE);
    expect(dropped.sort()).toEqual(
      [
        urn("command:remote:Command", "nfs-export-nfs_shared"),
        urn("kubernetes:helm.sh/v4:Chart", "metallb"),
        urn("k8sinfra:x:Part", "inside-chart"),
      ].sort(),
    );
    expect(resources.map((r) => r.type)).toEqual([
      "pulumi:pulumi:Stack",
      "pulumi:providers:kubernetes",
      "k8sinfra:nfs:NfsExports",
      "command:local:Command",
    ]);
    const notes = resources.find((r) => r.type === "command:local:Command");
    expect(notes?.dependencies).toEqual([]);
    expect(notes?.propertyDependencies).toEqual({ stdin: [] });
    expect(notes?.deletedWith).toBeUndefined();
  });
});
