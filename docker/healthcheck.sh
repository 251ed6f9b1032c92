#!/bin/bash
# Container health for docker/compose.yaml: `kubesim-healthcheck URL` succeeds when URL answers
# with a 2xx status within 2 seconds.
exec node -e '
  fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
' "$1"
