/**
 * The lab cluster through what happens to a reader's VMs: a worker whose first provisioning broke
 * off and whose join then failed half-way, VMs halted by a reboot, a changed version or network on
 * a running cluster, a chapter reset while the VMs are down, and a cluster whose VMs were deleted
 * behind Pulumi's back. Each next `npm run lab` must converge. Runs on the cluster the cluster
 * case built, and ends by destroying it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exportsFile } from "../../../lib/scripts";
import { toolCalls } from "../nodeRoot";
import { run } from "../processes";
import { type Case, type Context, check, same } from "../runner";
import { lab, previewJson, type Workspace, withStackFile } from "../workspace";
import { CLUSTER_PLUGINS, kubectl, stackKubeconfig, vmRoot } from "./cluster";
import { stateResources, tail, upAndSettle } from "./cycles";

const VMS = ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"];

/** The stand-in `vagrant` in a stack's work folder, as a reader runs Vagrant by hand there. */
function vagrant(ws: Workspace, stack: string, args: readonly string[]) {
  return run("vagrant", args, { cwd: path.join(ws.dir, ".lab", stack), env: ws.env });
}

function vmState(ws: Workspace, stack: string, vm: string): string {
  const file = path.join(ws.env.LAB_STANDIN_VMS as string, stack, vm, "state.json");
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).state : "not_created";
}

function upFails(ws: Workspace, stack: string, expected: string): string {
  const up = lab(ws, stack, ["up", "--yes", "--skip-preview"], { allowFail: true });
  const out = `${up.stdout}${up.stderr}`;
  check(up.status !== 0, `up passed, though ${expected} was armed`);
  check(out.includes(expected), `up failed, but not with "${expected}":\n${tail(out)}`);
  return out;
}

export const convergenceCases: Case[] = [
  {
    name: "cluster: a fourth worker whose provisioning breaks off, then whose join fails half-way: each next up converges",
    plugins: CLUSTER_PLUGINS,
    async run(ctx) {
      const { ws } = ctx;
      const w4 = path.join(ws.env.LAB_STANDIN_VMS as string, "cluster", "w4-k8s");
      // A package download that broke off during the VM's first provisioning.
      fs.mkdirSync(w4, { recursive: true });
      fs.writeFileSync(path.join(w4, "fail-provision"), "");
      lab(ws, "cluster", ["config", "set", "lab:cluster.workers", "4"]);
      upFails(ws, "cluster", "provisioning broke off");
      // Then `kubeadm join` fails after writing kubelet.conf, with no kubelet running.
      const state = path.join(
        vmRoot(ws, "cluster", "w4-k8s"),
        "var",
        "lib",
        "k8sinfra-lab-standin",
      );
      fs.mkdirSync(state, { recursive: true });
      fs.writeFileSync(path.join(state, "fail-kubeadm-join"), "");
      upFails(ws, "cluster", "failed half-way");
      upAndSettle(ws, "cluster");

      const kubeadm = toolCalls(vmRoot(ws, "cluster", "w4-k8s"))
        .filter((c) => c.tool === "kubeadm")
        .map((c) => c.args[0]);
      // The failed join left kubelet.conf behind; the retry did not take it for done.
      same(kubeadm, ["reset", "join", "reset", "join"], "kubeadm on w4-k8s");
      // The broken provisioning was done again in full: the packages of install_pkg.sh came.
      const installs = toolCalls(vmRoot(ws, "cluster", "w4-k8s")).filter(
        (c) => c.tool === "apt-get" && c.args.includes("containerd.io"),
      ).length;
      check(installs >= 1, "w4-k8s was not provisioned again after the broken provisioning");
      const kubeconfig = stackKubeconfig(ws, "cluster");
      check(
        kubectl(ws, kubeconfig, ["get", "nodes", "-o", "name"]).includes("node/w4-k8s"),
        "w4-k8s is not a node",
      );
      lab(ws, "cluster", ["config", "rm", "lab:cluster.workers"]);
      upAndSettle(ws, "cluster");
      same(vmState(ws, "cluster", "w4-k8s"), "not_created", "w4-k8s after workers back to 3");
      return "up 1 failed (provisioning), up 2 failed (join), up 3 reset and joined; w4-k8s removed again";
    },
  },
  {
    name: "cluster: VMs halted (the machine rebooted): preview says so; up starts them, waits for the API server, converges",
    plugins: CLUSTER_PLUGINS,
    async run(ctx) {
      const { ws } = ctx;
      for (const vm of VMS) vagrant(ws, "cluster", ["halt", vm]);
      same(
        VMS.map((vm) => vmState(ws, "cluster", vm)),
        VMS.map(() => "poweroff"),
        "states after halt",
      );
      const preview = lab(ws, "cluster", ["preview"], { allowFail: true });
      const previewOut = `${preview.stdout}${preview.stderr}`;
      check(
        previewOut.includes('the VMs of stack "cluster" are stopped') &&
          previewOut.includes("pulumi up starts them first"),
        `the preview does not say the VMs are stopped:\n${tail(previewOut)}`,
      );
      same(
        VMS.map((vm) => vmState(ws, "cluster", vm)),
        VMS.map(() => "poweroff"),
        "states after preview (it starts nothing)",
      );
      const out = upAndSettle(ws, "cluster");
      check(
        out.includes("the API server is ready"),
        `up did not wait for the API server:\n${tail(out)}`,
      );
      same(
        VMS.map((vm) => vmState(ws, "cluster", vm)),
        VMS.map(() => "running"),
        "states after up",
      );
      const nodes = kubectl(ws, stackKubeconfig(ws, "cluster"), ["get", "nodes", "-o", "name"]);
      same(nodes.trim().split("\n").length, 4, "nodes after up");
      return "preview warned and started nothing; up started 4 VMs, waited for /readyz, no changes after";
    },
  },
  {
    name: "cluster: a new Kubernetes version or network prefix on the running cluster: preview shows every VM rebuilt",
    plugins: CLUSTER_PLUGINS,
    async run(ctx) {
      const { ws } = ctx;
      const stackFile = path.join(ws.dir, "Pulumi.cluster.yaml");
      const original = fs.readFileSync(stackFile, "utf8");
      const rebuilt: string[] = [];
      try {
        for (const [key, value] of [
          ["lab:versions.kubernetes", "1.35.0"],
          ["lab:network.prefix", "192.168.57"],
        ]) {
          fs.writeFileSync(stackFile, original);
          lab(ws, "cluster", ["config", "set", key, value]);
          const p = previewJson(ws, "cluster");
          check(p.status === 0, `preview with ${key} ${value} failed:\n${tail(p.output)}`);
          const replaced = (p.json?.steps ?? [])
            .filter((s) => /replace/.test(s.op))
            .map((s) => s.urn.split("::").pop() as string);
          for (const vm of VMS) {
            check(
              replaced.includes(`lab-${vm}`),
              `${key} ${value}: ${vm} is not rebuilt; replaced: ${[...new Set(replaced)].join(", ")}`,
            );
          }
          rebuilt.push(`${key}=${value}: ${new Set(replaced).size} replaced`);
        }
      } finally {
        fs.writeFileSync(stackFile, original);
      }
      return rebuilt.join("; ");
    },
  },
  {
    name: "ch3's destroy with the lab cluster's VMs halted: they are started, the NFS export is undone",
    plugins: CLUSTER_PLUGINS,
    run: (ctx) => withStackFile(ctx.ws, "ch3", () => destroyWithVmsHalted(ctx)),
  },
];

