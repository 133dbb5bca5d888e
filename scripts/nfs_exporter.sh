#!/usr/bin/env bash
# Export one folder over NFS (book 3.4.3 /etc/exports, 5.3.1 nfs-exporter.sh): safe to run again,
# unlike the book's preconfig scripts, which stop when the folder exists. One file per folder in
# /etc/exports.d keeps each export on its own.
# Environment: EXPORT_PATH, EXPORT_NETWORK (who may mount, e.g. 192.168.56.0/24), EXPORT_OPTIONS
# (the book's rw,sync,no_root_squash), EXPORT_OWNER (uid:gid of the folder, may be empty),
# EXPORT_FILE (its file in /etc/exports.d).
set -euo pipefail
: "${EXPORT_PATH:?}" "${EXPORT_NETWORK:?}" "${EXPORT_OPTIONS:?}" "${EXPORT_FILE:?}"

mkdir -p "$EXPORT_PATH"
if [ -n "${EXPORT_OWNER:-}" ]; then chown "$EXPORT_OWNER" "$EXPORT_PATH"; fi
install -d /etc/exports.d
printf '%s %s(%s)\n' "$EXPORT_PATH" "$EXPORT_NETWORK" "$EXPORT_OPTIONS" > "$EXPORT_FILE"
exportfs -ra
