#!/usr/bin/env bash
# Write standard input to a file on the node, making its folder: pages and small files.
# Environment: TARGET (the file), FILE_MODE (e.g. 0644).
set -euo pipefail
: "${TARGET:?}" "${FILE_MODE:?}"

install -d "$(dirname "$TARGET")"
cat > "$TARGET"
chmod "$FILE_MODE" "$TARGET"
