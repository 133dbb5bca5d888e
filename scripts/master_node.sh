#!/usr/bin/env bash
# master_node.sh (book 3.1.3): kubeadm init and Calico on the master.
# Environment: NODE_NAME, ADVERTISE_ADDRESS (the master's host-only address), API_EXTRA_SANS (more
# names the API server's certificate carries, e.g. 127.0.0.1 for Vagrant's forwarded port),
# POD_CIDR (the book's 172.16.0.0/16), K8S_VERSION (1.36.0), CALICO_VERSION, NODE_CIDR (the
# host-only network, e.g. 192.168.56.0/24), API_WAIT_MINUTES (how long an initialised cluster's API
# server is waited for), NOT_ANSWERING_MESSAGE (what to tell the reader when it does not answer;
# lines separated by \n).
# Standard input: the join token, then the cluster CA certificate and key (PEM), which kubeadm uses
# instead of making its own, so that the stack knows the CA hash the workers pin.
set -euo pipefail
: "${NODE_NAME:?}" "${ADVERTISE_ADDRESS:?}" "${API_EXTRA_SANS:?}" "${POD_CIDR:?}" "${K8S_VERSION:?}" \
  "${CALICO_VERSION:?}" "${NODE_CIDR:?}" "${API_WAIT_MINUTES:?}" "${NOT_ANSWERING_MESSAGE:?}"

read -r token
bundle=$(cat)
admin=/etc/kubernetes/admin.conf
handed_out=/root/.kube/config

healthy() { kubectl --kubeconfig "$admin" --request-timeout=5s get --raw=/readyz >/dev/null 2>&1; }
wait_healthy() {
  for _ in $(seq 1 "$1"); do
    if healthy; then return 0; fi
    sleep 5
  done
  return 1
}

# Whether kubeadm init completed here and kubeadm reset has not run since: then etcd
# (/var/lib/etcd) holds the cluster with every chapter's objects, and kubeadm reset would wipe it.
# A file that exists does not say so: kubeadm writes admin.conf before it waits for the control
# plane, so an init that failed half-way leaves one, and etcd data too (the kubelet started etcd).
# This script hands admin.conf's credentials to root only once init completed; kubeadm reset
# removes admin.conf but not root's copy, and every init makes new credentials.
initialised() {
  local credentials
  credentials=$(grep -m 1 'client-certificate-data:' "$admin" 2>/dev/null) &&
    grep -qF -- "$credentials" "$handed_out" 2>/dev/null
}

# kubectl for root and for the vagrant user, who `vagrant ssh m-k8s` logs in as.
hand_out() {
  install -d -m 0700 /root/.kube
  cp "$admin" "$handed_out"
  install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.kube
  install -m 0600 -o vagrant -g vagrant "$admin" /home/vagrant/.kube/config
}

if initialised; then
  # After a reboot the kubelet brings the control plane back within a minute or two; a slow one
  # is waited for, and the cluster never reset for it.
  if ! wait_healthy $((API_WAIT_MINUTES * 12)); then
    printf '%b\n' "$NOT_ANSWERING_MESSAGE" >&2
    exit 1
  fi
else
  # Never initialised, or an init that failed half-way: nothing of a cluster to keep.
  kubeadm reset -f
  install -d -m 0755 /etc/kubernetes/pki
  printf '%s\n' "$bundle" | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' > /etc/kubernetes/pki/ca.crt
  (umask 077 && printf '%s\n' "$bundle" | sed -n '/BEGIN .*PRIVATE KEY/,/END .*PRIVATE KEY/p' > /etc/kubernetes/pki/ca.key)
  # The book fixed the token in its scripts; here it is generated per stack, and kept out of the
  # output. It does not expire, so that a worker added later (3.4.1, w4-k8s) can still join.
  kubeadm init --token "$token" --token-ttl 0 --skip-token-print \
    --pod-network-cidr="$POD_CIDR" \
    --apiserver-advertise-address="$ADVERTISE_ADDRESS" \
    --apiserver-cert-extra-sans="$API_EXTRA_SANS" \
    --kubernetes-version="v$K8S_VERSION" \
    --node-name="$NODE_NAME"
  hand_out
  wait_healthy 24
fi
export KUBECONFIG=$admin

# Calico with the book's pod CIDR (IP-in-IP, as the book's manifest), and told before it first
# starts to take the host-only interface: the first one found is the NAT interface, whose address
# (10.0.2.15) every VM shares. In calico.yaml v3.31 `- name: IP` / `value: "autodetect"` is followed
# by the IP-in-IP setting, and the pool CIDR is commented out.
curl -fsSL "https://raw.githubusercontent.com/projectcalico/calico/v$CALICO_VERSION/manifests/calico.yaml" \
  | sed -e '/^ *- name: IP$/{n;s|^\( *\)  value: "autodetect"$|&\n\1- name: IP_AUTODETECTION_METHOD\n\1  value: "cidr='"$NODE_CIDR"'"|}' \
        -e 's|^\( *\)# - name: CALICO_IPV4POOL_CIDR$|\1- name: CALICO_IPV4POOL_CIDR|' \
        -e 's|^\( *\)#   value: "192.168.0.0/16"$|\1  value: "'"$POD_CIDR"'"|' \
  | kubectl apply --server-side --force-conflicts -f -
kubectl -n kube-system rollout status daemonset/calico-node --timeout=15m
kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=10m
