/**
 * The documented path: a chapter built on the lab cluster of the stack `cluster` (stack mode, the
 * chapters' default). Chapter 3's deployments and its NFS section go onto the stand-in cluster the
 * cluster case brought up; `destroy` takes away the chapter's objects and its NFS export, and the
 * cluster stays as it was. Two chapters' `up` at once: one MetalLB.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { exportsFile } from "../../../lib/scripts";
import { outputOf } from "../../cli";
import { toolCalls } from "../nodeRoot";
import { type Case, type Context, check, same } from "../runner";
import { type LabResult, lab, type Workspace, withStackFile } from "../workspace";
import { kubectl, stackKubeconfig, vmRoot } from "./cluster";
import { destroyToEmpty, stateResources, tail, upAndSettle } from "./cycles";

const PLUGINS = ["kubernetes", "command", "tls", "random"];

/** Names of the objects of some kinds in the default namespace. */
function names(json: string): string[] {
  return (JSON.parse(json) as { items: { kind: string; metadata: { name: string } }[] }).items
    .map((i) => `${i.kind.toLowerCase()}/${i.metadata.name}`)
    .sort();
}

export const onClusterCases: Case[] = [
  {
    name: "ch3 on the lab cluster (stack mode): up puts its objects and NFS export on stack cluster, kia waits for its MetalLB; destroy takes only them away",
    plugins: PLUGINS,
    run: (ctx) => withStackFile(ctx.ws, "ch3", () => chapterOnCluster(ctx)),
  },
  {
    name: "two chapters' up started together on the lab cluster: exactly one holds MetalLB, the other stops naming it and leaves nothing on the cluster",
    plugins: PLUGINS,
    run: (ctx) => withStackFile(ctx.ws, "ch3", () => upsTogether(ctx)),
  },
];

