# bench/lib.sh — sourced by the bench scripts.

# bench_cleanup — stops the bench's cluster and removes its data, including the directory docket
# keeps under /var/lib/docket/clusters when root runs it from a home the postgres account cannot
# reach (a mktemp directory is one): removing $DOCKET_HOME alone would leave gigabytes behind.
bench_cleanup() {
  "$docket" db stop >/dev/null 2>&1 || true
  local real
  real="$(readlink -f -- "$DOCKET_HOME/cluster" 2>/dev/null || true)"
  case "$real" in
    /var/lib/docket/clusters/*/cluster) rm -rf -- "$(dirname -- "$real")" ;;
  esac
  rm -rf -- "$DOCKET_HOME"
}
