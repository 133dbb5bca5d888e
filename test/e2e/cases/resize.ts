/**
 * The master resized on a running lab cluster (`lab:cluster.masterMemory`): `pulumi up` updates
 * its VM resource with `node host/vm.js reload` (components/vagrantCluster.ts). Here that runs on
 * a stand-in VM (standins/vagrant.ts) built from the cluster stack's own plan, whose control plane
 * comes back only some seconds after Vagrant is done, as a kubelet brings the static pods back
 * after a reboot. What Pulumi does next with the cluster needs the API server, so host/vm.js must
 * hand the master on only once /readyz answers. A master whose kubeadm init failed half-way (too
 * little memory, say) has no API server to come back: resized, it is handed on at once, so that
 * master_node.sh resets it and runs init again. No provider plugin is needed: the commands and
 * their standard input are taken from the plan and run as the command plugin would run them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { CLUSTER } from "../../../lib/book";
import { workDir } from "../../../lib/vagrant";
import { reveal, runStack } from "../../../tools/mockRun";
import { knownHostsLine, nodeProblem, sshExec } from "../nodeRoot";
import { run } from "../processes";
import { Blocked, type Case, check, same } from "../runner";
import type { Workspace } from "../workspace";

/** A work folder of its own, so that the case meets no VM of the cluster cases. */
const WORK = `${workDir("e2e")}-resize`;
const MASTER = CLUSTER.master;

interface LocalStep {
  readonly name: string;
  readonly create: string;
  readonly update?: string;
  readonly delete?: string;
  readonly stdin: string;
}

/** The cluster stack's local commands (work folder files, VMs), moved to the case's folder. */
async function localSteps(config: Record<string, string> = {}): Promise<Map<string, LocalStep>> {
  const plan = await runStack({ stack: "cluster", config });
  const moved = (cmd?: string) => cmd?.replaceAll(` ${workDir("cluster")}`, ` ${WORK}`);
  const steps = new Map<string, LocalStep>();
  for (const r of plan.resources.filter((x) => x.type === "command:local:Command")) {
    const i = reveal(r.inputs) as Record<string, string | undefined>;
    steps.set(r.name, {
      name: r.name,
      create: moved(i.create) ?? "",
      update: moved(i.update),
      delete: moved(i.delete),
      stdin: i.stdin ?? "",
    });
  }
  return steps;
}

/** Runs one command as the command plugin does: a shell in the project folder, stdin given. */
function sh(ws: Workspace, command: string, stdin: string, allowFail = false) {
  return run("/bin/sh", ["-c", command], { cwd: ws.dir, env: ws.env, input: stdin, allowFail });
}

/** The same, stopped after `seconds` (a helper that would wait its full 10 minutes). */
function shWithin(ws: Workspace, seconds: number, command: string, stdin: string) {
  const r = spawnSync("/bin/sh", ["-c", command], {
    cwd: ws.dir,
    env: ws.env,
    input: stdin,
    encoding: "utf8",
    timeout: seconds * 1000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal !== null };
}

/** The cluster stack's master_node.sh step: its command and standard input. */
async function controlPlaneStep(): Promise<{ create: string; stdin: string }> {
  const plan = await runStack({ stack: "cluster" });
  const r = plan.resources.find(
    (x) => x.type === "command:remote:Command" && x.name === "lab-control-plane",
  );
  check(r, "the cluster stack registers no lab-control-plane");
  const i = reveal(r.inputs) as { create: string; stdin: string };
  return { create: i.create, stdin: i.stdin };
}

/**
 * `/readyz` of an API server on loopback, unauthenticated: its HTTP status, or why none. A new
 * connection each time (no agent): a kept-alive one to the server before the reboot would fail.
 */
function readyz(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: "127.0.0.1",
        port,
        path: "/readyz",
        rejectUnauthorized: false,
        timeout: 5000,
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? "no status");
      },
    );
    req.on("error", (err) => resolve(err.message));
    req.on("timeout", () => req.destroy(new Error("timed out")));
  });
}

