#!/usr/bin/env bash
# Remove a folder the lab copied to the node (an app's source), with its files.
# Environment: TARGET_DIR.
set -euo pipefail
: "${TARGET_DIR:?}"

rm -rf "$TARGET_DIR"
