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

# The scripts' Python reads bench/progress.py for its setup's progress line.
export PYTHONPATH="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)${PYTHONPATH:+:$PYTHONPATH}"

# bench_step LABEL COMMAND… — runs a setup step that cannot count its way (one SQL script) and
# says on standard error what it is doing and, when it ends, how long it took.
bench_step() {
  local label="$1" start
  shift
  [[ -t 2 ]] && echo "$label …" >&2
  start=$(date +%s.%N)
  "$@"
  echo "$label: done in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)") s" >&2
}

# bench_binary SCRIPT — sets `docket` to the release binary the bench measures: $DOCKET_BIN when
# set (to compare two builds, or to skip building), else the one deploy/setup builds.
bench_binary() {
  if [[ -n "${DOCKET_BIN:-}" ]]; then
    docket="$(readlink -f -- "$DOCKET_BIN")"
    [[ -x "$docket" ]] || { echo "$1: DOCKET_BIN=$DOCKET_BIN is not an executable" >&2; exit 64; }
  else
    deploy/setup >&2
    docket="$repo/.build/release/docket"
  fi
}

# bench_init — `db init` on the bench's home, with a custodian of the office key whose passphrase
# is in a 0600 file there; a docket from before the office key (DOCKET_BIN, to compare two builds)
# is initialised as it was.
bench_init() {
  local pass="$DOCKET_HOME/bench-custodian.pass"
  (umask 077 && printf 'bench passphrase 基准口令\n' >"$pass")
  if "$docket" db init --help 2>&1 | grep -q -- '--custodian'; then
    "$docket" db init --custodian bench.leader --custodian-name 基准领导 --passphrase-file "$pass" >/dev/null
  else
    "$docket" db init >/dev/null
  fi
}
