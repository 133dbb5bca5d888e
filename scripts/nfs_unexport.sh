#!/usr/bin/env bash
# Stop exporting a folder over NFS and remove it with its files: the chapter that made it is reset.
# Chapters share the lab cluster's NFS server, and one chapter's export may hold another's (ch3's
# /nfs_shared holds ch5's /nfs_shared/jenkins and ch6's folders): what any other export of the
# machine still serves stays, with the folders that lead to it.
# Environment: EXPORT_PATH, EXPORT_FILE.
set -euo pipefail
: "${EXPORT_PATH:?}" "${EXPORT_FILE:?}"

rm -f "$EXPORT_FILE"
exportfs -ra

# Every folder still exported: /etc/exports and the files beside EXPORT_FILE (first field of a line).
kept=()
for file in /etc/exports "$(dirname "$EXPORT_FILE")"/*.exports; do
  [ -f "$file" ] || continue
  while read -r folder _; do
    case "$folder" in /*) kept+=("${folder%/}") ;; esac
  done <"$file"
done

# 0 when the entry is a kept folder or lies on the way to one.
leads_to_kept() {
  local k
  for k in "${kept[@]}"; do
    [ "$k" = "$1" ] && return 0
    case "$k" in "$1"/*) return 0 ;; esac
  done
  return 1
}
is_kept() {
  local k
  for k in "${kept[@]}"; do [ "$k" = "$1" ] && return 0; done
  return 1
}
prune() {
  local entry
  for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    if leads_to_kept "$entry"; then
      is_kept "$entry" || prune "$entry"
    else
      rm -rf "$entry"
    fi
  done
}

if [ ! -d "$EXPORT_PATH" ] || is_kept "$EXPORT_PATH"; then
  exit 0
elif [ "${#kept[@]}" -gt 0 ] && leads_to_kept "$EXPORT_PATH"; then
  prune "$EXPORT_PATH"
else
  rm -rf "$EXPORT_PATH"
fi
