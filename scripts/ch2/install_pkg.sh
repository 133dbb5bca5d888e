#!/usr/bin/env bash
# install_pkg.sh (book 2.2.2): an editor on every VM.
# The book adds EPEL and vim-enhanced with yum; Ubuntu's vim comes from its own archive.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q vim
