#!/usr/bin/env bash
# Trust the lab registry's certificate (book 4.4.2). The book copied tls.crt to
# /etc/docker/certs.d/<registry>/ on every node with sshpass. kubelet pulls through containerd now,
# so containerd gets the certificate too (certs.d with hosts.toml).
# Environment: REGISTRY (<address>:<port>), TRUST_DOCKER (yes on the node that runs Docker).
# Standard input: the registry's certificate (PEM).
set -euo pipefail
: "${REGISTRY:?}" "${TRUST_DOCKER:?}"

cert=$(cat)
dir="/etc/containerd/certs.d/$REGISTRY"
install -d "$dir"
printf '%s\n' "$cert" > "$dir/ca.crt"
cat > "$dir/hosts.toml" <<HOSTS
server = "https://$REGISTRY"

[host."https://$REGISTRY"]
  capabilities = ["pull", "resolve", "push"]
  ca = "$dir/ca.crt"
HOSTS
# containerd reads certs.d only when its config names the folder. install_pkg.sh names it; a node
# provisioned before it did is set right here.
empty="^( *)config_path = (''|\"\")\$"
if grep -Eq "$empty" /etc/containerd/config.toml; then
  sed -i -E "s#$empty#\1config_path = '/etc/containerd/certs.d'#" /etc/containerd/config.toml
  systemctl restart containerd
fi
if [ "$TRUST_DOCKER" = yes ]; then
  install -d "/etc/docker/certs.d/$REGISTRY"
  printf '%s\n' "$cert" > "/etc/docker/certs.d/$REGISTRY/ca.crt"
fi