async function destroyWithVmsHalted(ctx: Context): Promise<string> {
  const { ws } = ctx;
  lab(ws, "ch3", ["config", "set", "lab:charts.dir", ctx.charts]);
  // The stand-in MetalLB chart gives no addresses; a reader's MetalLB does, and up waits for it.
  lab(ws, "ch3", ["config", "set", "lab:cluster.awaitLoadBalancer", "false"]);
  lab(ws, "ch3", ["config", "set", "lab:ch3.sections", "3.4.3"]);
  upAndSettle(ws, "ch3");
  const exportFile = path.join(vmRoot(ws, "cluster", "m-k8s"), exportsFile("/nfs_shared"));
  check(fs.existsSync(exportFile), "no NFS export after ch3's up");
  for (const vm of VMS) vagrant(ws, "cluster", ["halt", vm]);
  const d = lab(ws, "ch3", ["destroy", "--yes", "--skip-preview"], { allowFail: true });
  const out = `${d.stdout}${d.stderr}`;
  check(d.status === 0, `destroy failed:\n${tail(out)}`);
  check(out.includes("starting them"), `destroy did not say it starts the VMs:\n${tail(out)}`);
  check(!fs.existsSync(exportFile), "the NFS export is still on m-k8s");
  const left = stateResources(ws, "ch3").filter((r) => r.type !== "pulumi:pulumi:Stack");
  same(left.length, 0, "resources left in ch3's state");
  return "the 4 VMs started before destroy; export and objects gone";
}

convergenceCases.push({
  name: "cluster: destroy when its VMs were deleted by hand: what lived on them is dropped, the rest destroyed",
  plugins: CLUSTER_PLUGINS,
  async run(ctx) {
    const { ws } = ctx;
    for (const vm of VMS) vagrant(ws, "cluster", ["destroy", "-f", vm]);
    const d = lab(ws, "cluster", ["destroy", "--yes", "--skip-preview"], { allowFail: true });
    const out = `${d.stdout}${d.stderr}`;
    check(d.status === 0, `destroy failed:\n${tail(out)}`);
    check(
      out.includes('The VMs of stack "cluster" are gone'),
      `no word on the gone VMs:\n${tail(out)}`,
    );
    const left = stateResources(ws, "cluster").filter((r) => r.type !== "pulumi:pulumi:Stack");
    same(
      left.map((r) => r.urn),
      [],
      "resources left in the cluster's state",
    );
    check(!fs.existsSync(path.join(ws.dir, ".lab", "cluster")), ".lab/cluster is still there");
    return "remote steps dropped from the state, VMs' records and files destroyed, .lab/cluster gone";
  },
});
