#!/bin/bash
# The kubesim image's entry point: the first argument is the role, the rest go to its program.
# Settings come from flags and KUBESIM_* variables (each component's --help lists them).
#
#   apiserver | controller-manager | scheduler | dns | lb | proxy | kubelet   one component
#   node        a worker node: its pod routes, then kubelet + NodePort proxy (see run_node)
#   kubectl | kubesim                                                          the CLIs
set -euo pipefail
APP=/app/packages

role=${1:-help}
shift || true

main_of() {
  case "$1" in
    apiserver | controller-manager | scheduler | dns | kubelet | kubectl) echo "$APP/$1/dist/main.js" ;;
    proxy) echo "$APP/lb/dist/proxy-main.js" ;;
    lb) echo "$APP/lb/dist/lb-main.js" ;;
    kubesim) echo "$APP/cli/dist/main.js" ;;
    *) return 1 ;;
  esac
}

# Pod networks (flannel host-gw style): this node's pod CIDR is local, so pods bind any address in
# it; every other node's pod CIDR goes via that node's IP. KUBESIM_POD_ROUTES lists all nodes as
# "CIDR=NODE_IP" words; needs NET_ADMIN, hence root, before dropping to the node user.
setup_pod_routes() {
  [ -n "${KUBESIM_POD_CIDR:-}" ] || return 0
  ip route replace local "$KUBESIM_POD_CIDR" dev lo
  for route in ${KUBESIM_POD_ROUTES:-}; do
    [ "${route%%=*}" = "$KUBESIM_POD_CIDR" ] && continue
    ip route replace "${route%%=*}" via "${route#*=}"
  done
}

# As root: routes, then the node's programs run as the node user.
as_node_user() {
  if [ "$(id -u)" -eq 0 ]; then
    chown node:node /var/lib/kubesim
    exec setpriv --reuid=node --regid=node --init-groups "$@"
  fi
  exec "$@"
}

# The kubelet and the proxy side by side; when either ends the container ends, so the restart
# policy brings the whole node back.
run_node() {
  if [ "$(id -u)" -eq 0 ]; then
    setup_pod_routes
    as_node_user "$0" node "$@"
  fi
  trap 'kill -TERM $kubelet $proxy 2>/dev/null; wait' TERM INT
  node "$(main_of kubelet)" --root-dir "${KUBESIM_ROOT_DIR:-/var/lib/kubesim/node}" "$@" &
  kubelet=$!
  node "$(main_of proxy)" --cluster-ips &
  proxy=$!
  set +e
  wait -n
  status=$?
  echo "kubesim-entrypoint: a node process exited ($status); stopping the node" >&2
  kill -TERM $kubelet $proxy 2>/dev/null
  wait
  exit "$status"
}

case "$role" in
  node) run_node "$@" ;;
  help | --help | -h)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    main=$(main_of "$role") || { echo "kubesim-entrypoint: unknown role: $role (try help)" >&2; exit 2; }
    exec node "$main" "$@"
    ;;
esac
