#!/usr/bin/env bash
# `docker build -t <image> -f <Dockerfile> .` in the copied source folder (book 4.3), also tagged
# with the book's bare name.
# Environment: SOURCE_DIR, IMAGE (name:tag), BOOK_NAME (the name the book uses), DOCKERFILE.
set -euo pipefail
: "${SOURCE_DIR:?}" "${IMAGE:?}" "${BOOK_NAME:?}" "${DOCKERFILE:?}"

cd "$SOURCE_DIR"
docker build -t "$IMAGE" -f "$DOCKERFILE" .
docker tag "$IMAGE" "$BOOK_NAME"
