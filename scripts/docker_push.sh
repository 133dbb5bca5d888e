#!/usr/bin/env bash
# 4.4.2: `docker tag` and `docker push` to the lab registry, under the image's content tag and, as
# the book pushes it, under its bare name (latest).
# Environment: IMAGE (the local image, name:content tag), TARGET (<registry>/<name>:<content tag>),
# LATEST (<registry>/<name>).
set -euo pipefail
: "${IMAGE:?}" "${TARGET:?}" "${LATEST:?}"

docker tag "$IMAGE" "$TARGET"
docker push "$TARGET"
docker tag "$IMAGE" "$LATEST"
docker push "$LATEST"
