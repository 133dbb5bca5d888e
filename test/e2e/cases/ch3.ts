/**
 * Chapter 3 on the real control plane in `kubeconfig` mode, every section that runs without VMs
 * (charts are the stand-ins, installed as Helm releases): deployments and scaling, the rollout and
 * the book's failing tag, cordon and drain of a kwok node, the MetalLB range change, NFS volume
 * binding, the StatefulSet, the HPA, the releases `helm list` reads; each asserted on what the API
 * server holds. Then `destroy` leaves nothing of it, no release either.
 */
import type { ControlPlane } from "../controlPlane";
import { type Case, type Context, check, same } from "../runner";
import { lab, withStackFile } from "../workspace";
import { destroyToEmpty, upAndSettle } from "./cycles";
import { changes } from "./practice";

const STACK = "ch3";

interface Workload {
  spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number };
}

const ready = (cp: ControlPlane, kind: string, name: string) =>
  cp.getJson<Workload>([kind, name]).status?.readyReplicas ?? 0;

/**
 * The Helm releases the API server holds, as `helm list -A` reads them: Secrets labelled
 * `owner=helm` with the release's `name`, `version` and `status` (helm/helm v3.20.2
 * pkg/storage/driver/secrets.go l.208-236, the library the provider installs them with).
 */
function helmReleases(cp: ControlPlane): string[] {
  const secrets = cp.getJson<{
    items: { metadata: { namespace: string; labels?: Record<string, string> } }[];
  }>(["secrets", "-A", "-l", "owner=helm"]);
  return secrets.items
    .map(({ metadata: { namespace, labels = {} } }) => {
      return `${namespace}/${labels.name} v${labels.version} ${labels.status}`;
    })
    .sort();
}

/** Pods (not of DaemonSets) on a node. */
function podsOn(cp: ControlPlane, node: string): string[] {
  const pods = cp.getJson<{
    items: {
      metadata: { name: string; ownerReferences?: { kind: string }[] };
      spec: { nodeName?: string };
    }[];
  }>(["pods", "-A"]);
  return pods.items
    .filter((p) => p.spec.nodeName === node)
    .filter((p) => p.metadata.ownerReferences?.[0]?.kind !== "DaemonSet")
    .map((p) => p.metadata.name);
}

export const ch3Cases: Case[] = [
  {
    name: "ch3 on the control plane: sections without VMs, scale, the failing rollout, cordon and drain, the MetalLB range, destroy",
    plugins: ["kubernetes", "command"],
    // Each step changes the stack's settings; the stacks after this one find them as they were.
    run: (ctx) => withStackFile(ctx.ws, STACK, () => ch3OnControlPlane(ctx)),
  },
];

