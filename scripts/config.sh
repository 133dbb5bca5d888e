#!/usr/bin/env bash
# config.sh (book 3.1.3): prepare a node for kubeadm. Vagrant runs it on every node.
# Environment: ROOT_SSH_KEY, the SSH public key that may log in as root.
# Kept from the book: `alias vi=vim`, swap off, bridge netfilter sysctls. Changed: the CentOS
# mirror, SELinux and resolv.conf steps do not apply to Ubuntu; containerd also needs `overlay` and
# IP forwarding; root logs in with the stack's key only (the book used root/vagrant passwords).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
: "${ROOT_SSH_KEY:?}"

grep -qx 'alias vi=vim' /etc/profile || echo 'alias vi=vim' >> /etc/profile

# kubelet refuses to run with swap on.
swapoff -a
sed -i.bak -E '/\sswap\s/ s/^([^#])/#\1/' /etc/fstab

install -d /etc/modules-load.d /etc/sysctl.d
cat > /etc/modules-load.d/k8s.conf <<'CONF'
overlay
br_netfilter
CONF
modprobe overlay
modprobe br_netfilter
cat > /etc/sysctl.d/k8s.conf <<'CONF'
net.bridge.bridge-nf-call-ip6tables = 1
net.bridge.bridge-nf-call-iptables = 1
net.ipv4.ip_forward = 1
CONF
sysctl --system >/dev/null

# Key-based root login only; password logins are switched off.
install -d -m 700 /root/.ssh
touch /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
grep -qxF "$ROOT_SSH_KEY" /root/.ssh/authorized_keys || echo "$ROOT_SSH_KEY" >> /root/.ssh/authorized_keys
install -d /etc/ssh/sshd_config.d
cat > /etc/ssh/sshd_config.d/10-k8sinfra-lab.conf <<'CONF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
CONF
# Ubuntu 24.04 may start sshd on demand; apply now if it runs, else at its next start.
systemctl try-reload-or-restart ssh
