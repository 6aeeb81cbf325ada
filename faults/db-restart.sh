#!/usr/bin/env bash
# faults/db-restart.sh — issue 8, item 2: stop and start PostgreSQL again and again while intake
# (email files, phone calls, handover lists) and lifecycle moves run, for SECONDS (default 60); see faults/workload.py
# restart for what runs and what each command must do (exit 0, or 75 with a sentence saying the
# database is unavailable and to try again). The stops alternate between `docket db stop` (a fast
# shutdown: sessions ended, transactions rolled back) and SIGQUIT to the postmaster (an immediate
# shutdown, as a crash: no checkpoint, WAL recovery on the next start). After the loop every command
# that exited 75 is given again and must succeed; then faults/check.py counts each phone item, each
# email message and each handover row (lost, duplicated), each item's moves against its journal (a move that exited 0
# is there once, one that exited 75 and was not given again is not: nothing half-done), half-written
# items and reference numbers, and `docket audit verify` must say the journal's chain is intact.
# Usage: faults/db-restart.sh [SECONDS]   (DOCKET_BIN=PATH uses that binary, else deploy/setup builds it)
set -euo pipefail
FAULTS_SCRIPT="db-restart"
# shellcheck source=faults/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

budget="${1:-60}"
[[ "$budget" =~ ^[1-9][0-9]*$ ]] || faults_die "usage: faults/db-restart.sh [SECONDS]" 64

faults_binary
faults_home restart
faults_office
url="$(faults_url)"
work="$DOCKET_HOME/work"
mkdir -p -- "$work"
# More messages than the workers can take in the time; those not offered are not expected.
python3 "$FAULTS_DIR/gen.py" eml "$work/eml" rs "$((budget * 12 + 50))"
lists=()
for n in $(seq 1 $((budget / 3 + 5))); do
  python3 "$FAULTS_DIR/gen.py" handover "$work/list$n.csv" "rl$n" 300
  lists+=("$work/list$n.csv")
done
printf '%s\n' "${lists[@]}" | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read().split()))' >"$work/lists-all.json"

# The loop gets what is left after setting up, giving again what exited 75 and checking.
loop=$((budget > 30 ? budget * 7 / 10 - 6 : budget / 2))
faults_log "intake and moves from 3 workers for ${loop} s while PostgreSQL is stopped and started"
summary="$(python3 "$FAULTS_DIR/workload.py" restart "$docket" "$loop" "$work" --eml-dir "$work/eml" --url "$url" \
  --lists "$work/lists-all.json")"
printf '%s' "$summary" | faults_problems
field() { printf '%s' "$summary" | faults_check_json "$1"; }
faults="$(field faults)" runs="$(field runs)" crashes="$(field crashes)" failures="$(field failures)"
faults_log "$faults restarts ($(field faults_fast) fast, $(field faults_immediate) immediate), $runs commands," \
  "$(field exit75) exited 75 (database unavailable; $(field in_doubt) said it could not tell whether it was saved)," \
  "$(field retried) given again; $(field libpq_notices) with a line libpq printed before docket's sentence"

"$docket" db start >/dev/null
handover=()
while IFS= read -r manifest; do
  handover+=(--handover "$manifest")
done < <(python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))))' "$work/lists.json")
report="$(python3 "$FAULTS_DIR/check.py" "$url" --email "$work/email.json" --tokens "$work/tokens.json" \
  --moves "$work/moves.json" "${handover[@]}")"
printf '%s' "$report" | faults_problems
lost="$(printf '%s' "$report" | faults_check_json lost)"
dups="$(printf '%s' "$report" | faults_check_json duplicates)"
failures=$((failures + $(printf '%s' "$report" | faults_check_json failures)))
journal="$(faults_audit)"
faults_log "$(printf '%s' "$report" | faults_check_json expected) messages, handover rows and phone items expected;" \
  "lost $lost, duplicated $dups, other failures $failures, crashes $crashes, journal intact: $journal"
faults_result "database stopped/crashed under load" "$faults" "$runs" "$lost" "$dups" "$crashes" "$failures" "$journal"
