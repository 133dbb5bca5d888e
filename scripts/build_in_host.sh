#!/usr/bin/env bash
# Build the echo-ip jar on the master (book 4.3.1/4.3.2): a JDK there, then the app's own
# build-in-host.sh. The book installed java-1.8.0-openjdk-devel and ran ./mvnw clean package.
# Environment: SOURCE_DIR (where the app's source was copied).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
: "${SOURCE_DIR:?}"

command -v javac >/dev/null || { apt-get update -q && apt-get install -y -q openjdk-21-jdk-headless; }
"$SOURCE_DIR/build-in-host.sh"
