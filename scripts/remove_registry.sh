#!/usr/bin/env bash
# Undo create_registry.sh: the certificate, the key and the pushed images go with the chapter.
# Environment: CERT_DIR, DATA_DIR.
set -euo pipefail
: "${CERT_DIR:?}" "${DATA_DIR:?}"

rm -f "$CERT_DIR/tls.crt" "$CERT_DIR/tls.key"
rmdir --ignore-fail-on-non-empty "$CERT_DIR"
rm -rf "$DATA_DIR"
