#!/usr/bin/env bash
# The NFS server on the master (book 3.4.3); the book assumed nfs-utils in its box and ran
# `systemctl enable --now nfs`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q nfs-kernel-server
systemctl enable --now nfs-server
