#!/usr/bin/env bash
# Runs on the master when a worker leaves the stack (fewer workers): its node object goes, as
# `kubectl delete node` would, before its VM is destroyed.
# Environment: NODE_NAME.
set -euo pipefail
: "${NODE_NAME:?}"

KUBECONFIG=/etc/kubernetes/admin.conf kubectl delete node "$NODE_NAME" --ignore-not-found --wait=false
