#!/usr/bin/env bash
# Makes a Debian machine ready for the docker compose cluster and builds the kubesim image:
#   1. installs Debian's docker.io and docker-compose if there is no docker CLI / compose;
#   2. starts dockerd in the background (log: $KUBESIM_DOCKERD_LOG) if no engine answers;
#   3. builds the base images docker/Dockerfile and docker/compose.yaml name (node:20-bookworm-slim,
#      nats:2.9.10) from local files when they are not present and cannot be pulled: a Debian
#      minbase root filesystem (debootstrap from the configured Debian mirror) plus the host's
#      Node 20, and a tree holding the host's nats-server and the libraries it links;
#   4. builds the kubesim image (kubesim:dev).
# Safe to run twice: each step is skipped when its result is already there. Prints what it did.
# Exit status: 0 ready; 77 no Docker engine could be had (not installable or dockerd fails);
# anything else: a step failed.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_IMAGE=node:20-bookworm-slim
NATS_IMAGE=nats:2.9.10
KUBESIM_IMAGE=${KUBESIM_IMAGE:-kubesim:dev}
DEBIAN_MIRROR=${KUBESIM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DOCKERD_LOG=${KUBESIM_DOCKERD_LOG:-/var/log/kubesim-dockerd.log}
BUILD_LOG=${KUBESIM_BUILD_LOG:-${TMPDIR:-/tmp}/kubesim-docker-build.log}
NO_ENGINE=77

say() { echo "docker-setup: $*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else say "need root or sudo for: $*" >&2; return 1
  fi
}

have_compose() { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; }

install_docker() {
  if { command -v dockerd >/dev/null || docker info >/dev/null 2>&1; } && have_compose; then
    say "docker and compose already installed"; return
  fi
  say "installing docker.io and docker-compose (apt-get)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose >/dev/null
}

# No systemd on CI machines: run dockerd ourselves when nothing answers on the socket.
start_engine() {
  if docker info >/dev/null 2>&1; then say "a Docker engine is already running"; return; fi
  command -v dockerd >/dev/null || return 1
  say "starting dockerd (log: $DOCKERD_LOG)"
  as_root sh -c "nohup dockerd >>'$DOCKERD_LOG' 2>&1 &"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { say "dockerd is up"; return; }
    sleep 1
  done
  say "dockerd did not answer within 60s; last log lines:" >&2
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  return 1
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# A stand-in for the official node image: Debian bookworm minbase, Node 20 in /usr/local as the
# official image has it, and the `node` user (uid 1000).
import_node_image() {
  command -v debootstrap >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  local root node_bin node_lib
  root="$(mktemp -d /var/tmp/kubesim-rootfs.XXXXXX)"
  say "debootstrap bookworm minbase from $DEBIAN_MIRROR into $root"
  as_root debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >/dev/null
  node_bin="$(readlink -f "$(command -v node)")"
  node_lib="$(dirname "$node_bin")/../lib/node_modules"
  as_root install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
  as_root mkdir -p "$root/usr/local/lib/node_modules"
  for pkg in npm corepack; do
    [ -d "$node_lib/$pkg" ] && as_root cp -a "$node_lib/$pkg" "$root/usr/local/lib/node_modules/"
  done
  as_root ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  as_root ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  as_root ln -sf ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
  as_root chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  as_root chroot "$root" sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log'
  say "importing $root as $NODE_IMAGE (node $("$node_bin" --version))"
  as_root tar -C "$root" -c . | docker import \
    --change 'ENV NODE_VERSION='"$("$node_bin" --version | tr -d v)" \
    --change 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
  as_root rm -rf "$root"
}

# A stand-in for the official nats image: /nats-server as entry point (plus the libraries this
# build links; the official one is static).
import_nats_image() {
  local bin root lib
  bin="$(command -v nats-server || echo /usr/sbin/nats-server)"
  [ -x "$bin" ] || { say "no nats-server on this machine to build $NATS_IMAGE from" >&2; return 1; }
  root="$(mktemp -d /var/tmp/kubesim-nats.XXXXXX)"
  install -D -m 0755 "$bin" "$root/nats-server"
  for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
    install -D -m 0755 "$lib" "$root$lib"
  done
  mkdir -p "$root/tmp" "$root/data"
  say "importing $bin as $NATS_IMAGE"
  tar -C "$root" -c . | docker import \
    --change 'ENTRYPOINT ["/nats-server"]' \
    --change 'CMD ["-js", "-sd", "/data"]' \
    --change 'EXPOSE 4222 8222' - "$NATS_IMAGE" >/dev/null
  rm -rf "$root"
}

# Pull when a registry answers (the normal path); otherwise build it from local files.
base_image() {
  local image=$1 build=$2
  if have_image "$image"; then say "$image is present"; return; fi
  if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then say "pulled $image"; return; fi
  say "$image cannot be pulled; building it from local files"
  "$build"
}

# Locally added CAs (e.g. of a TLS-intercepting proxy), so the build reaches the npm registry as
# the host does; KUBESIM_BUILD_CA names a PEM file to use instead.
extra_ca_certs() {
  if [ -n "${KUBESIM_BUILD_CA:-}" ]; then cat "$KUBESIM_BUILD_CA"; return; fi
  cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true
}

build_kubesim() {
  say "building $KUBESIM_IMAGE from docker/Dockerfile (log: $BUILD_LOG)"
  local start=$SECONDS
  # The classic builder (Debian's docker.io has no buildx; it never pulls an image it has). The
  # build stage is tagged too, so it stays as the next build's cache instead of dangling.
  local build=(env DOCKER_BUILDKIT=0 docker build --force-rm -f docker/Dockerfile --build-arg EXTRA_CA_CERTS="$(extra_ca_certs)")
  { "${build[@]}" --target build -t "$KUBESIM_IMAGE-build" . && "${build[@]}" -t "$KUBESIM_IMAGE" .; } >"$BUILD_LOG" 2>&1 \
    || { tail -n 30 "$BUILD_LOG" >&2; return 1; }
  # Superseded builds of this Dockerfile only: nobody else's images carry its label.
  docker image prune -f --filter label=org.kubesim.image >/dev/null
  say "built $KUBESIM_IMAGE in $((SECONDS - start))s, size $(docker image inspect -f '{{.Size}}' "$KUBESIM_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
}

install_docker || { say "could not install Docker" >&2; exit "$NO_ENGINE"; }
start_engine || { say "no Docker engine" >&2; exit "$NO_ENGINE"; }
base_image "$NODE_IMAGE" import_node_image
base_image "$NATS_IMAGE" import_nats_image
build_kubesim
say "ready: docker compose up (or docker-compose up) from the repository root"
