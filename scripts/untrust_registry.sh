#!/usr/bin/env bash
# Forget the lab registry's certificate on this node.
# Environment: REGISTRY.
set -euo pipefail
: "${REGISTRY:?}"

rm -rf "/etc/containerd/certs.d/$REGISTRY" "/etc/docker/certs.d/$REGISTRY"
