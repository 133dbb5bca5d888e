#!/usr/bin/env bash
# config.sh (book 2.2.3): modify permission of the copied ping_2_nds.sh, which the file provisioner
# copied to the vagrant user's home, and keep what it pings for it.
# Environment: NETWORK_PREFIX (e.g. 192.168.56), PING_COUNT (the book's 3).
set -euo pipefail
: "${NETWORK_PREFIX:?}" "${PING_COUNT:?}"

chmod 744 /home/vagrant/ping_2_nds.sh
install -d /etc/k8sinfra-lab
printf 'NETWORK_PREFIX=%s\nPING_COUNT=%s\n' "$NETWORK_PREFIX" "$PING_COUNT" > /etc/k8sinfra-lab/ping.env
