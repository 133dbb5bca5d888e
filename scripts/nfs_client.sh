#!/usr/bin/env bash
# NFS client tools on every node, so that kubelet can mount NFS volumes.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q nfs-common
