#!/usr/bin/env bash
# work_nodes.sh (book 3.1.3): join the cluster, pinned to its CA.
# Environment: NODE_NAME, API_SERVER (<master address>:6443), CA_CERT_HASH (sha256:<hex> of the
# cluster CA's public key). Standard input: the join token.
# The book joined without checking the CA (its unsafe skip flag); this join pins it by hash.
set -euo pipefail
: "${NODE_NAME:?}" "${API_SERVER:?}" "${CA_CERT_HASH:?}"

read -r token
kubelet_conf=/etc/kubernetes/kubelet.conf

# Done means a kubelet that runs and is this cluster's node, not a file that exists; a join that
# failed half-way (or one to a control plane that was built again) is reset and done again.
joined() {
  [ -f "$kubelet_conf" ] && systemctl is-active --quiet kubelet \
    && kubectl --kubeconfig "$kubelet_conf" get node "$NODE_NAME" >/dev/null 2>&1
}
if ! joined; then
  kubeadm reset -f
  kubeadm join "$API_SERVER" --token "$token" \
    --discovery-token-ca-cert-hash "$CA_CERT_HASH" \
    --node-name "$NODE_NAME"
fi
