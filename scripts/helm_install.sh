#!/usr/bin/env bash
# helm_install.sh (book 5.2.3 helm-install.sh, upstream's get-helm-3 run with DESIRED_VERSION=v3.2.1):
# the helm CLI on the master at a pinned release. The archive is checked against the sha256 the
# project pins before anything is installed; a download that does not match leaves nothing behind.
# `vagrant ssh m-k8s`, then `helm list -A` and `helm history <release>`, read the releases the
# chapters install.
# Environment: HELM_VERSION (v3.20.2), HELM_SHA256_AMD64 and HELM_SHA256_ARM64 (of
# helm-<version>-linux-<arch>.tar.gz), HELM_INSTALL_DIR (default /usr/local/bin, the book's).
set -euo pipefail
: "${HELM_VERSION:?}" "${HELM_SHA256_AMD64:?}" "${HELM_SHA256_ARM64:?}"
dir=${HELM_INSTALL_DIR:-/usr/local/bin}

machine=$(uname -m)
case "$machine" in
  x86_64 | amd64) arch=amd64 sum=$HELM_SHA256_AMD64 ;;
  aarch64 | arm64) arch=arm64 sum=$HELM_SHA256_ARM64 ;;
  *)
    echo "helm_install.sh: no pinned helm archive for $machine (amd64 and arm64 only)" >&2
    exit 1
    ;;
esac

# Already there at this release (the VM kept it, or up runs again): nothing to do.
if [ -x "$dir/helm" ] && [ "$("$dir/helm" version --template '{{.Version}}' 2>/dev/null || true)" = "$HELM_VERSION" ]; then
  echo "helm $HELM_VERSION is in $dir"
  exit 0
fi

archive=helm-$HELM_VERSION-linux-$arch.tar.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsSL --retry 3 -o "$work/$archive" "https://get.helm.sh/$archive"
if ! printf '%s  %s\n' "$sum" "$work/$archive" | sha256sum --check --status; then
  echo "helm_install.sh: $archive does not match its pinned sha256 $sum; nothing installed" >&2
  exit 1
fi
tar -xzf "$work/$archive" -C "$work" "linux-$arch/helm"
install -d -m 0755 "$dir"
install -m 0755 "$work/linux-$arch/helm" "$dir/helm"
echo "helm $HELM_VERSION installed in $dir"
