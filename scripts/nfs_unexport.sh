#!/usr/bin/env bash
# Stop exporting a folder over NFS and remove it with its files: the chapter that made it is reset.
# Environment: EXPORT_PATH, EXPORT_FILE.
set -euo pipefail
: "${EXPORT_PATH:?}" "${EXPORT_FILE:?}"

rm -f "$EXPORT_FILE"
exportfs -ra
rm -rf "$EXPORT_PATH"
