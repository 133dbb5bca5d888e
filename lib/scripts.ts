/**
 * Provisioning scripts: the book's `install_pkg.sh`, `ping_2_nds.sh`, `config.sh`,
 * `master_node.sh` and `work_nodes.sh`, rewritten for Ubuntu, containerd and a current kubeadm.
 * Pure functions returning bash; the tests run shellcheck on every one of them.
 *
 * Scripts that Vagrant runs get their per-VM values as arguments, so their text is the same for
 * every VM. Scripts that Pulumi runs over SSH have their values written in, and read secrets
 * (the join token, the CA key) from standard input so that no secret is in a command line or a file
 * of the work folder.
 */
import { CLUSTER } from "./book";

/** A bash word: single-quoted unless it is plainly safe. */
export function shq(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const header = (title: string, why: string[]) =>
  [
    "#!/usr/bin/env bash",
    `# ${title}`,
    ...why.map((l) => `# ${l}`),
    "set -euo pipefail",
    "export DEBIAN_FRONTEND=noninteractive",
    "",
  ].join("\n");

// ---- chapter 2 ---------------------------------------------------------------------------------

/** 2.2.2 `install_pkg.sh`: the book installs EPEL and vim-enhanced with yum. */
export function ch2InstallPkg(): string {
  return `${header("install_pkg.sh (book 2.2.2): an editor on every VM.", [
    "The book adds EPEL and vim-enhanced with yum; Ubuntu's vim comes from its own archive.",
  ])}apt-get update -q
apt-get install -y -q vim
`;
}

/**
 * 2.2.3 `ping_2_nds.sh`: ping every worker three times. The book lists 192.168.1.101-103; this one
 * walks w1, w2, ... until one does not answer, so it stays the same when workers are added.
 */
export function ch2PingNodes(prefix: string): string {
  return `#!/usr/bin/env bash
# ping_2_nds.sh (book 2.2.3): ping ${CLUSTER.pingCount} times per node, w1-k8s, w2-k8s, ... in order.
prefix=${shq(prefix)}
i=1
while ping -c 1 -W 1 "$prefix.$((100 + i))" >/dev/null 2>&1; do
  ping -c ${CLUSTER.pingCount} "$prefix.$((100 + i))"
  i=$((i + 1))
done
`;
}

/** 2.2.3 `config.sh`: make the copied `ping_2_nds.sh` executable. */
export function ch2Config(): string {
  return `${header("config.sh (book 2.2.3): modify permission of the copied ping_2_nds.sh.", [
    "The file provisioner copies it to the vagrant user's home.",
  ])}chmod 744 /home/vagrant/ping_2_nds.sh
`;
}

// ---- Kubernetes nodes (book 3.1.3) -------------------------------------------------------------

/**
 * `config.sh` of 3.1.3 for every node; argument 1 is the stack's SSH public key for root.
 * Kept from the book: `alias vi=vim`, swap off, bridge netfilter sysctls. Changed: the CentOS mirror,
 * SELinux and resolv.conf steps do not apply to Ubuntu; containerd also needs `overlay` and IP
 * forwarding; root logs in with the stack's key only (the book used root/vagrant passwords).
 */
export function nodeConfig(): string {
  return `${header("config.sh (book 3.1.3): prepare a node for kubeadm.", [
    "Argument 1: the SSH public key that may log in as root.",
  ])}root_key=\${1:?usage: config.sh <ssh-public-key>}

grep -qx 'alias vi=vim' /etc/profile || echo 'alias vi=vim' >> /etc/profile

# kubelet refuses to run with swap on.
swapoff -a
sed -i.bak -E '/\\sswap\\s/ s/^([^#])/#\\1/' /etc/fstab

cat > /etc/modules-load.d/k8s.conf <<'EOF'
overlay
br_netfilter
EOF
modprobe overlay
modprobe br_netfilter
cat > /etc/sysctl.d/k8s.conf <<'EOF'
net.bridge.bridge-nf-call-ip6tables = 1
net.bridge.bridge-nf-call-iptables = 1
net.ipv4.ip_forward = 1
EOF
sysctl --system >/dev/null

# Key-based root login only; password logins are switched off.
install -d -m 700 /root/.ssh
touch /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
grep -qxF "$root_key" /root/.ssh/authorized_keys || echo "$root_key" >> /root/.ssh/authorized_keys
cat > /etc/ssh/sshd_config.d/10-k8sinfra-lab.conf <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
EOF
# Ubuntu 24.04 may start sshd on demand; apply now if it runs, else at its next start.
systemctl try-reload-or-restart ssh
`;
}

/**
 * `install_pkg.sh` of 3.1.3: containerd and kubeadm/kubelet/kubectl at the pinned version.
 * Arguments: the Kubernetes package version (1.36.0-1.1), this node's host-only address, and `Main` on the master,
 * which also clones the book's repository as the book does.
 */
export function nodeInstallPkg(): string {
  return `${header("install_pkg.sh (book 3.1.3): container runtime and Kubernetes packages.", [
    "Arguments: <kubernetes package version, e.g. 1.36.0-1.1> <node address> [Main]",
    "The book installed Docker 1.13 and kubeadm 1.18.4 RPMs; those repositories are gone. Here",
    "containerd comes from Docker's apt repository and the Kubernetes packages from pkgs.k8s.io.",
  ])}package_version=\${1:?usage: install_pkg.sh <package version> <node address> [Main]}
node_ip=\${2:?usage: install_pkg.sh <package version> <node address> [Main]}
role=\${3:-}
minor=$(echo "$package_version" | cut -d. -f1,2)

apt-get update -q
apt-get install -y -q ca-certificates curl gpg git vim
install -d -m 0755 /etc/apt/keyrings

# containerd from Docker's repository
codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu $codename stable" \\
  > /etc/apt/sources.list.d/docker.list

# kubeadm, kubelet, kubectl from the Kubernetes project's repository for this minor release
curl -fsSL "https://pkgs.k8s.io/core:/stable:/v$minor/deb/Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v$minor/deb/ /" \\
  > /etc/apt/sources.list.d/kubernetes.list

apt-get update -q
apt-get install -y -q --allow-change-held-packages containerd.io \\
  "kubelet=$package_version" "kubeadm=$package_version" "kubectl=$package_version"
apt-mark hold kubelet kubeadm kubectl >/dev/null

# kubelet expects the systemd cgroup driver; Docker's containerd ships with CRI switched off.
install -d -m 0755 /etc/containerd
containerd config default > /etc/containerd/config.toml
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
systemctl restart containerd
systemctl enable containerd >/dev/null

# Without this kubelet registers the NAT address 10.0.2.15, which every VM shares.
echo "KUBELET_EXTRA_ARGS=--node-ip=$node_ip" > /etc/default/kubelet
systemctl enable --now kubelet

if [ "$role" = "Main" ] && [ ! -d /root/_Book_k8sInfra ]; then
  git clone -q ${CLUSTER.bookRepository} /root/_Book_k8sInfra || echo "could not clone the book's repository; continuing"
fi
`;
}

/** What the control-plane script needs to know. */
export interface ControlPlaneParams {
  readonly nodeName: string;
  readonly advertiseAddress: string;
  readonly podCidr: string;
  readonly kubernetesVersion: string;
  readonly calicoVersion: string;
  /** The host-only network, for Calico's address detection, e.g. `192.168.56.0/24`. */
  readonly nodeCidr: string;
}

/**
 * `master_node.sh` of 3.1.3: `kubeadm init` and the pod network. Standard input: the join token on
 * the first line, then the cluster CA's certificate and key (PEM), which kubeadm uses instead of
 * making its own so that the stack knows the CA hash the workers pin.
 */
export function controlPlane(p: ControlPlaneParams): string {
  return `${header("master_node.sh (book 3.1.3): kubeadm init and Calico.", [
    "Standard input: the join token, then the cluster CA certificate and key (PEM).",
  ])}node_name=${shq(p.nodeName)}
advertise_address=${shq(p.advertiseAddress)}
pod_cidr=${shq(p.podCidr)}
kubernetes_version=${shq(p.kubernetesVersion)}
calico_version=${shq(p.calicoVersion)}
node_cidr=${shq(p.nodeCidr)}

read -r token
bundle=$(cat)

if [ ! -f /etc/kubernetes/admin.conf ]; then
  install -d -m 0755 /etc/kubernetes/pki
  printf '%s\\n' "$bundle" | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' > /etc/kubernetes/pki/ca.crt
  (umask 077 && printf '%s\\n' "$bundle" | sed -n '/BEGIN .*PRIVATE KEY/,/END .*PRIVATE KEY/p' > /etc/kubernetes/pki/ca.key)
  # The book fixed the token in its scripts; here it is generated per stack.
  # It does not expire, so that a worker added later (3.4.1, w4-k8s) can still join.
  kubeadm init --token "$token" --token-ttl 0 \\
    --pod-network-cidr="$pod_cidr" \\
    --apiserver-advertise-address="$advertise_address" \\
    --kubernetes-version="v$kubernetes_version" \\
    --node-name="$node_name"
fi
install -d -m 0700 /root/.kube
cp /etc/kubernetes/admin.conf /root/.kube/config
export KUBECONFIG=/etc/kubernetes/admin.conf

# Calico with the book's pod CIDR (IP-in-IP, as the book's manifest). It must pick the host-only
# interface: the first one found is the NAT interface, whose address every VM shares.
curl -fsSL "https://raw.githubusercontent.com/projectcalico/calico/v$calico_version/manifests/calico.yaml" \\
  | sed -e 's|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|' \\
        -e "s|#   value: \\"192.168.0.0/16\\"|  value: \\"$pod_cidr\\"|" \\
  | kubectl apply --server-side --force-conflicts -f -
kubectl -n kube-system set env daemonset/calico-node "IP_AUTODETECTION_METHOD=cidr=$node_cidr"
kubectl -n kube-system rollout status daemonset/calico-node --timeout=15m
kubectl wait --for=condition=Ready "node/$node_name" --timeout=10m
`;
}

/** What a worker's join script needs to know. */
export interface JoinParams {
  readonly nodeName: string;
  /** `<master address>:6443`. */
  readonly apiServer: string;
  /** `sha256:<hex>` of the cluster CA's public key. */
  readonly caCertHash: string;
}

/**
 * `work_nodes.sh` of 3.1.3: `kubeadm join`. Standard input: the join token. The book skipped CA
 * verification (`--discovery-token-unsafe-skip-ca-verification`); this join pins the CA by hash.
 */
export function join(p: JoinParams): string {
  return `${header("work_nodes.sh (book 3.1.3): join the cluster, pinned to its CA.", [
    "Standard input: the join token.",
  ])}node_name=${shq(p.nodeName)}
api_server=${shq(p.apiServer)}
ca_cert_hash=${shq(p.caCertHash)}

read -r token
if [ ! -f /etc/kubernetes/kubelet.conf ]; then
  kubeadm join "$api_server" --token "$token" \\
    --discovery-token-ca-cert-hash "$ca_cert_hash" \\
    --node-name "$node_name"
fi
`;
}

/** Undoes a join on the worker, so that it can join again (a rebuilt control plane). */
export function resetNode(): string {
  return `${header("Undo kubeadm join on this worker.", [])}kubeadm reset -f
`;
}

/**
 * Runs on the master when a worker is removed from the stack (fewer workers): the node object goes,
 * as `kubectl delete node` would, before its VM is destroyed.
 */
export function forgetNode(nodeName: string): string {
  return `${header("Remove a worker from the cluster before its VM is destroyed.", [])}node_name=${shq(nodeName)}
KUBECONFIG=/etc/kubernetes/admin.conf kubectl delete node "$node_name" --ignore-not-found --wait=false
`;
}

/** The book's `config.sh` step 7: every node's name in /etc/hosts, kept in one marked block. */
export function hostsFile(nodes: readonly { name: string; ip: string }[]): string {
  const lines = nodes.map((n) => `${n.ip} ${n.name}`).join("\\n");
  return `${header("config.sh step 7 (book 3.1.3): the cluster's nodes in /etc/hosts.", [
    "Rewritten whenever a node is added or removed.",
  ])}entries=$(printf '${lines}')
begin='# BEGIN k8sinfra-lab nodes'
end='# END k8sinfra-lab nodes'
sed -i "/^$begin$/,/^$end$/d" /etc/hosts
printf '%s\\n%s\\n%s\\n' "$begin" "$entries" "$end" >> /etc/hosts
`;
}

// ---- NFS (book 3.4.3, 5.3.1 nfs-exporter.sh) ---------------------------------------------------

/** The NFS server on the master; the book assumed nfs-utils in its box and ran `systemctl enable --now nfs`. */
export function nfsServerInstall(): string {
  return `${header("The NFS server on the master (book 3.4.3).", [])}apt-get update -q
apt-get install -y -q nfs-kernel-server
systemctl enable --now nfs-server
`;
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

/** The file in /etc/exports.d that holds one export; one file per folder keeps each idempotent. */
export function exportsFile(path: string): string {
  return `/etc/exports.d/k8sinfra-lab${path.replace(/[^A-Za-z0-9]+/g, "-")}.exports`;
}

/**
 * One exported folder (the book's `/etc/exports` line, or `nfs-exporter.sh <dir>`): safe to run again,
 * unlike the book's preconfig scripts, which stop when the folder exists.
 */
export function nfsExport(p: NfsExportParams): string {
  return `${header(`Export ${p.path} over NFS (book 3.4.3).`, [])}path=${shq(p.path)}
line=${shq(`${p.path} ${p.network}(${p.options})`)}
mkdir -p "$path"
${p.owner ? `chown ${shq(p.owner)} "$path"\n` : ""}install -d /etc/exports.d
printf '%s\\n' "$line" > ${shq(exportsFile(p.path))}
exportfs -ra
`;
}

/** Undoes one export; the folder and its files stay, as data the reader may want. */
export function nfsUnexport(path: string): string {
  return `${header("Stop exporting a folder over NFS.", [])}rm -f ${shq(exportsFile(path))}
exportfs -ra
`;
}

/** What every node needs to mount NFS volumes (kubelet mounts them on the node). */
export function nfsClientInstall(): string {
  return `${header("NFS client tools, so that kubelet can mount NFS volumes.", [])}apt-get update -q
apt-get install -y -q nfs-common
`;
}

// ---- Docker and the private registry (book 4.2-4.4) -----------------------------------------------

/**
 * Docker on the master (the book's 4.3.4 cluster has docker-ce on every node). It shares containerd
 * with kubelet; the `vagrant` user may use it too, as `vagrant ssh m-k8s` readers expect.
 */
export function dockerInstall(): string {
  return `${header("Docker on the master (book 4.2, 4.3.4 install_pkg.sh).", [
    "Docker's apt repository was added by install_pkg.sh.",
  ])}apt-get update -q
apt-get install -y -q docker-ce docker-ce-cli docker-buildx-plugin
systemctl enable --now docker
usermod -aG docker vagrant
`;
}

/** Writes standard input to a file on the node, creating its folder; for pages and small files. */
export function writeFile(path: string, mode = "0644"): string {
  return `${header(`Write ${path}.`, ["Standard input: the file's content."])}target=${shq(path)}
install -d "$(dirname "$target")"
cat > "$target"
chmod ${mode} "$target"
`;
}

/**
 * `create-registry.sh` steps 1, 2 and 4: the certificate and key into /etc/docker/certs, for the
 * registry container to mount read-only. Standard input: the certificate, then the key (PEM).
 */
export function registryCertificate(certDir: string, dataDir: string): string {
  return `${header(
    "create-registry.sh (book 4.4.2): the registry's certificate, key and data folder.",
    ["Standard input: the certificate, then the key (PEM)."],
  )}cert_dir=${shq(certDir)}
data_dir=${shq(dataDir)}
bundle=$(cat)
install -d "$data_dir"
install -d -m 0755 "$cert_dir"
printf '%s\\n' "$bundle" | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' > "$cert_dir/tls.crt"
(umask 077 && printf '%s\\n' "$bundle" | sed -n '/BEGIN .*PRIVATE KEY/,/END .*PRIVATE KEY/p' > "$cert_dir/tls.key")
`;
}

/** What trusting the registry on one node needs. */
export interface TrustParams {
  /** `<address>:<port>` of the registry. */
  readonly registry: string;
  /** Also make Docker trust it (on the node that runs Docker). */
  readonly docker: boolean;
}

/**
 * The book copied tls.crt to /etc/docker/certs.d/<registry>/ on every node with sshpass. kubelet
 * pulls through containerd now, so containerd gets the certificate too (certs.d with hosts.toml).
 * Standard input: the certificate (PEM).
 */
export function trustRegistry(p: TrustParams): string {
  const docker = p.docker
    ? `install -d "/etc/docker/certs.d/$registry"
printf '%s\\n' "$cert" > "/etc/docker/certs.d/$registry/ca.crt"
`
    : "";
  return `${header("Trust the lab registry's certificate (book 4.4.2).", [
    "Standard input: the registry's certificate (PEM).",
  ])}registry=${shq(p.registry)}
cert=$(cat)

dir="/etc/containerd/certs.d/$registry"
install -d "$dir"
printf '%s\\n' "$cert" > "$dir/ca.crt"
cat > "$dir/hosts.toml" <<HOSTS
server = "https://$registry"

[host."https://$registry"]
  capabilities = ["pull", "resolve", "push"]
  ca = "$dir/ca.crt"
HOSTS
# containerd reads certs.d only when its config names the folder.
if grep -Eq "config_path = (''|\\"\\")" /etc/containerd/config.toml; then
  sed -i -E "s#config_path = (''|\\"\\")#config_path = '/etc/containerd/certs.d'#" /etc/containerd/config.toml
  systemctl restart containerd
fi
${docker}`;
}

/** Undoes `trustRegistry` on one node. */
export function untrustRegistry(registry: string): string {
  return `${header("Forget the lab registry's certificate.", [])}registry=${shq(registry)}
rm -rf "/etc/containerd/certs.d/$registry" "/etc/docker/certs.d/$registry"
`;
}

/** `build-in-host.sh` of 4.3.2 on the master: a JDK there, then the jar, as the book's `./mvnw clean package`. */
export function buildInHost(sourceDir: string): string {
  return `${header("Build the echo-ip jar on the master (book 4.3.1/4.3.2).", [
    "The book installed java-1.8.0-openjdk-devel and ran ./mvnw clean package.",
  ])}src=${shq(sourceDir)}
command -v javac >/dev/null || { apt-get update -q && apt-get install -y -q openjdk-21-jdk-headless; }
"$src/build-in-host.sh"
`;
}

/** `docker build -t <tag> -f <Dockerfile> .` in the copied source folder. */
export function dockerBuild(sourceDir: string, tag: string, dockerfile: string): string {
  return `${header(`docker build -t ${tag} (book 4.3).`, [])}cd ${shq(sourceDir)}
docker build -t ${shq(tag)} -f ${shq(dockerfile)} .
`;
}

/** `docker rmi` of a built image, on destroy. */
export function dockerRemoveImage(tag: string): string {
  return `${header(`docker rmi ${tag}.`, [])}docker rmi -f ${shq(tag)} || true
`;
}

/** 4.4.2: `docker tag` and `docker push` to the lab registry. */
export function dockerPush(tag: string, target: string): string {
  return `${header(`docker tag ${tag} ${target}; docker push (book 4.4.2).`, [])}docker tag ${shq(tag)} ${shq(target)}
docker push ${shq(target)}
`;
}

/**
 * 4.4.1 success1: the image on one worker only. The book ran `docker build` on w3-k8s; containerd
 * nodes have no Docker, so the node pulls it from the lab registry under the bare name kubelet asks
 * for (`multistage-img` is `docker.io/library/multistage-img:latest`).
 */
export function imageOnNode(source: string, localName: string): string {
  return `${header("Put an image into this node's containerd only (book 4.4.1 success1).", [])}source=${shq(source)}
local_name=${shq(localName)}
ctr -n k8s.io images pull --hosts-dir /etc/containerd/certs.d "$source"
ctr -n k8s.io images tag --force "$source" "$local_name"
`;
}
