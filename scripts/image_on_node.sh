#!/usr/bin/env bash
# 4.4.1 success1: an image in this node's containerd only. The book ran `docker build` on w3-k8s;
# containerd nodes have no Docker, so the node pulls it from the lab registry under the bare name
# kubelet asks for (`multistage-img` is `docker.io/library/multistage-img:latest`).
# Environment: SOURCE (the image in the lab registry), LOCAL_NAME.
set -euo pipefail
: "${SOURCE:?}" "${LOCAL_NAME:?}"

ctr -n k8s.io images pull --hosts-dir /etc/containerd/certs.d "$SOURCE"
ctr -n k8s.io images tag --force "$SOURCE" "$LOCAL_NAME"
