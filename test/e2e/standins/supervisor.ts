/**
 * The stand-in master's kubelet, for the e2e's stand-in VMs: started by the stand-in `vagrant` with
 * a master VM, it watches the node's root folder. When the stand-in `kubeadm init` asks (the file
 * /etc/kubernetes/kubeadm-init.request), it starts a real control plane (control-plane.ts) with the
 * cluster CA the lab's master_node.sh put into /etc/kubernetes/pki, on the port Vagrant "forwards"
 * to the master's 6443, and says so (/etc/kubernetes/apiserver.ready). `kubeadm reset` stops and
 * wipes it. After a halt it comes back by itself, as static pods do after a reboot. It keeps one kwok
 * node per VM of the work folder, with the VM's host-only address.
 *
 *   node --import tsx supervisor.ts <vm folder> <work folder> <api port> <toolchain bin> <kwok stages>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { addNode, type ControlPlane, startControlPlane } from "../controlPlane";
import { stopAll } from "../processes";

const [vmDir, workDir, apiPortText, bin, stages] = process.argv.slice(2);
const apiPort = Number(apiPortText);
const root = path.join(vmDir, "root");
const k8s = path.join(root, "etc", "kubernetes");
const file = (name: string) => path.join(k8s, name);
const cpDir = path.join(vmDir, "control-plane");

let plane: ControlPlane | undefined;
const nodesSeen = new Set<string>();

/** The VMs of the work folder that run, with their host-only address. */
function runningVms(): { name: string; ip: string; role: "master" | "worker" }[] {
  const nodes = path.join(workDir, "nodes");
  if (!fs.existsSync(nodes)) return [];
  const stackDir = path.dirname(vmDir);
  return fs
    .readdirSync(nodes)
    .filter((f) => f.endsWith(".rb"))
    .map((f) => {
      const text = fs.readFileSync(path.join(nodes, f), "utf8");
      const name = f.slice(0, -3);
      const ip = /"private_network", ip: "([\d.]+)"/.exec(text)?.[1] ?? "";
      const state = path.join(stackDir, name, "state.json");
      const running =
        fs.existsSync(state) && JSON.parse(fs.readFileSync(state, "utf8")).state === "running";
      return {
        name,
        ip,
        role: text.includes("guest: 6443") ? "master" : "worker",
        running,
      } as const;
    })
    .filter((v) => v.running)
    .map(({ name, ip, role }) => ({ name, ip, role }));
}

async function start(): Promise<void> {
  plane = await startControlPlane(vmDir, bin, stages, {
    dir: cpDir,
    ca: { cert: file("pki/ca.crt"), key: file("pki/ca.key") },
    port: apiPort,
    nodes: runningVms(),
  });
  for (const n of plane.nodes) nodesSeen.add(n.name);
  fs.writeFileSync(file("admin.conf"), fs.readFileSync(plane.kubeconfig, "utf8"), { mode: 0o600 });
  fs.writeFileSync(file("apiserver.ready"), `${plane.server}\n`);
}

async function tick(): Promise<void> {
  if (fs.existsSync(file("kubeadm-reset.request"))) {
    await stopAll();
    plane = undefined;
    fs.rmSync(cpDir, { recursive: true, force: true });
    for (const f of ["apiserver.ready", "admin.conf", "kubeadm-reset.request"]) {
      fs.rmSync(file(f), { force: true });
    }
    return;
  }
  const restart = fs.existsSync(path.join(cpDir, "sa.pub")) && fs.existsSync(file("admin.conf"));
  if (!plane && (fs.existsSync(file("kubeadm-init.request")) || restart)) {
    await start();
    fs.rmSync(file("kubeadm-init.request"), { force: true });
    return;
  }
  if (plane) {
    const vms = runningVms();
    for (const vm of vms.filter((v) => !nodesSeen.has(v.name))) {
      addNode(plane.kubectl, vm);
      nodesSeen.add(vm.name);
    }
    for (const name of [...nodesSeen].filter((n) => !vms.some((v) => v.name === n))) {
      plane.kubectl(["delete", "node", name, "--ignore-not-found", "--wait=false"]);
      nodesSeen.delete(name);
    }
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(k8s, { recursive: true });
  fs.writeFileSync(file("supervised"), "");
  // The apiserver.ready of a run before the halt is stale until the control plane is back.
  fs.rmSync(file("apiserver.ready"), { force: true });
  for (;;) {
    try {
      await tick();
    } catch (err) {
      process.stderr.write(`supervisor: ${err instanceof Error ? err.message : err}\n`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

main();