/** `npm run lab -- <stack> <args>` without waiting, so that two can run at once. */
function labAsync(ws: Workspace, stack: string, args: readonly string[]): Promise<LabResult> {
  const child = spawn("npm", ["run", "--silent", "lab", "--", stack, ...args], {
    cwd: ws.dir,
    env: ws.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return outputOf(child).then(({ code, stdout, stderr }) => ({
    status: code ?? 1,
    stdout,
    stderr,
  }));
}

/**
 * Chapter 3 twice, as stack ch3 and a reader's copy of it (the way unknownStack tells a reader to
 * make a stack of their own), both with 3.3.4's MetalLB: `up` of both at once. Each checks at its
 * start that no other stack holds MetalLB; only one may then take it.
 */
async function upsTogether(ctx: Context): Promise<string> {
  const { ws } = ctx;
  const copy = "ch3-again";
  const copyFile = path.join(ws.dir, `Pulumi.${copy}.yaml`);
  fs.copyFileSync(path.join(ws.dir, "Pulumi.ch3.yaml"), copyFile);
  const claim = path.join(ws.dir, ".lab", "cluster", "claims", "metallb");
  try {
    for (const stack of ["ch3", copy]) {
      lab(ws, stack, ["config", "set", "lab:chapter", "ch3"]);
      lab(ws, stack, ["config", "set", "lab:charts.dir", ctx.charts]);
      lab(ws, stack, ["config", "set", "lab:cluster.awaitLoadBalancer", "false"]);
      lab(ws, stack, ["config", "set", "lab:ch3.sections", "3.3.4"]);
    }
    check(!fs.existsSync(claim), `MetalLB is already held: ${claim}`);
    const [a, b] = await Promise.all(
      ["ch3", copy].map((stack) => labAsync(ws, stack, ["up", "--yes", "--skip-preview"])),
    );
    const out = (r: LabResult) => `${r.stdout}${r.stderr}`;
    check(
      (a.status === 0) !== (b.status === 0),
      `not exactly one up went through (ch3: exit ${a.status}, ${copy}: exit ${b.status}):\n${tail(out(a))}\n---\n${tail(out(b))}`,
    );
    const [winner, loser, lost] = a.status === 0 ? ["ch3", copy, b] : [copy, "ch3", a];
    check(
      out(lost).includes(`stack "${winner}" has MetalLB`),
      `${loser}'s up does not name ${winner} as MetalLB's holder:\n${tail(out(lost))}`,
    );
    same(fs.readFileSync(claim, "utf8"), winner, "the MetalLB claim");
    same(
      stateResources(ws, loser)
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => r.urn),
      [],
      `what ${loser}'s refused up recorded`,
    );
    destroyToEmpty(ws, winner);
    check(!fs.existsSync(claim), `the MetalLB claim is still there after ${winner}'s destroy`);
    return `${winner} held MetalLB, ${loser} stopped naming it; after ${winner}'s destroy the claim is gone`;
  } finally {
    lab(ws, copy, ["stack", "rm", "--yes", "--force", "--preserve-config"], { allowFail: true });
    fs.rmSync(copyFile, { force: true });
  }
}

async function chapterOnCluster(ctx: Context): Promise<string> {
  const { ws } = ctx;
  const kubeconfig = stackKubeconfig(ws, "cluster");
  const get = () =>
    names(kubectl(ws, kubeconfig, ["get", "deployments,services,pvc,pv", "-o", "json"]));
  const before = get();
  const nodesBefore = names(kubectl(ws, kubeconfig, ["get", "nodes", "-o", "json"]));
  lab(ws, "ch3", ["config", "set", "lab:charts.dir", ctx.charts]);
  // The stand-in MetalLB chart gives no addresses; a reader's MetalLB does, and up waits for it.
  lab(ws, "ch3", ["config", "set", "lab:cluster.awaitLoadBalancer", "false"]);
  // Deployments (3.2.4) and the NFS volume (3.4.3): what needs the cluster's own master.
  lab(ws, "ch3", ["config", "set", "lab:ch3.sections", "3.2.4,3.4.3"]);
  upAndSettle(ws, "ch3");

  const added = get().filter((n) => !before.includes(n));
  for (const expected of [
    "deployment/echo-hname",
    "deployment/nfs-pvc-deploy",
    "persistentvolume/nfs-pv",
    "persistentvolumeclaim/nfs-pvc",
  ]) {
    check(added.includes(expected), `${expected} is not on the lab cluster: ${added.join(", ")}`);
  }
  const pv = JSON.parse(kubectl(ws, kubeconfig, ["get", "pv", "nfs-pv", "-o", "json"])) as {
    spec: { nfs: { server: string; path: string } };
  };
  same(pv.spec.nfs, { server: "192.168.56.10", path: "/nfs_shared" }, "nfs-pv's server");
  // The export is made on the lab cluster's master, over its SSH.
  const master = vmRoot(ws, "cluster", "m-k8s");
  const exportFile = path.join(master, exportsFile("/nfs_shared"));
  check(fs.existsSync(exportFile), `no export file on m-k8s: ${exportFile}`);
  check(
    fs.readFileSync(exportFile, "utf8").startsWith("/nfs_shared 192.168.56.0/24("),
    `the export line: ${fs.readFileSync(exportFile, "utf8")}`,
  );
  check(fs.existsSync(path.join(master, "nfs_shared")), "no /nfs_shared on m-k8s");
  const exportfs = toolCalls(master).filter((c) => c.tool === "exportfs").length;

  // One MetalLB per cluster: ch3 holds it (3.4.3's LoadBalancer), so kia's preview stops.
  const claim = path.join(ws.dir, ".lab", "cluster", "claims", "metallb");
  check(fs.existsSync(claim), `no claim file ${claim} after ch3's up`);
  same(fs.readFileSync(claim, "utf8"), "ch3", "the MetalLB claim");
  const kia = lab(ws, "kia", ["preview"], { allowFail: true });
  const kiaOut = `${kia.stdout}${kia.stderr}`;
  check(
    kia.status !== 0 && kiaOut.includes('stack "ch3" has MetalLB'),
    `kia's preview did not stop on ch3's MetalLB (exit ${kia.status}):\n${kiaOut.slice(-1500)}`,
  );

  destroyToEmpty(ws, "ch3");
  check(!fs.existsSync(claim), "the MetalLB claim is still there after ch3's destroy");
  same(get(), before, "objects on the lab cluster after ch3's destroy");
  same(
    names(kubectl(ws, kubeconfig, ["get", "nodes", "-o", "json"])),
    nodesBefore,
    "the lab cluster's nodes after ch3's destroy",
  );
  check(!fs.existsSync(exportFile), "the export is still on m-k8s after destroy");
  check(!fs.existsSync(path.join(master, "nfs_shared")), "/nfs_shared is still on m-k8s");
  check(
    toolCalls(master).filter((c) => c.tool === "exportfs").length > exportfs,
    "destroy did not re-export on m-k8s",
  );
  const cluster = lab(ws, "cluster", ["preview", "--expect-no-changes"], { allowFail: true });
  check(cluster.status === 0, `stack cluster changed under ch3:\n${cluster.stdout}`);
  return `${added.length} objects on stack cluster and the export /nfs_shared on its m-k8s; kia refused while ch3 held MetalLB; after destroy all gone, the cluster unchanged`;
}
