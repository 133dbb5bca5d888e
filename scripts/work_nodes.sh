#!/usr/bin/env bash
# work_nodes.sh (book 3.1.3): join the cluster, pinned to its CA.
# Environment: NODE_NAME, API_SERVER (<master address>:6443), CA_CERT_HASH (sha256:<hex> of the
# cluster CA's public key), API_WAIT_MINUTES (how long the API server is waited for on a node that
# is joined already), NOT_ANSWERING_MESSAGE (what to tell the reader when it does not answer;
# lines separated by \n).
# Standard input: the join token.
# The book joined without checking the CA (its unsafe skip flag); this join pins it by hash.
set -euo pipefail
: "${NODE_NAME:?}" "${API_SERVER:?}" "${CA_CERT_HASH:?}" "${API_WAIT_MINUTES:?}" \
  "${NOT_ANSWERING_MESSAGE:?}"

read -r token
kubelet_conf=/etc/kubernetes/kubelet.conf

# The CA the kubelet trusts (the one kubeadm join found and pinned), as a pin: sha256 of its
# public key, as --discovery-token-ca-cert-hash gives it.
trusted_ca() {
  sed -n 's/^ *certificate-authority-data: *//p' "$kubelet_conf" | head -n 1 | base64 -d \
    | openssl x509 -noout -pubkey | openssl pkey -pubin -outform der | sha256sum | cut -d ' ' -f 1
}
api() { kubectl --kubeconfig "$kubelet_conf" --request-timeout=5s "$@" >/dev/null 2>&1; }
wait_api() {
  for _ in $(seq 1 "$1"); do
    if api get --raw=/readyz; then return 0; fi
    sleep 5
  done
  return 1
}

# Joined to this cluster: a kubelet that runs, trusting this cluster's CA. Whether its node is still
# there only the API server can say; a slow one is waited for, never taken for a failed join (a
# reset would take the node's pods with it).
if [ -f "$kubelet_conf" ] && [ "sha256:$(trusted_ca 2>/dev/null)" = "$CA_CERT_HASH" ] \
  && systemctl is-active --quiet kubelet; then
  if ! wait_api $((API_WAIT_MINUTES * 12)); then
    printf '%b\n' "$NOT_ANSWERING_MESSAGE" >&2
    exit 1
  fi
  if api get node "$NODE_NAME"; then exit 0; fi
fi
# Not joined, joined half-way (no kubelet), joined to a control plane that was built again (another
# CA), or its node deleted: reset, and join.
kubeadm reset -f
kubeadm join "$API_SERVER" --token "$token" \
  --discovery-token-ca-cert-hash "$CA_CERT_HASH" \
  --node-name "$NODE_NAME"
