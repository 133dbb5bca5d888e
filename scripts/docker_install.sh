#!/usr/bin/env bash
# Docker on the master (book 4.2; the 4.3.4 cluster has docker-ce on every node). It shares
# containerd with kubelet; the vagrant user may use it too, as `vagrant ssh m-k8s` readers expect.
# Docker's apt repository was added by install_pkg.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q docker-ce docker-ce-cli docker-buildx-plugin
systemctl enable --now docker
usermod -aG docker vagrant
