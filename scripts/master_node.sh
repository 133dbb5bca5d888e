#!/usr/bin/env bash
# master_node.sh (book 3.1.3): kubeadm init and Calico on the master.
# Environment: NODE_NAME, ADVERTISE_ADDRESS (the master's host-only address), API_EXTRA_SANS (more
# names the API server's certificate carries, e.g. 127.0.0.1 for Vagrant's forwarded port),
# POD_CIDR (the book's 172.16.0.0/16), K8S_VERSION (1.36.0), CALICO_VERSION, NODE_CIDR (the
# host-only network, e.g. 192.168.56.0/24).
# Standard input: the join token, then the cluster CA certificate and key (PEM), which kubeadm uses
# instead of making its own, so that the stack knows the CA hash the workers pin.
set -euo pipefail
: "${NODE_NAME:?}" "${ADVERTISE_ADDRESS:?}" "${API_EXTRA_SANS:?}" "${POD_CIDR:?}" "${K8S_VERSION:?}" \
  "${CALICO_VERSION:?}" "${NODE_CIDR:?}"

read -r token
bundle=$(cat)
admin=/etc/kubernetes/admin.conf

# Done means an API server that answers, not a file that exists: after a reboot it comes back
# within a minute or two; one that does not (an init that failed half-way) is reset and made again.
healthy() { kubectl --kubeconfig "$admin" get --raw=/readyz >/dev/null 2>&1; }
wait_healthy() {
  for _ in $(seq 1 "$1"); do
    if healthy; then return 0; fi
    sleep 5
  done
  return 1
}

if ! { [ -f "$admin" ] && wait_healthy 24; }; then
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
  wait_healthy 24
fi

# kubectl for root and for the vagrant user, who `vagrant ssh m-k8s` logs in as.
install -d -m 0700 /root/.kube
cp "$admin" /root/.kube/config
install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.kube
install -m 0600 -o vagrant -g vagrant "$admin" /home/vagrant/.kube/config
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
