#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what is missing, builds, tests, and
# ends with one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
report="$(mktemp)"
status=0
pnpm test --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$report" || echo "0 passed, 1 failed"
rm -f "$report"
exit "$status"
