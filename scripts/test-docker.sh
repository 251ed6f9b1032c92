#!/usr/bin/env bash
# Runs the docker suite (packages/docker-test): the compose cluster and a NATS container, driven
# with testcontainers and the docker/compose CLIs. Sets the machine up first: scripts/setup.sh
# (dependencies, build), then scripts/docker-setup.sh (Docker engine, base images, kubesim image).
# Ends with one summary line: "N passed, N failed".
#
# Exit status: 0 all passed; 1 some failed (or the suite could not run to the end);
# 77 the suite did not run because no Docker engine could be had; it then prints
#   docker suite: did not run (no Docker engine)
# (77 is the conventional "skipped" status of automake and similar harnesses.)
set -euo pipefail
cd "$(dirname "$0")/.."
NO_ENGINE=77

bash scripts/setup.sh
setup_status=0
bash scripts/docker-setup.sh || setup_status=$?
if [ "$setup_status" -eq "$NO_ENGINE" ]; then
  echo "docker suite: did not run (no Docker engine)"
  exit "$NO_ENGINE"
elif [ "$setup_status" -ne 0 ]; then
  echo "docker suite: setup failed (status $setup_status)"
  echo "0 passed, 1 failed"
  exit 1
fi

report="$(mktemp)"
status=0
(cd packages/docker-test && pnpm exec vitest run --config vitest.config.ts \
  --reporter=default --reporter=json --outputFile.json="$report") || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$report" || { echo "0 passed, 1 failed"; status=1; }
rm -f "$report"
exit "$status"
