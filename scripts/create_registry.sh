#!/usr/bin/env bash
# create-registry.sh (book 4.4.2) steps 1, 2 and 4: the registry's certificate and key into
# CERT_DIR, which the registry container mounts read-only, and its data folder.
# Environment: CERT_DIR (the book's /etc/docker/certs), DATA_DIR (the book's /registry-image).
# Standard input: the certificate, then the key (PEM).
set -euo pipefail
: "${CERT_DIR:?}" "${DATA_DIR:?}"

bundle=$(cat)
install -d "$DATA_DIR"
install -d -m 0755 "$CERT_DIR"
printf '%s\n' "$bundle" | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' > "$CERT_DIR/tls.crt"
(umask 077 && printf '%s\n' "$bundle" | sed -n '/BEGIN .*PRIVATE KEY/,/END .*PRIVATE KEY/p' > "$CERT_DIR/tls.key")