async function ch3OnControlPlane(ctx: Context): Promise<string> {
  const { ws } = ctx;
  const cp = await ctx.controlPlane();
  const set = (values: Record<string, string>) => {
    for (const [k, v] of Object.entries(values)) lab(ws, STACK, ["config", "set", k, v]);
  };
  set({
    "lab:cluster.mode": "kubeconfig",
    "lab:cluster.kubeconfig": cp.kubeconfig,
    "lab:cluster.nodes": cp.nodes.map((n) => n.name).join(","),
    "lab:charts.dir": ctx.charts,
    // The lab master's address: the PersistentVolume names it; nothing mounts it on kwok.
    "lab:ch3.nfsServer": cp.nodes[0].ip,
    "lab:ch3.rolloutTimeout": "30",
  });
  upAndSettle(ws, STACK);
  for (const [kind, name, n] of [
    ["deployment", "dpy-nginx", 3],
    ["deployment", "echo-hname", 3],
    ["deployment", "rollout-nginx", 3],
    ["deployment", "nfs-pvc-deploy", 4],
    ["statefulset", "nfs-pvc-sts", 4],
  ] as const) {
    same(ready(cp, kind, name), n, `ready pods of ${kind} ${name}`);
  }
  const np = cp.getJson<{ spec: { ports: { nodePort: number }[] } }>(["service", "np-svc"]);
  same(np.spec.ports[0].nodePort, 30000, "np-svc's node port");
  const pvc = cp.getJson<{ status: { phase: string }; spec: { volumeName: string } }>([
    "pvc",
    "nfs-pvc",
  ]);
  same([pvc.status.phase, pvc.spec.volumeName], ["Bound", "nfs-pv"], "nfs-pvc");
  const hpa = cp.getJson<{ spec: { minReplicas: number; maxReplicas: number } }>([
    "hpa",
    "hpa-hname-pods",
  ]);
  same([hpa.spec.minReplicas, hpa.spec.maxReplicas], [1, 30], "the HPA's range");
  const ingress = cp.getJson<{ spec: { ingressClassName: string } }>(["ingress", "ingress-nginx"]);
  same(ingress.spec.ingressClassName, "nginx", "the Ingress's class");
  // The charts as the book's `helm install` leaves them: releases `helm list -A` shows.
  const releases = [
    "ingress-nginx/ingress-nginx v1 deployed",
    "kube-system/metrics-server v1 deployed",
    "metallb-system/metallb v1 deployed",
  ];
  same(helmReleases(cp), releases, "Helm releases after up");

  // 3.3.5's load on demand: a Job the API server accepts; up does not wait for it to finish.
  set({ "lab:ch3.loadGenerator": "true" });
  same(changes(ws, STACK), ["create hpa-load-generator"], "the load: what the preview changes");
  upAndSettle(ws, STACK);
  const job = cp.getJson<{ spec: { parallelism: number }; status: { active?: number } }>([
    "job",
    "hpa-load-generator",
  ]);
  same(job.spec.parallelism, 3, "the load Job's parallel pods");
  set({ "lab:ch3.loadGenerator": "false" });
  same(changes(ws, STACK), ["delete hpa-load-generator"], "the load off: what changes");
  upAndSettle(ws, STACK);

  // 3.2.3: kubectl scale is a setting.
  set({ "lab:ch3.replicas.echo-hname": "6" });
  same(changes(ws, STACK), ["update echo-hname"], "scaling echo-hname: what the preview changes");
  upAndSettle(ws, STACK);
  same(ready(cp, "deployment", "echo-hname"), 6, "ready pods of echo-hname after scaling");

  // 3.2.10: the book's tag that does not exist; up fails after lab:ch3.rolloutTimeout.
  set({ "lab:ch3.rolloutTag": "1.17.23" });
  same(changes(ws, STACK), ["update rollout-nginx"], "the failing tag: what the preview changes");
  const started = Date.now();
  const failed = lab(ws, STACK, ["up", "--yes", "--skip-preview"], { allowFail: true });
  const seconds = (Date.now() - started) / 1000;
  check(failed.status !== 0, "up with the tag 1.17.23 succeeded");
  const why = `${failed.stdout}${failed.stderr}`;
  const diagnostics = why.slice(why.indexOf("Diagnostics:"), why.indexOf("Outputs:"));
  check(
    /rollout-nginx.*timed out waiting to be Ready/.test(diagnostics),
    `the error is not the rollout's timeout:\n${diagnostics}`,
  );
  // lab:ch3.rolloutTimeout is 30 here: well before the provider's own ten minutes.
  check(seconds < 90, `the failing rollout took ${seconds.toFixed(0)}s to be reported`);
  ctx.note(
    `1.17.23: up failed after ${seconds.toFixed(0)}s: ${diagnostics.match(/[^\n]*timed out[^\n]*/)?.[0]?.trim()}`,
  );
  set({ "lab:ch3.rolloutTag": "1.16.0" });
  upAndSettle(ws, STACK);
  same(
    cp.getJson<Workload>(["deployment", "rollout-nginx"]).spec.template.spec.containers[0].image,
    "nginx:1.16.0",
    "rollout-nginx after the undo",
  );

  // 3.2.8/3.2.9: cordon, then drain w3-k8s.
  set({ "lab:ch3.cordon": "w3-k8s" });
  same(
    changes(ws, STACK),
    ["create ch3-3.2.8", "create cordon-w3-k8s"],
    "cordon: what the preview changes (the section and its patch)",
  );
  upAndSettle(ws, STACK);
  same(
    cp.getJson<{ spec: { unschedulable?: boolean } }>(["node", "w3-k8s"]).spec.unschedulable,
    true,
    "w3-k8s unschedulable",
  );
  set({ "lab:ch3.drain": "w3-k8s" });
  upAndSettle(ws, STACK);
  same(podsOn(cp, "w3-k8s"), [], "pods left on w3-k8s after the drain");
  lab(ws, STACK, ["config", "rm", "lab:ch3.drain"]);
  lab(ws, STACK, ["config", "rm", "lab:ch3.cordon"]);
  upAndSettle(ws, STACK);
  same(
    cp.getJson<{ spec: { unschedulable?: boolean } }>(["node", "w3-k8s"]).spec.unschedulable,
    undefined,
    "w3-k8s after the cordon is removed",
  );

  // 3.4.2: the pool's range changes; exactly the LoadBalancer Services are made again.
  set({ "lab:ch3.lbRange": "21-29" });
  same(
    changes(ws, STACK),
    [
      "replace cfgmap-svc",
      "replace hpa-hname-svc",
      "replace lb-hname-svc",
      "replace lb-ip-svc",
      "replace nfs-pvc-deploy-svc",
      "replace nfs-pvc-sts-svc",
      "update metallb-pool",
    ],
    "the MetalLB range: what the preview changes",
  );
  upAndSettle(ws, STACK);
  // The pool is not the release's: MetalLB's release stays at its first revision.
  same(helmReleases(cp), releases, "Helm releases after the range change");

  destroyToEmpty(ws, STACK);
  same(helmReleases(cp), [], "Helm releases left after destroy");
  const left = cp
    .kubectl([
      "get",
      "deployments,statefulsets,services,pvc,pv,ingress,hpa,namespaces",
      "-A",
      "-o",
      "name",
    ])
    .split("\n")
    .filter((l) =>
      /dpy-nginx|echo-hname|rollout-nginx|np-|hname|ip-svc|ingress-nginx|metallb|nfs-|sts|cfgmap|nginx-pod/.test(
        l,
      ),
    );
  same(left, [], "objects of chapter 3 left in the API after destroy");
  return "all sections up, the charts as 3 Helm releases; 3 -> 6 pods; 1.17.23 failed and was undone; cordon, drain, uncordon; the pool moved; nothing left, no release either";
}
