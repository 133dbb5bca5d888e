/**
 * The text of the Vagrant work folder: a Vagrantfile and, for each VM, the `config.vm.define`
 * block the book writes inline. Pure functions; `VagrantCluster` writes their results.
 */
import { CLUSTER } from "./book";
import type { LabConfig } from "./config";

/** One provisioning step of a VM, in order. */
export type Provision =
  | { readonly shell: string; readonly env?: Readonly<Record<string, string>> }
  | { readonly file: string; readonly destination: string };

/** Everything the book's `config.vm.define` block says about one VM. */
export interface VmSpec {
  /** `m-k8s`, `w1-k8s`, ... (also the host name). */
  readonly name: string;
  readonly box: string;
  /** VirtualBox's name of the VM; unique per stack. */
  readonly vbName: string;
  /** VirtualBox group the VM is filed under. */
  readonly group: string;
  readonly cpus: number;
  /** MB. */
  readonly memory: number;
  /** Host-only address (`private_network`). */
  readonly ip: string;
  /** Host port forwarded to the guest's SSH port 22. */
  readonly sshPort: number;
  /** Further guest ports forwarded to this machine (the master's API server). */
  readonly forwards?: readonly {
    readonly guest: number;
    readonly host: number;
    readonly id: string;
  }[];
  readonly provision: readonly Provision[];
}

/**
 * Host port forwarded to the master's API server (6443): this project's choice, in the book's
 * 600xx range of forwarded ports. Pulumi and the reader's kubectl reach the cluster through it, as
 * Pulumi reaches each VM's SSH through Vagrant's forwarded port, so that both work even where the
 * host-only network is not routed from this machine.
 */
export const API_HOST_PORT = 60443;

/** A Ruby string literal (double-quoted, without interpolation). */
export function rb(value: string): string {
  return JSON.stringify(value).replace(/#/g, "\\#");
}

/** Folder, inside the work folder, that holds one `<vm>.rb` file per VM. */
export const NODES_DIR = "nodes";

/** Folder, in the project, of every stack's work folder. */
export const WORK_ROOT = ".lab";

/** A stack's work folder: its Vagrantfile, VM definitions, scripts and files for the reader. */
export const workDir = (stack: string) => `${WORK_ROOT}/${stack}`;

/**
 * The Vagrantfile: it loads every `nodes/*.rb`. Each VM's block lives in its own file, written and
 * removed by the resource of that VM, so that adding or removing a worker touches only that worker
 * and `vagrant destroy` of a removed worker still finds its definition.
 */
export function vagrantfile(stack: string): string {
  return `# -*- mode: ruby -*-
# vi: set ft=ruby :
#
# k8sinfra-lab, stack ${stack}. Every VM is defined in ${NODES_DIR}/<name>.rb, a block like the
# book's \`config.vm.define\`, written by \`pulumi up\`. In this folder, \`vagrant status\` lists
# the VMs and \`vagrant ssh m-k8s\` logs in.

Vagrant.configure("2") do |config|
  Dir.glob(File.join(File.dirname(__FILE__), ${rb(NODES_DIR)}, "*.rb")).sort.each do |node|
    eval(File.read(node), binding, node)
  end
end
`;
}

/** The `config.vm.define` block of one VM, as in the book's Vagrantfiles. */
export function vmDefinition(vm: VmSpec): string {
  const steps = vm.provision.map((p) =>
    "file" in p
      ? `  cfg.vm.provision "file", source: ${rb(p.file)}, destination: ${rb(p.destination)}`
      : `  cfg.vm.provision "shell", path: ${rb(p.shell)}${
          p.env && Object.keys(p.env).length
            ? `, env: { ${Object.entries(p.env)
                .map(([k, v]) => `${rb(k)} => ${rb(v)}`)
                .join(", ")} }`
            : ""
        }`,
  );
  return [
    `config.vm.define ${rb(vm.name)} do |cfg|`,
    `  cfg.vm.box = ${rb(vm.box)}`,
    `  cfg.vm.provider "virtualbox" do |vb|`,
    `    vb.name = ${rb(vm.vbName)}`,
    `    vb.cpus = ${vm.cpus}`,
    `    vb.memory = ${vm.memory}`,
    `    vb.customize ["modifyvm", :id, "--groups", ${rb(vm.group)}]`,
    "  end",
    `  cfg.vm.host_name = ${rb(vm.name)}`,
    `  cfg.vm.network "private_network", ip: ${rb(vm.ip)}`,
    `  cfg.vm.network "forwarded_port", guest: 22, host: ${vm.sshPort}, auto_correct: true, id: "ssh"`,
    ...(vm.forwards ?? []).map(
      (f) =>
        `  cfg.vm.network "forwarded_port", guest: ${f.guest}, host: ${f.host}, auto_correct: true, id: ${rb(f.id)}`,
    ),
    `  cfg.vm.synced_folder ".", "/vagrant", disabled: true`,
    ...steps,
    "end",
    "",
  ].join("\n");
}

/** One VM of the lab cluster. */
export interface LabNode {
  readonly name: string;
  readonly role: "master" | "worker";
  /** Worker number i of `w<i>-k8s`; 0 for the master. */
  readonly index: number;
  readonly ip: string;
  readonly sshPort: number;
  readonly cpus: number;
  readonly memory: number;
}

/** The book's master and workers for a host-only prefix, a worker count and the VM sizes. */
export function labNodes(
  prefix: string,
  workers: number,
  master: { cpus: number; memory: number },
  worker: { cpus: number; memory: number },
): LabNode[] {
  return [
    {
      name: CLUSTER.master,
      role: "master",
      index: 0,
      ip: `${prefix}.${CLUSTER.masterHost}`,
      sshPort: CLUSTER.masterSshPort,
      ...master,
    },
    ...Array.from({ length: workers }, (_, k): LabNode => {
      const i = k + 1;
      return {
        name: CLUSTER.workerName(i),
        role: "worker",
        index: i,
        ip: `${prefix}.${CLUSTER.workerHost(i)}`,
        sshPort: CLUSTER.workerSshPort(i),
        ...worker,
      };
    }),
  ];
}

/**
 * The stack whose VMs on this machine a stack's resources live on, if any: its own for chapter 2,
 * the cluster chapter and `vagrant` mode, the lab cluster's stack in `stack` mode.
 */
export function vmOwner(config: LabConfig): string | undefined {
  if (config.chapter === "ch2" || config.chapter === "cluster") return config.stack;
  if (config.cluster.mode === "vagrant") return config.stack;
  if (config.cluster.mode === "stack") return config.cluster.stack;
  return undefined;
}
