#!/usr/bin/env bash
# build-in-host.sh (book 4.3.2): build the app on the host, as the book's `./mvnw clean package`.
# The jar is target/app-in-host.jar, the book's finalName.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf target
mkdir -p target/classes
mapfile -t sources < <(find src/main/java -name '*.java')
# Java 17 bytecode: runs on the Java 21 images and builds with any JDK from 17 on.
javac --release 17 -d target/classes "${sources[@]}"
jar --create --file target/app-in-host.jar --main-class k8sinfra.echoip.EchoIp -C target/classes .
