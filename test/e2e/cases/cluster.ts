/**
 * The lab cluster on stand-in VMs (standins/vagrant.ts): the stack `cluster` brought up by the real
 * engine and plugins, its scripts run over real SSH on stand-in nodes, kubeadm init answered by a
 * real control plane with the stack's own CA. Then the chapters build on it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { toolCalls } from "../nodeRoot";
import { run } from "../processes";
import { type Case, check, same } from "../runner";
import { lab, type Workspace } from "../workspace";
import { plainSecrets, tail, upAndSettle } from "./cycles";

export const CLUSTER_PLUGINS = ["command", "tls", "random", "kubernetes"];

/** The root folder of a stand-in VM of a stack. */
export function vmRoot(ws: Workspace, stack: string, vm: string): string {
  return path.join(ws.env.LAB_STANDIN_VMS as string, stack, vm, "root");
}

/** The stack's kubeconfig output, written to a file of the run. */
export function stackKubeconfig(ws: Workspace, stack: string): string {
  const out = lab(ws, stack, ["stack", "output", "kubeconfig", "--show-secrets"]).stdout;
  const file = path.join(ws.runDir, `${stack}.kubeconfig`);
  fs.writeFileSync(file, out.slice(out.indexOf("{")), { mode: 0o600 });
  return file;
}

export function kubectl(ws: Workspace, kubeconfig: string, args: readonly string[]): string {
  return run(path.join(ws.layout.bin, "kubectl"), ["--kubeconfig", kubeconfig, ...args]).stdout;
}

export const clusterCases: Case[] = [
  {
    name: "cluster (stand-in VMs): up builds VMs, kubeadm, Docker and NFS; its kubeconfig reaches the cluster; no secret in plain text",
    plugins: CLUSTER_PLUGINS,
    async run(ctx) {
      const { ws } = ctx;
      const output = upAndSettle(ws, "cluster");
      const kubeconfig = stackKubeconfig(ws, "cluster");
      const nodes = JSON.parse(kubectl(ws, kubeconfig, ["get", "nodes", "-o", "json"])) as {
        items: {
          metadata: { name: string };
          status: { addresses: { type: string; address: string }[] };
        }[];
      };
      same(
        nodes.items
          .map(
            (n) =>
              `${n.metadata.name} ${n.status.addresses.find((a) => a.type === "InternalIP")?.address}`,
          )
          .sort(),
        [
          "m-k8s 192.168.56.10",
          "w1-k8s 192.168.56.101",
          "w2-k8s 192.168.56.102",
          "w3-k8s 192.168.56.103",
        ],
        "the cluster's nodes and their addresses",
      );
      const master = toolCalls(vmRoot(ws, "cluster", "m-k8s"));
      const line = (calls: typeof master, tool: string) =>
        calls.filter((c) => c.tool === tool).map((c) => c.args.join(" "));
      check(
        line(master, "kubeadm").some(
          (l) => l.startsWith("init ") && l.includes("--skip-token-print"),
        ),
        `no kubeadm init on m-k8s: ${line(master, "kubeadm").join(" | ")}`,
      );
      check(
        line(master, "apt-get").some((l) => /docker-ce/.test(l)) &&
          line(master, "apt-get").some((l) => /nfs-kernel-server/.test(l)),
        "Docker or the NFS server not installed on m-k8s",
      );
      for (const w of ["w1-k8s", "w2-k8s", "w3-k8s"]) {
        const calls = toolCalls(vmRoot(ws, "cluster", w));
        check(
          line(calls, "kubeadm").some((l) => l.startsWith("join 192.168.56.10:6443 ")),
          `${w} did not join: ${line(calls, "kubeadm").join(" | ")}`,
        );
        check(
          line(calls, "apt-get").some((l) => /nfs-common/.test(l)),
          `${w} has no NFS client`,
        );
      }
      // The reader's kubeconfig: a file of the work folder, as the docs use it, owner-only.
      const file = path.join(ws.dir, ".lab", "cluster", "kubeconfig");
      check(fs.existsSync(file), "no .lab/cluster/kubeconfig after up");
      same((fs.statSync(file).mode & 0o777).toString(8), "600", "mode of .lab/cluster/kubeconfig");
      const outputs = JSON.parse(lab(ws, "cluster", ["stack", "output", "--json"]).stdout) as {
        kubeconfigFile?: string;
      };
      same(outputs.kubeconfigFile, ".lab/cluster/kubeconfig", "the output kubeconfigFile");
      const viaFile = run(path.join(ws.layout.bin, "kubectl"), ["get", "nodes", "-o", "name"], {
        cwd: ws.dir,
        env: { ...process.env, KUBECONFIG: path.join(ws.dir, outputs.kubeconfigFile ?? "") },
      }).stdout;
      same(
        viaFile.trim().split("\n").sort(),
        ["node/m-k8s", "node/w1-k8s", "node/w2-k8s", "node/w3-k8s"],
        "kubectl get nodes with KUBECONFIG=$PWD/.lab/cluster/kubeconfig",
      );
      // The vagrant user's kubectl works like root's.
      const home = path.join(vmRoot(ws, "cluster", "m-k8s"), "home", "vagrant", ".kube", "config");
      check(fs.existsSync(home), "no ~vagrant/.kube/config on m-k8s");
      same((fs.statSync(home).mode & 0o777).toString(8), "600", "mode of ~vagrant/.kube/config");
      // The join token, the CA key and the root SSH key are in no state file or console output.
      same(plainSecrets(ws, "cluster", output), [], "secrets in plain text");
      const token = /--token (\S+)/.exec(
        line(master, "kubeadm").find((l) => l.startsWith("init")) ?? "",
      )?.[1];
      check(token, "no token in kubeadm init's arguments");
      const state = fs.readFileSync(
        path.join(ws.dir, ".pulumi-state", ".pulumi", "stacks", "lab", "cluster.json"),
        "utf8",
      );
      check(!state.includes(token), "the join token is in the state in plain text");
      check(!output.includes(token), "the join token was shown on the console");
      ctx.note(`cluster up: ${tail(output, 3).replace(/\n/g, " | ")}`);
      return "4 stand-in VMs, kubeadm init with the stack's CA (a real API server answered), 3 joins; token, keys not in state or output";
    },
  },
];
