#!/usr/bin/env bash
# Undo kubeadm join on this worker, so that it can join again (a control plane built again).
set -euo pipefail

kubeadm reset -f
