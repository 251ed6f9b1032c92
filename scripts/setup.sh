#!/usr/bin/env bash
# Makes a fresh Debian machine with Node 20 ready to run kubesim, then builds it: installs
# nats-server and pnpm if missing, installs the dependencies and builds. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.8

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup: need root or sudo for: $*" >&2; exit 1
  fi
}

if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server
  # The package starts a system nats-server on 4222; kubesim runs its own, so stop that one.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nats-server 2>/dev/null; then
    as_root systemctl disable --now nats-server
  fi
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  if [ -w "$(npm prefix -g)/lib" ]; then npm i -g "pnpm@$PNPM_VERSION"
  else as_root npm i -g "pnpm@$PNPM_VERSION"
  fi
fi

if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile; else pnpm install; fi
pnpm build
