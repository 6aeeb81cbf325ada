#!/usr/bin/env bash
# faults/concurrency.sh — issue 8, item 3: several docket processes at once (default 6 workers, each
# one command at a time) register items and move and close them for SECONDS (default 45); see
# faults/workload.py concurrency. The most recent petitions are moved most often, so that two
# processes often move the same item at the same moment; the loser must be refused ("changed
# meanwhile", or the state no longer allows the move), never both applied. Afterwards
# faults/check.py finds every registered item once, each item's journal holding exactly the moves
# that exited 0, chained from → to and ending in the item's state, its version one more than its
# moves (no lost update), and reference numbers unique and gap-free per year and kind (numbers are
# taken from a counter row locked until commit, so a rolled-back registration gives its number
# back); `docket audit verify`, also run now and then during the writes, must say the chain is intact.
# Usage: faults/concurrency.sh [SECONDS] [WORKERS]   (DOCKET_BIN=PATH uses that binary)
set -euo pipefail
FAULTS_SCRIPT="concurrency"
# shellcheck source=faults/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

budget="${1:-45}"
workers="${2:-6}"
[[ "$budget" =~ ^[1-9][0-9]*$ && "$workers" =~ ^[1-9][0-9]*$ ]] ||
  faults_die "usage: faults/concurrency.sh [SECONDS] [WORKERS]" 64

faults_binary
faults_home concurrency
faults_office
url="$(faults_url)"
work="$DOCKET_HOME/work"
mkdir -p -- "$work"

loop=$((budget > 15 ? budget - 6 : budget))
faults_log "$workers processes registering, moving and closing at once for ${loop} s"
summary="$(python3 "$FAULTS_DIR/workload.py" concurrency "$docket" "$loop" "$work" --workers "$workers")"
printf '%s' "$summary" | faults_problems
field() { printf '%s' "$summary" | faults_check_json "$1"; }
collisions="$(field collisions)" runs="$(field runs)" crashes="$(field crashes)" failures="$(field failures)"
moved="$(python3 -c 'import json, sys; print(sum(map(len, json.load(open(sys.argv[1])).values())))' "$work/moves.json")"
faults_log "$runs commands: $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/tokens.json") registrations, $moved moves done, $collisions refused because another process got there first ($(field exit75) of them exit 75: a deadlock or serialization failure, to retry)"

report="$(python3 "$FAULTS_DIR/check.py" "$url" --tokens "$work/tokens.json" --moves "$work/moves.json")"
printf '%s' "$report" | faults_problems
lost="$(printf '%s' "$report" | faults_check_json lost)"
dups="$(printf '%s' "$report" | faults_check_json duplicates)"
failures=$((failures + $(printf '%s' "$report" | faults_check_json failures)))
journal="$(faults_audit)"
faults_log "lost $lost, duplicated $dups, other failures $failures (lost updates, gaps), crashes $crashes, journal intact: $journal"
faults_result "$workers processes at once" "$collisions" "$runs" "$lost" "$dups" "$crashes" "$failures" "$journal"
