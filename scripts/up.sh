#!/usr/bin/env bash
# Sets the machine up if needed (scripts/setup.sh), then starts a cluster: scripts/up.sh [kubesim up flags].
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec pnpm kubesim up "$@"
