# shellcheck shell=bash
# faults/lib.sh — sourced by the fault scripts; it changes no shell options (they set -euo pipefail).
# Provides faults_binary, faults_home, faults_office, faults_url, faults_psql, faults_audit,
# faults_result, faults_now, faults_log and faults_die. Every scenario works in a throw-away
# DOCKET_HOME whose embedded cluster faults_home stops and removes on exit (bench/lib.sh's cleanup).

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "faults/lib.sh is a library: source it from a bash script instead of running it." >&2
  exit 64
fi

FAULTS_DIR="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"
FAULTS_REPO="$(dirname -- "$FAULTS_DIR")"
# shellcheck source=bench/lib.sh disable=SC1091
source "$FAULTS_REPO/bench/lib.sh"

# faults_log MESSAGE… — a progress line on standard error, prefixed with the script's name.
faults_log() {
  printf '%s: %s\n' "${FAULTS_SCRIPT:-faults}" "$*" >&2
}

# faults_die MESSAGE [STATUS] — an error line on standard error, then exit (default status 1).
faults_die() {
  printf '%s: error: %s\n' "${FAULTS_SCRIPT:-faults}" "$1" >&2
  exit "${2:-1}"
}

# faults_now — seconds since the epoch, with milliseconds.
faults_now() {
  local t="$EPOCHREALTIME"
  printf '%s.%s\n' "${t%[.,]*}" "${t: -6:3}"
}

# faults_binary — sets `docket` to the release binary: $DOCKET_BIN when set (faults/run.sh sets it
# after building once), else builds .build/release/docket with deploy/setup as the benches do.
faults_binary() {
  if [[ -n "${DOCKET_BIN:-}" ]]; then
    docket="$(readlink -f -- "$DOCKET_BIN")"
    [[ -x "$docket" ]] || faults_die "DOCKET_BIN=$DOCKET_BIN is not an executable" 64
  else
    "$FAULTS_REPO/deploy/setup" >&2
    docket="$FAULTS_REPO/.build/release/docket"
  fi
  export DOCKET_BIN="$docket"
}

# faults_home NAME — a new DOCKET_HOME (exported) whose cluster is stopped and removed on exit.
# The caller's own EXIT work goes in faults_on_exit, which runs first.
faults_on_exit() { :; }
faults_home() {
  unset DOCKET_DATABASE_URL
  DOCKET_HOME="$(mktemp -d "/tmp/docket-faults-$1.XXXXXX")"
  export DOCKET_HOME
  trap 'faults_on_exit; bench_cleanup' EXIT
  # The migrations as they are now: a sql/ file edited while the scenario runs would otherwise make
  # docket refuse the database ("applied and has changed since").
  if [[ -z "${DOCKET_SQL_DIR:-}" ]]; then
    mkdir "$DOCKET_HOME/sql"
    cp -- "$FAULTS_REPO"/sql/*.sql "$DOCKET_HOME/sql/"
    export DOCKET_SQL_DIR="$DOCKET_HOME/sql"
  fi
}

# faults_office — initialises the database and adds the office the scenarios work in: two units,
# a registrar (reg), a leader (boss) who is the office key's custodian, with the passphrase in
# $DOCKET_HOME/boss.pass (mode 0600), a handler of 第一纪检监察室 (h1) and a case officer (office).
faults_office() {
  (umask 077 && printf '故障演练口令 faults passphrase\n' >"$DOCKET_HOME/boss.pass")
  "$docket" db init --custodian boss --custodian-name 分管领导 --passphrase-file "$DOCKET_HOME/boss.pass" >/dev/null
  "$docket" unit add 第一纪检监察室 >/dev/null
  "$docket" unit add 市公安局 >/dev/null
  "$docket" staff add reg --name 登记员 --role registrar >/dev/null
  "$docket" staff add h1 --name 承办人 --role handler --unit 第一纪检监察室 >/dev/null
  "$docket" staff add office --name 案管室 --role case_office >/dev/null
}

# faults_url — prints the embedded database's URL (from `docket db status --json`).
faults_url() {
  "$docket" db status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])'
}

# faults_psql URL SQL — runs SQL and prints its rows unaligned, no header.
faults_psql() {
  psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# faults_audit — prints "yes" when `docket audit verify --json` says the journal's chain is intact,
# else "NO" (and the verifier's words on standard error).
faults_audit() {
  local out err rc=0
  # Standard error apart: a walk of a second or more ends with a progress line there, not JSON.
  err="$(mktemp)"
  out="$("$docket" audit verify --json 2>"$err")" || rc=$?
  if ((rc == 0)) && printf '%s' "$out" | python3 -c '
import json, sys
data = json.load(sys.stdin)
sys.exit(0 if data.get("intact", data.get("ok")) is True else 1)' 2>/dev/null; then
    echo yes
  else
    faults_log "audit verify (exit $rc): $out $(cat -- "$err")"
    echo NO
  fi
  rm -f -- "$err"
}

# faults_result KIND FAULTS RUNS LOST DUPLICATES CRASHES FAILURES JOURNAL — one line of the final
# table: appended (tab-separated) to $FAULTS_RESULTS when faults/run.sh set it (and shown on standard
# error), else printed on standard output.
faults_result() {
  local line
  line="$(printf '%s\t' "$@")"
  line="${line%$'\t'}"
  if [[ -n "${FAULTS_RESULTS:-}" ]]; then
    printf '%s\n' "$line" >>"$FAULTS_RESULTS"
    printf '%s: result: %s\n' "${FAULTS_SCRIPT:-faults}" "$line" | tr '\t' '|' >&2
  else
    printf 'result: %s\n' "$line" | tr '\t' '|'
  fi
}

# faults_check_json FIELD — reads check.py's JSON on standard input and prints FIELD.
faults_check_json() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# faults_problems — prints check.py's problems (standard input: its JSON) on standard error.
faults_problems() {
  python3 -c '
import json, sys
for p in json.load(sys.stdin)["problems"]:
    print("  " + p, file=sys.stderr)'
}
