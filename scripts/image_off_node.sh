#!/usr/bin/env bash
# Undo image_on_node.sh: both names of the image leave this node's containerd.
# Environment: SOURCE, LOCAL_NAME.
set -euo pipefail
: "${SOURCE:?}" "${LOCAL_NAME:?}"

ctr -n k8s.io images rm "$LOCAL_NAME" "$SOURCE" || true
