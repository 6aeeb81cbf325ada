#!/usr/bin/env bash
# faults/run.sh — issue 8 ("Nothing lost"): every fault scenario, one after the other, within a time
# budget (default 600 s; building is not counted), then one table:
#   fault kind | faults injected | runs | items lost | duplicates | crashes | failures | journal intact
# Exits 1 when items lost, duplicates, crashes or failures is not 0 in any row, or a journal does not
# verify (and 64 on bad usage). The scenarios, each in a throw-away DOCKET_HOME of its own whose
# embedded cluster is stopped and removed afterwards:
#   faults/crash-intake.sh maildir|mbox|handover   kill -9 in the middle of an intake, rerun (item 1)
#   faults/db-restart.sh      PostgreSQL stopped (fast) and crashed (immediate) under load (item 2)
#   faults/concurrency.sh     6 processes registering, moving and closing at once (item 3)
#   faults/backup.sh          deploy/backup, deploy/restore into new clusters, hot and quiet (item 5)
#   fuzz/run.sh SECONDS       the fuzz targets (item 4), when fuzz/run.sh exists
# Columns: "faults injected" is kills that landed mid-run (crash), stops and crashes of the server
# (restart), moves refused because another process moved the item first (concurrency), restores
# (backup), inputs executed (fuzz); "runs" is docket commands run (fuzz: targets); "failures" is
# everything else that must not happen: an exit status or error sentence other than the expected
# ones, a half-written item, a gap in the reference numbers, an item whose state is not what its
# journal says (a lost update), a restore that differs from its source.
# Usage: faults/run.sh [--budget SECONDS]   (DOCKET_BIN=PATH uses that release binary; otherwise
# deploy/setup builds .build/release/docket first, as the benches do)
set -euo pipefail
FAULTS_SCRIPT="faults/run.sh"
# shellcheck source=faults/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

budget=600
while (($# > 0)); do
  case "$1" in
    --budget)
      (($# >= 2)) || faults_die "--budget needs a number of seconds" 64
      budget="$2"
      shift 2
      ;;
    --budget=*)
      budget="${1#--budget=}"
      shift
      ;;
    -h | --help)
      sed -n '2,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) faults_die "unknown argument $1; usage: faults/run.sh [--budget SECONDS]" 64 ;;
  esac
done
if ! [[ "$budget" =~ ^[1-9][0-9]*$ ]] || ((budget < 120)); then
  faults_die "--budget must be a whole number of seconds, at least 120 (not $budget)" 64
fi

faults_binary
started="$(faults_now)"
# One copy of the migrations for every scenario (sql/ may be edited meanwhile), and the table's rows.
scratch="$(mktemp -d /tmp/docket-faults-run.XXXXXX)"
trap 'rm -rf -- "$scratch"' EXIT
mkdir "$scratch/sql"
cp -- "$FAULTS_REPO"/sql/*.sql "$scratch/sql/"
export DOCKET_SQL_DIR="$scratch/sql"
export FAULTS_RESULTS="$scratch/results"
: >"$FAULTS_RESULTS"

# The budget's shares: fuzzing a tenth (over its three targets, plus about 25 s to check its build),
# the backups about 25 s whatever the budget, and the rest to the crashes (three kinds), the restarts
# and the concurrency, less a little for setting up each.
fuzz_each=$((budget / 30 > 5 ? budget / 30 : 5))
rest=$((budget - 3 * fuzz_each - 25 - 25 - 20))
crash=$((rest * 19 / 100))
restart=$((rest * 25 / 100))
concurrent=$((rest - 3 * crash - restart))
faults_log "budget ${budget} s: kill -9 during intake 3 × ${crash} s, database restarts ${restart} s, concurrency ${concurrent} s, backups about 25 s, fuzzing 3 × ${fuzz_each} s"

status=0
# scenario KIND COMMAND… — runs one scenario; a scenario that ends without its row gets one that fails.
scenario() {
  local kind="$1" before rc=0 t0
  shift
  before="$(wc -l <"$FAULTS_RESULTS")"
  faults_log "— $kind: ${*#"$FAULTS_REPO/"}"
  t0="$SECONDS"
  "$@" || rc=$?
  faults_log "— $kind: done in $((SECONDS - t0)) s"
  if (("$(wc -l <"$FAULTS_RESULTS")" == before)); then
    printf '%s\t-\t-\t-\t-\t-\t1 (the script exited %s)\t?\n' "$kind" "$rc" >>"$FAULTS_RESULTS"
  fi
}

scenario "kill -9 during maildir intake" "$FAULTS_DIR/crash-intake.sh" maildir "$crash"
scenario "kill -9 during mbox intake" "$FAULTS_DIR/crash-intake.sh" mbox "$crash"
scenario "kill -9 during handover intake" "$FAULTS_DIR/crash-intake.sh" handover "$crash"
scenario "database stopped/crashed under load" "$FAULTS_DIR/db-restart.sh" "$restart"
scenario "6 processes at once" "$FAULTS_DIR/concurrency.sh" "$concurrent" 6
scenario "backup, restore into a new cluster" "$FAULTS_DIR/backup.sh"

# Hostile input (item 4) is fuzz/run.sh's; its table is target, seconds, executions, new_inputs, crashes.
if [[ -x "$FAULTS_REPO/fuzz/run.sh" ]]; then
  faults_log "— hostile input: fuzz/run.sh $fuzz_each (its first build is slow and not counted)"
  rc=0
  "$FAULTS_REPO/fuzz/run.sh" "$fuzz_each" >"$scratch/fuzz.out" || rc=$?
  cat -- "$scratch/fuzz.out" >&2
  python3 - "$scratch/fuzz.out" "$rc" >>"$FAULTS_RESULTS" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
rows = [r for r in rows[1:] if len(r) == 5]
rc = int(sys.argv[2])
executions = sum(int(r[2]) for r in rows if r[2].isdigit())
crashes = sum(int(r[4]) for r in rows if r[4].isdigit())
failures = 0 if rc == 0 or crashes else f"1 (fuzz/run.sh exited {rc})"
print(f"hostile input (fuzz/run.sh)\t{executions}\t{len(rows)}\t-\t-\t{crashes}\t{failures}\t-")
PY
else
  faults_log "— hostile input: fuzz/run.sh is not there; skipped"
  printf 'hostile input (fuzz/run.sh)\t-\t-\t-\t-\t-\tskipped: no fuzz/run.sh\t-\n' >>"$FAULTS_RESULTS"
fi

elapsed="$(python3 -c "print(round($(faults_now) - $started))")"
python3 - "$FAULTS_RESULTS" "$budget" "$elapsed" <<'PY' || status=1
import sys
header = ["fault kind", "faults injected", "runs", "items lost", "duplicates", "crashes", "failures",
          "journal intact"]
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
def line(cells):
    return "| " + " | ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in
                             enumerate(zip(cells, widths))) + " |"
print(line(header))
print("|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|")
bad = []
for r in rows:
    print(line(r))
    for column in (3, 4, 5, 6):
        value = r[column]
        if value not in ("-", "0") and not value.startswith("skipped"):
            bad.append(f"{r[0]}: {header[column]} {value}")
    if r[7] not in ("yes", "-"):
        bad.append(f"{r[0]}: journal intact {r[7]}")
print(f"\nbudget {sys.argv[2]} s, took {sys.argv[3]} s (building not counted). "
      + ("Nothing lost, nothing doubled, nothing crashed." if not bad else "NOT CLEAN: " + "; ".join(bad)))
sys.exit(1 if bad else 0)
PY
exit "$status"
