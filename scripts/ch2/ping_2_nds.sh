#!/usr/bin/env bash
# ping_2_nds.sh (book 2.2.3): ping every worker PING_COUNT times, w1-k8s, w2-k8s, ... in order.
# The book lists 192.168.1.101-103; this one walks the workers until one does not answer, so it
# stays the same when workers are added. config.sh keeps the prefix and the count in ping.env.
# shellcheck source=/dev/null
. /etc/k8sinfra-lab/ping.env
i=1
while ping -c 1 -W 1 "$NETWORK_PREFIX.$((100 + i))" >/dev/null 2>&1; do
  ping -c "$PING_COUNT" "$NETWORK_PREFIX.$((100 + i))"
  i=$((i + 1))
done
