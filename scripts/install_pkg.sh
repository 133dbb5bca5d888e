#!/usr/bin/env bash
# install_pkg.sh (book 3.1.3): container runtime and Kubernetes packages. Vagrant runs it on every
# node after config.sh.
# Environment: K8S_PACKAGE_VERSION (e.g. 1.36.0-1.1), NODE_IP (this node's host-only address),
# NODE_ROLE (`Main` on the master, which also clones the book's repository as the book does),
# BOOK_REPOSITORY.
# The book installed Docker 1.13 and kubeadm 1.18.4 RPMs; those repositories are gone. Here
# containerd comes from Docker's apt repository and the Kubernetes packages from pkgs.k8s.io.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
: "${K8S_PACKAGE_VERSION:?}" "${NODE_IP:?}" "${BOOK_REPOSITORY:?}"
minor=$(echo "$K8S_PACKAGE_VERSION" | cut -d. -f1,2)

apt-get update -q
apt-get install -y -q ca-certificates curl gpg git vim openssl
install -d -m 0755 /etc/apt/keyrings

# containerd from Docker's repository
codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu $codename stable" \
  > /etc/apt/sources.list.d/docker.list

# kubeadm, kubelet, kubectl from the Kubernetes project's repository for this minor release
curl -fsSL "https://pkgs.k8s.io/core:/stable:/v$minor/deb/Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v$minor/deb/ /" \
  > /etc/apt/sources.list.d/kubernetes.list

apt-get update -q
apt-get install -y -q --allow-change-held-packages containerd.io \
  "kubelet=$K8S_PACKAGE_VERSION" "kubeadm=$K8S_PACKAGE_VERSION" "kubectl=$K8S_PACKAGE_VERSION"
apt-mark hold kubelet kubeadm kubectl >/dev/null

# kubelet expects the systemd cgroup driver; Docker's containerd ships with CRI switched off.
# Registries are configured in /etc/containerd/certs.d/<registry>/hosts.toml (the lab registry's
# trust, trust_registry.sh). The default config leaves that folder empty, and containerd 2.2's pull
# for kubelet then finds no hosts.toml: the lab registry's certificate is unknown (x509). Named
# here, it stays named when a resized VM is provisioned again, which writes this file anew.
install -d -m 0755 /etc/containerd
containerd config default > /etc/containerd/config.toml
sed -i -E -e 's/SystemdCgroup = false/SystemdCgroup = true/' \
  -e "s#^( *)config_path = (''|\"\")\$#\1config_path = '/etc/containerd/certs.d'#" /etc/containerd/config.toml
systemctl restart containerd
systemctl enable containerd >/dev/null

# Without this kubelet registers the NAT address 10.0.2.15, which every VM shares.
echo "KUBELET_EXTRA_ARGS=--node-ip=$NODE_IP" > /etc/default/kubelet
systemctl enable --now kubelet

if [ "${NODE_ROLE:-}" = "Main" ] && [ ! -d /root/_Book_k8sInfra ]; then
  git clone -q "$BOOK_REPOSITORY" /root/_Book_k8sInfra || echo "could not clone the book's repository; continuing"
fi