export const resizeCases: Case[] = [
  {
    name: "cluster's master resized (stand-in VM): after a half-done kubeadm init host/vm.js reload hands it on at once, and master_node.sh inits it; once initialised, only when its API server answers /readyz again",
    async run(ctx) {
      const { ws } = ctx;
      const problem = nodeProblem();
      if (problem) throw new Blocked(problem);
      const before = await localSteps();
      const grown = await localSteps({ "lab:cluster.masterMemory": "4096" });
      const after = await localSteps({ "lab:cluster.masterMemory": "5120" });
      const vm = (steps: Map<string, LocalStep>) => {
        const step = steps.get(`lab-${MASTER}`);
        check(step?.update, `the cluster stack registers no lab-${MASTER} with an update`);
        return step;
      };
      check(
        vm(grown).stdin.includes("vb.memory = 4096") && vm(before).stdin !== vm(grown).stdin,
        "lab:cluster.masterMemory 4096 does not change the master's definition",
      );
      same(
        vm(after).update,
        `node host/vm.js reload ${WORK} ${MASTER}`,
        "what pulumi up runs for a resized master",
      );
      const files = [...before.values()].filter(
        (s) => s.name.startsWith("lab-file-") && s.create.includes(" write "),
      );
      const vmFolder = path.join(ws.env.LAB_STANDIN_VMS as string, path.basename(WORK), MASTER);
      const nodeRoot = path.join(vmFolder, "root");
      const api = () =>
        JSON.parse(fs.readFileSync(path.join(vmFolder, "state.json"), "utf8")).api as number;
      try {
        for (const f of files) sh(ws, f.create, f.stdin);
        sh(ws, vm(before).create, vm(before).stdin);

        // master_node.sh as the stack runs it on m-k8s, as root over the VM's SSH. Its standard
        // input carries the stack's CA key; the CA certificate next to it is made from that key
        // with openssl, as the stand-in kubelet signs the control plane's certificates with it.
        const step = await controlPlaneStep();
        const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(
          step.stdin,
        )?.[0];
        check(key, "no CA key in the control plane's standard input");
        const ca = path.join(ws.runDir, "resize-ca");
        fs.mkdirSync(ca, { recursive: true });
        fs.writeFileSync(path.join(ca, "ca.key"), key, { mode: 0o600 });
        run(
          "openssl",
          [
            ...["req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt"],
            ...["-days", "2", "-subj", "/CN=kubernetes"],
          ],
          { cwd: ca },
        );
        const stdin = `${step.stdin.split("\n")[0]}\n${fs.readFileSync(path.join(ca, "ca.crt"), "utf8")}${key}`;
        const controlPlane = () => {
          const port = JSON.parse(fs.readFileSync(path.join(vmFolder, "state.json"), "utf8"))
            .ssh as number;
          const knownHosts = path.join(ws.runDir, "resize-known_hosts");
          fs.writeFileSync(knownHosts, `${knownHostsLine(nodeRoot, "127.0.0.1", port)}\n`);
          const key = path.join(vmFolder, "vagrant_key");
          return sshExec({ host: "127.0.0.1", port, key, knownHosts }, step.create, stdin);
        };

        // kubeadm init fails half-way (its control plane does not come up): admin.conf and etcd
        // data are left, no API server answers.
        const state = path.join(nodeRoot, "var", "lib", "k8sinfra-lab-standin");
        fs.mkdirSync(state, { recursive: true });
        fs.writeFileSync(path.join(state, "fail-kubeadm-init"), "");
        const failed = controlPlane();
        check(failed.status !== 0, "master_node.sh passed, though kubeadm init failed half-way");
        check(
          fs.existsSync(path.join(nodeRoot, "etc", "kubernetes", "admin.conf")),
          "the half-done init left no admin.conf",
        );

        // The reader gives m-k8s more memory: the reload has no API server to wait for.
        const halfStarted = Date.now();
        const half = shWithin(ws, 120, vm(grown).update ?? "", vm(grown).stdin);
        const halfTook = Math.round((Date.now() - halfStarted) / 1000);
        check(
          !half.timedOut,
          `host/vm.js reload of the master whose init failed half-way did not end in 120 s: ${half.stderr.trim().split("\n").slice(-2).join(" | ")}`,
        );
        check(half.status === 0, `the reload failed:\n${half.stderr.trim()}`);
        check(/^lab-vm /m.test(half.stdout), `no lab-vm line: ${half.stdout}`);
        check(
          !half.stderr.includes("waiting for the API server"),
          "host/vm.js waited for the API server of a master whose init failed half-way",
        );
        // What comes next in pulumi up: master_node.sh resets the half-done init and inits.
        const again = controlPlane();
        check(
          again.status === 0,
          `master_node.sh after the resize failed:\n${again.stderr.trim()}`,
        );
        same(await readyz(api()), 200, "/readyz after master_node.sh");

        // The reboot of the next resize: the API server answers again 8 s after Vagrant is done.
        // Vagrant returns once SSH answers: hashicorp/vagrant@v2.4.9
        // plugins/providers/virtualbox/action.rb, action_reload (l. 207-220) is action_halt then
        // action_start, which boots a halted VM with action_boot (l. 351), whose last wait is
        // WaitForCommunicator (l. 91); before it, HandleForwardedPortCollisions (l. 73) may move a
        // forwarded port, so host/vm.js reads them once the VM runs.
        fs.writeFileSync(path.join(vmFolder, "slow-api-server"), "8\n");
        const started = Date.now();
        const reload = sh(ws, vm(after).update ?? "", vm(after).stdin, true);
        const right = await readyz(api());
        const took = Math.round((Date.now() - started) / 1000);
        check(reload.status === 0, `the reload failed:\n${reload.stderr.trim()}`);
        check(
          /^lab-vm \{.*"api":\{"host":"127\.0\.0\.1","port":\d+\}/m.test(reload.stdout),
          `no lab-vm line naming the API server: ${reload.stdout}`,
        );
        same(
          right,
          200,
          `/readyz right after host/vm.js reload printed its lab-vm line (${took} s; it said: ${reload.stderr.trim().split("\n").slice(-3).join(" | ")})`,
        );
        check(
          reload.stderr.includes(`${MASTER}: the API server is ready`),
          `host/vm.js did not say it waited:\n${reload.stderr.trim().split("\n").slice(-5).join("\n")}`,
        );
        // What Pulumi does next: kubectl with the cluster's admin kubeconfig.
        const admin = path.join(nodeRoot, "etc", "kubernetes", "admin.conf");
        const nodes = run(path.join(ws.layout.bin, "kubectl"), [
          "--kubeconfig",
          admin,
          "get",
          "nodes",
          "-o",
          "name",
        ]).stdout;
        check(nodes.includes(`node/${MASTER}`), `kubectl get nodes after the reload: ${nodes}`);
        const calls = fs
          .readFileSync(ws.env.LAB_STANDIN_LOG as string, "utf8")
          .split("\n")
          .filter((l) => l.includes(`"cwd":${JSON.stringify(path.join(ws.dir, WORK))}`))
          .map((l) => (JSON.parse(l) as { args: string[] }).args.join(" "));
        check(
          calls.filter((c) => c === `reload --provision ${MASTER}`).length === 2,
          `the stand-in vagrant was not asked to reload twice: ${calls.join(" | ")}`,
        );
        return `half-done init: reload handed on in ${halfTook} s without waiting, then master_node.sh reset and init; initialised: reload took ${took} s (the API server back 8 s after Vagrant), /readyz 200 and kubectl get nodes at once after the lab-vm line`;
      } finally {
        // The stand-in kubelet's and control plane's logs outlive the VM, for a failure.
        const logs = path.join(ws.runDir, "resize-logs");
        fs.mkdirSync(logs, { recursive: true });
        for (const dir of [vmFolder, path.join(vmFolder, "control-plane")]) {
          if (!fs.existsSync(dir)) continue;
          for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".log"))) {
            fs.copyFileSync(path.join(dir, f), path.join(logs, f));
          }
        }
        sh(ws, vm(after).delete ?? "", vm(after).stdin, true);
        for (const f of files) if (f.delete) sh(ws, f.delete, "", true);
        fs.rmSync(path.join(ws.dir, WORK), { recursive: true, force: true });
      }
    },
  },
];
