#!/usr/bin/env bash
# `docker rmi` of one built image when it leaves the stack; the book's bare name goes too when it
# still names the same image (a newer build has moved it otherwise).
# Environment: IMAGE (name:content tag), BOOK_NAME.
set -euo pipefail
: "${IMAGE:?}" "${BOOK_NAME:?}"

id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
if [ -n "$id" ] && [ "$(docker image inspect -f '{{.Id}}' "$BOOK_NAME" 2>/dev/null || true)" = "$id" ]; then
  docker rmi "$BOOK_NAME"
fi
docker rmi "$IMAGE" || true
