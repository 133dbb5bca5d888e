#!/bin/sh
# Book 3.3.5's load on hpa-hname-svc. The book sent it from the reader's PC to the Service's
# LoadBalancer address; this loop runs in a Job inside the cluster and finds the Service by name.
# Environment: TARGET (the URL), SECONDS_OF_LOAD (how long).
set -eu
: "${TARGET:?}" "${SECONDS_OF_LOAD:?}"

end=$(($(date +%s) + SECONDS_OF_LOAD))
echo "requesting $TARGET without pause for ${SECONDS_OF_LOAD}s: watch kubectl get hpa"
while [ "$(date +%s)" -lt "$end" ]; do
  wget -q -O /dev/null "$TARGET" || true
done
echo "done: the HPA scales back in after its stabilization window (5 minutes)"
