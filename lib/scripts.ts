/**
 * The node scripts of `scripts/` (the book's `install_pkg.sh`, `config.sh`, `master_node.sh`,
 * `work_nodes.sh`, ... rewritten for Ubuntu, containerd and a current kubeadm) and the values each
 * reads from its environment. The files are what a reader opens next to the book's; shellcheck
 * reads them as they are.
 *
 * Scripts that Vagrant runs get their values from the provisioner's `env:`. Scripts that Pulumi runs
 * over SSH get them as `export` lines before the script's text, not as SSH environment variables
 * (which the nodes' sshd refuses). Secrets (the join token, the CA key) come on standard input, so
 * that none is in a command line or a file of the work folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER } from "./book";
import { LANGUAGES } from "./i18n";
import { type Messages, messages } from "./messages";

/** The folder of the node scripts. */
export const SCRIPTS_DIR = path.join(__dirname, "..", "scripts");

/** The text of a script of `scripts/`, e.g. `master_node.sh` or `ch2/ping_2_nds.sh`. */
export function scriptText(file: string): string {
  return fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8");
}

/** A bash word: single-quoted unless it is plainly safe. */
export function shq(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Values of a script's environment, by variable name. */
export type ScriptEnv = Readonly<Record<string, pulumi.Input<string>>>;

/** The command that runs a script of `scripts/` over SSH with these values. */
export function nodeCommand(file: string, env: ScriptEnv = {}): pulumi.Output<string> {
  const text = scriptText(file);
  return pulumi.all(env).apply((values) => {
    const names = Object.keys(values);
    if (names.length === 0) return text;
    const assignments = names.map((n) => `${n}=${shq(values[n])}`).join(" ");
    return `export ${assignments}\n${text}`;
  });
}

// ---- the lab cluster (book 3.1.3) ----------------------------------------------------------------

/**
 * How long master_node.sh and work_nodes.sh wait for the API server of a cluster that was
 * initialised (or joined) before they stop, resetting nothing: a kubelet brings the control plane's
 * static pods back within minutes after a reboot.
 */
export const API_WAIT_MINUTES = 10;

/**
 * What a node script prints when it must stop, in every language at once: the script's text is an
 * input of its resource, which must not change with the reader's locale. One line per language,
 * separated by `\n` as two characters (the script prints it with `printf '%b'`), so that the
 * script's `export` line stays one line.
 */
function nodeMessage(text: (m: Messages) => string): string {
  return LANGUAGES.map((lang) => text(messages(lang)).replaceAll("\\", "\\\\")).join("\\n");
}

/** What `master_node.sh` reads. */
export interface ControlPlaneParams {
  readonly nodeName: string;
  readonly advertiseAddress: string;
  /** Further names of the API server's certificate (the address of Vagrant's forwarded port). */
  readonly extraSans: readonly string[];
  readonly podCidr: string;
  readonly kubernetesVersion: string;
  readonly calicoVersion: string;
  /** The host-only network, for Calico's address detection, e.g. `192.168.56.0/24`. */
  readonly nodeCidr: string;
}

/** `master_node.sh`: kubeadm init and Calico. Standard input: token, CA certificate and key. */
export function controlPlane(p: ControlPlaneParams): pulumi.Output<string> {
  return nodeCommand("master_node.sh", {
    NODE_NAME: p.nodeName,
    ADVERTISE_ADDRESS: p.advertiseAddress,
    API_EXTRA_SANS: p.extraSans.join(","),
    POD_CIDR: p.podCidr,
    K8S_VERSION: p.kubernetesVersion,
    CALICO_VERSION: p.calicoVersion,
    NODE_CIDR: p.nodeCidr,
    API_WAIT_MINUTES: String(API_WAIT_MINUTES),
    NOT_ANSWERING_MESSAGE: nodeMessage((m) =>
      m.controlPlaneNotAnswering(p.nodeName, API_WAIT_MINUTES),
    ),
  });
}

/** What `work_nodes.sh` reads. */
export interface JoinParams {
  readonly nodeName: string;
  /** `<master address>:6443`. */
  readonly apiServer: string;
  /** `sha256:<hex>` of the cluster CA's public key. */
  readonly caCertHash: pulumi.Input<string>;
}

/** `work_nodes.sh`: kubeadm join pinned to the CA. Standard input: the join token. */
export function join(p: JoinParams): pulumi.Output<string> {
  return nodeCommand("work_nodes.sh", {
    NODE_NAME: p.nodeName,
    API_SERVER: p.apiServer,
    CA_CERT_HASH: p.caCertHash,
    API_WAIT_MINUTES: String(API_WAIT_MINUTES),
    NOT_ANSWERING_MESSAGE: nodeMessage((m) =>
      m.workerApiNotAnswering(p.nodeName, p.apiServer, CLUSTER.master, API_WAIT_MINUTES),
    ),
  });
}

/** Undoes a join on a worker. */
export const resetNode = () => nodeCommand("reset_node.sh");

/** Removes a worker's node object, on the master. */
export const forgetNode = (nodeName: string) =>
  nodeCommand("forget_node.sh", { NODE_NAME: nodeName });

/** The book's `config.sh` step 7: every node's name in /etc/hosts. */
export function hostsFile(nodes: readonly { name: string; ip: string }[]): pulumi.Output<string> {
  return nodeCommand("hosts.sh", { NODES: nodes.map((n) => `${n.ip} ${n.name}`).join("\n") });
}

/** The book's repository, cloned on the master by `install_pkg.sh`. */
export const BOOK_REPOSITORY = CLUSTER.bookRepository;

// ---- NFS (book 3.4.3, 5.3.1 nfs-exporter.sh) -------------------------------------------------------

export const nfsServerInstall = () => nodeCommand("nfs_server.sh");
export const nfsClientInstall = () => nodeCommand("nfs_client.sh");

/** The file in /etc/exports.d that holds one export. */
export function exportsFile(exportPath: string): string {
  return `/etc/exports.d/k8sinfra-lab${exportPath.replace(/[^A-Za-z0-9]+/g, "-")}.exports`;
}

/** What one exported folder needs. */
export interface NfsExportParams {
  readonly path: string;
  /** Who may mount it, e.g. `192.168.56.0/24`. */
  readonly network: string;
  readonly options: string;
  /** `uid:gid` owning the folder (the book's `chown 1000:1000` for Jenkins and Prometheus). */
  readonly owner?: string;
}

/** `nfs-exporter.sh <dir>`, safe to run again. */
export function nfsExport(p: NfsExportParams): pulumi.Output<string> {
  return nodeCommand("nfs_exporter.sh", {
    EXPORT_PATH: p.path,
    EXPORT_NETWORK: p.network,
    EXPORT_OPTIONS: p.options,
    EXPORT_OWNER: p.owner ?? "",
    EXPORT_FILE: exportsFile(p.path),
  });
}

/** Undoes one export and removes its folder. */
export function nfsUnexport(exportPath: string): pulumi.Output<string> {
  return nodeCommand("nfs_unexport.sh", {
    EXPORT_PATH: exportPath,
    EXPORT_FILE: exportsFile(exportPath),
  });
}

// ---- Docker and the private registry (book 4.2-4.4) -------------------------------------------------

export const dockerInstall = () => nodeCommand("docker_install.sh");

/** Writes standard input to a file on the node. */
export const writeFile = (target: string, mode = "0644") =>
  nodeCommand("write_file.sh", { TARGET: target, FILE_MODE: mode });

/** Removes a file `writeFile` wrote. */
export const removeFile = (target: string) => nodeCommand("remove_file.sh", { TARGET: target });

/** Removes a folder the lab copied to the node, with its files. */
export const removeFolder = (target: string) =>
  nodeCommand("remove_folder.sh", { TARGET_DIR: target });

/** `create-registry.sh`: certificate and key (standard input) and the data folder. */
export const registryCertificate = (certDir: string, dataDir: string) =>
  nodeCommand("create_registry.sh", { CERT_DIR: certDir, DATA_DIR: dataDir });

/** Undoes `registryCertificate`. */
export const removeRegistry = (certDir: string, dataDir: string) =>
  nodeCommand("remove_registry.sh", { CERT_DIR: certDir, DATA_DIR: dataDir });

/** What trusting the registry on one node needs. */
export interface TrustParams {
  /** `<address>:<port>` of the registry. */
  readonly registry: string;
  /** Also make Docker trust it (on the node that runs Docker). */
  readonly docker: boolean;
}

/** The registry's certificate (standard input) trusted by containerd, and Docker where it runs. */
export const trustRegistry = (p: TrustParams) =>
  nodeCommand("trust_registry.sh", { REGISTRY: p.registry, TRUST_DOCKER: p.docker ? "yes" : "no" });

export const untrustRegistry = (registry: string) =>
  nodeCommand("untrust_registry.sh", { REGISTRY: registry });

/** `build-in-host.sh` of 4.3.2 on the master. */
export const buildInHost = (sourceDir: string) =>
  nodeCommand("build_in_host.sh", { SOURCE_DIR: sourceDir });

/** `docker build` of one image under its content tag, also tagged with the book's name. */
export const dockerBuild = (
  sourceDir: string,
  image: string,
  bookName: string,
  dockerfile: string,
) =>
  nodeCommand("docker_build.sh", {
    SOURCE_DIR: sourceDir,
    IMAGE: image,
    BOOK_NAME: bookName,
    DOCKERFILE: dockerfile,
  });

/** `docker rmi` of a built image (and of the book's name when it still names it). */
export const dockerRemoveImage = (image: string, bookName: string) =>
  nodeCommand("docker_rmi.sh", { IMAGE: image, BOOK_NAME: bookName });

/** `docker tag` and `docker push` under the content tag and the bare name. */
export const dockerPush = (image: string, target: string, latest: string) =>
  nodeCommand("docker_push.sh", { IMAGE: image, TARGET: target, LATEST: latest });

/** 4.4.1 success1: the image in one node's containerd only. */
export const imageOnNode = (source: string, localName: string) =>
  nodeCommand("image_on_node.sh", { SOURCE: source, LOCAL_NAME: localName });

/** Undoes `imageOnNode`. */
export const imageOffNode = (source: string, localName: string) =>
  nodeCommand("image_off_node.sh", { SOURCE: source, LOCAL_NAME: localName });
