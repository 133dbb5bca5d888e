import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import {
  API_HOST_PORT,
  type LabNode,
  type Provision,
  vagrantfile,
  vmDefinition,
  workDir,
} from "../lib/vagrant";

/** Arguments of a `VagrantCluster`. */
export interface VagrantClusterArgs {
  /** The stack; it names the work folder `.lab/<stack>` and the VirtualBox group. */
  readonly stack: string;
  /** The VMs, master first (see `labNodes`). */
  readonly nodes: readonly LabNode[];
  /** Vagrant box of every VM. */
  readonly box: string;
  /** Files of the work folder besides the Vagrantfile, by path (the provisioning scripts). */
  readonly files: Readonly<Record<string, string>>;
  /** The provisioning steps of one VM; paths are relative to the work folder. */
  readonly provision: (node: LabNode) => pulumi.Input<readonly pulumi.Input<Provision>[]>;
  /**
   * Values whose change builds every VM again instead of reloading it: the box, and what a running
   * cluster cannot take in place (its Kubernetes version, its network).
   */
  readonly rebuildOn: readonly string[];
  /** Forward the master's API server port (6443) to this machine; default false. */
  readonly forwardApiServer?: boolean;
}

/** How Pulumi reaches one VM: Vagrant's forwarded ports on this machine and its SSH host key. */
export interface VmEndpoint {
  readonly ssh: { readonly host: string; readonly port: number };
  /** The API server, on the master of a Kubernetes chapter. */
  readonly api?: { readonly host: string; readonly port: number };
  /** `ssh-ed25519 AAAA...`, which every SSH connection to the VM requires. */
  readonly hostKey: string;
}

/** The `lab-vm` line `host/vm.js up` and `reload` print. */
export function parseEndpoint(stdout: string): VmEndpoint {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("lab-vm "));
  if (!line) throw new Error(`host/vm.js printed no lab-vm line:\n${stdout.slice(-500)}`);
  return JSON.parse(line.slice("lab-vm ".length)) as VmEndpoint;
}

/** Where a stack's Vagrantfile, scripts and `.vagrant/` live, relative to the project. */

/** How `pulumi up` reaches the host helper; relative, as Pulumi runs commands in the project folder. */
const HELPER = "node host/vm.js";

/**
 * The book's VirtualBox VMs, one `vagrant up` / `vagrant destroy -f` per VM. The Vagrantfile and
 * scripts are written by resources whose input is their text, so `pulumi preview` shows a diff
 * when a size, an address or a script changes; each VM's definition is the input of that VM's own
 * resource, so changing the number of workers adds or removes only those workers.
 */
export class VagrantCluster extends pulumi.ComponentResource {
  /** The VMs, master first. */
  public readonly nodes: readonly LabNode[];
  /** The resource that creates each VM, by VM name; depend on it to wait for the VM. */
  public readonly vms: Readonly<Record<string, command.local.Command>>;
  /** How to reach each VM, by VM name, once it runs. */
  public readonly endpoints: Readonly<Record<string, pulumi.Output<VmEndpoint>>>;
  /** The work folder, relative to the project. */
  public readonly workDir: string;
  /** How to log in to each VM, by VM name. */
  public readonly sshCommands: Readonly<Record<string, string>>;

  constructor(name: string, args: VagrantClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:vagrant:VagrantCluster", name, {}, opts);
    const dir = workDir(args.stack);
    this.workDir = dir;
    this.nodes = args.nodes;

    const files = Object.entries({ Vagrantfile: vagrantfile(args.stack), ...args.files }).map(
      ([file, text]) =>
        new command.local.Command(
          `${name}-file-${file.replace(/[^A-Za-z0-9._]+/g, "-")}`,
          {
            create: `${HELPER} write ${dir}/${file}`,
            delete: `${HELPER} remove ${dir}/${file}`,
            stdin: text,
          },
          { parent: this },
        ),
    );

    const vms: Record<string, command.local.Command> = {};
    const [master] = args.nodes;
    for (const node of args.nodes) {
      const definition = pulumi.output(args.provision(node)).apply((provision) =>
        vmDefinition({
          name: node.name,
          box: args.box,
          vbName: `${node.name}(k8sinfra-lab ${args.stack})`,
          group: `/k8sinfra-lab/${args.stack}`,
          cpus: node.cpus,
          memory: node.memory,
          ip: node.ip,
          sshPort: node.sshPort,
          forwards:
            args.forwardApiServer && node === master
              ? [{ guest: 6443, host: API_HOST_PORT, id: "kube-apiserver" }]
              : [],
          provision,
        }),
      );
      vms[node.name] = new command.local.Command(
        `${name}-${node.name}`,
        {
          create: `${HELPER} up ${dir} ${node.name}`,
          // A new size or script: reboot with the new settings and provision again.
          update: `${HELPER} reload ${dir} ${node.name}`,
          delete: `${HELPER} destroy ${dir} ${node.name}`,
          stdin: definition,
          triggers: [...args.rebuildOn],
        },
        {
          parent: this,
          // Workers start after the master, so that only one `vagrant up` downloads the box and
          // creates the host-only network; the workers then start in parallel.
          dependsOn: node === master ? files : [...files, vms[master.name]],
          replaceOnChanges: ["triggers"],
          deleteBeforeReplace: true,
        },
      );
    }
    this.vms = vms;
    this.endpoints = Object.fromEntries(
      Object.entries(vms).map(([vm, c]) => [vm, c.stdout.apply(parseEndpoint)]),
    );

    this.sshCommands = Object.fromEntries(
      args.nodes.map((n) => [n.name, `cd ${dir} && vagrant ssh ${n.name}`]),
    );

    this.registerOutputs({ nodes: this.nodes, workDir: dir, sshCommands: this.sshCommands });
  }
}
