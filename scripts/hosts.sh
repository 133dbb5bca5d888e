#!/usr/bin/env bash
# config.sh step 7 (book 3.1.3): the cluster's nodes in /etc/hosts, kept in one marked block that
# is written again whenever a node is added or removed.
# Environment: NODES, one `<address> <name>` per line.
set -euo pipefail
: "${NODES:?}"

begin='# BEGIN k8sinfra-lab nodes'
end='# END k8sinfra-lab nodes'
sed -i "/^$begin$/,/^$end$/d" /etc/hosts
printf '%s\n%s\n%s\n' "$begin" "$NODES" "$end" >> /etc/hosts
