#!/usr/bin/env bash
# Remove a file the lab wrote on the node, and its folder when that is left empty.
# Environment: TARGET.
set -euo pipefail
: "${TARGET:?}"

rm -f "$TARGET"
rmdir --ignore-fail-on-non-empty "$(dirname "$TARGET")"
