#!/usr/bin/env bash
# faults/crash-intake.sh — issue 8, item 1: kill -9 an intake in the middle, many times, and check that
# a rerun leaves every message or row in the database exactly once.
#   maildir   `docket intake email --as reg --maildir DIR` over a new Maildir each round
#   mbox      `docket intake email --as reg --mbox FILE` over a new mbox each round
#   handover  `docket import handover FILE --as reg --from 省委第一巡视组 --kind petition …` (one COPY in
#             one transaction) over a new list each round
# Round 0 runs untouched and sets the size of a round's input, so that about 25 rounds fit in SECONDS.
# Each later round starts the command, sleeps a random time spread over the whole length of a run
# (0 to 1.2 × its measured time: start-up, parsing, each commit, the move to cur/), sends SIGKILL, then
# runs the same command again to completion. At the end every input is offered once more (it must
# create nothing), then faults/check.py counts every message/row by its token (lost, duplicated),
# half-written items (no `registered` event, an email item without its message, a batch without its
# items or event), reference numbers that repeat or leave a gap, and `docket audit verify` must say
# the journal's chain is intact. Exit statuses other than our kill's 137 or 0 are counted: crashes
# (another signal, a Swift trap) and failures (1, 65, 75 …).
# Usage: faults/crash-intake.sh maildir|mbox|handover [SECONDS]   (default 60; DOCKET_BIN=PATH uses
# that binary, else it builds with deploy/setup; a throw-away DOCKET_HOME, removed at the end)
set -euo pipefail
FAULTS_SCRIPT="crash-intake"
# shellcheck source=faults/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

kind="${1:-}"
budget="${2:-60}"
case "$kind" in
  maildir | mbox | handover) ;;
  *) faults_die "usage: faults/crash-intake.sh maildir|mbox|handover [SECONDS]" 64 ;;
esac
[[ "$budget" =~ ^[1-9][0-9]*$ ]] || faults_die "SECONDS must be a whole number, not $budget" 64
FAULTS_SCRIPT="crash-intake $kind"
started="$(faults_now)"
deadline="$(python3 -c "print($started + $budget)")"

faults_binary
faults_home "crash-$kind"
faults_office
url="$(faults_url)"
work="$DOCKET_HOME/work"
mkdir -p -- "$work"

# input ROUND COUNT — writes round ROUND's input of COUNT messages or rows; prints its path.
input() {
  local round="$1" count="$2" tag
  tag="$(printf '%s%d' "${kind:0:2}" "$round")"
  case "$kind" in
    maildir) python3 "$FAULTS_DIR/gen.py" maildir "$work/md$round" "$tag" "$count" && echo "$work/md$round" ;;
    mbox) python3 "$FAULTS_DIR/gen.py" mbox "$work/r$round.mbox" "$tag" "$count" && echo "$work/r$round.mbox" ;;
    handover) python3 "$FAULTS_DIR/gen.py" handover "$work/r$round.csv" "$tag" "$count" && echo "$work/r$round.csv" ;;
  esac
}

# command_for PATH — the intake command over PATH, as an array in `cmd`.
command_for() {
  case "$kind" in
    maildir) cmd=("$docket" intake email --as reg --maildir "$1") ;;
    mbox) cmd=("$docket" intake email --as reg --mbox "$1") ;;
    handover)
      cmd=("$docket" import handover "$1" --as reg --from 省委第一巡视组 --kind petition
        --handover-date 2021-09-25)
      ;;
  esac
}

kills=0 runs=0 crashes=0 failures=0 finished_early=0
# judge WHAT STATUS STDERR_FILE — counts an exit status that is neither 0 nor our kill's 137.
judge() {
  local what="$1" status="$2" err="$3"
  case "$status" in
    0 | 137) return 0 ;;
  esac
  if ((status > 128)); then
    crashes=$((crashes + 1))
    faults_log "CRASH: $what died with status $status: $(tail -c 600 "$err" | tr '\n' ' ')"
  else
    failures=$((failures + 1))
    faults_log "FAILURE: $what exited $status: $(tail -c 600 "$err" | tr '\n' ' ')"
  fi
}

manifests=()
err="$work/stderr"

# Round 0: untouched, to measure (twice: the first run also warms the caches).
# A list of a few thousand rows already spans parsing, the COPY and the journal; more would only make
# the ledger (and the checks) big.
case "$kind" in
  handover) size=2000 grow=2 ;;
  *) size=60 grow=10 ;;
esac
# untouched ROUND — runs round ROUND's input of $size to completion; sets `took` (seconds).
untouched() {
  local path t0 t1 status=0
  path="$(input "$1" "$size")"
  manifests+=("$path.json")
  command_for "$path"
  t0="$(faults_now)"
  "${cmd[@]}" >/dev/null 2>"$err" || status=$?
  t1="$(faults_now)"
  runs=$((runs + 1))
  judge "round $1 (not killed)" "$status" "$err"
  took="$(python3 -c "print(max($t1 - $t0, 0.05))")"
}
untouched 0
# The size that makes a whole run last about budget / 25 / 3 s (a round is its input, the killed run, the
# rest and the checks), between half and $grow times the first size.
size="$(python3 -c "print(int(min(max($size * min(max($budget / 25 / 3, 0.4), 3.0) / $took, $size / 2), $size * $grow)))")"
untouched 1
full="$took"
faults_log "an untouched run of $size takes $(python3 -c "print(f'{$full:.2f}')") s; each round's kill comes 0 to that after its start"
max_ms="$(python3 -c "print(int($full * 1000))")"

round=1
while :; do
  now="$(faults_now)"
  # The rounds stop early enough for the end: every input offered again, and the checks.
  python3 -c "import sys; sys.exit(0 if $now + 2.2 * $full + 2 + 0.18 * $budget < $deadline else 1)" || break
  round=$((round + 1))
  path="$(input "$round" "$size")"
  manifests+=("$path.json")
  command_for "$path"
  delay_ms=$((RANDOM * 32768 + RANDOM))
  delay_ms=$((delay_ms % (max_ms + 1)))
  status=0
  "${cmd[@]}" >/dev/null 2>"$err" &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || status=$?
  runs=$((runs + 1))
  if ((status == 137)); then
    kills=$((kills + 1))
  else
    finished_early=$((finished_early + 1))
  fi
  judge "round $round (killed after ${delay_ms} ms)" "$status" "$err"
  # The rerun, to completion.
  status=0
  "${cmd[@]}" >/dev/null 2>"$err" || status=$?
  runs=$((runs + 1))
  judge "round $round rerun" "$status" "$err"
  if [[ "$kind" == maildir ]] && [[ -n "$(find "$path/new" -type f)" ]]; then
    failures=$((failures + 1))
    faults_log "FAILURE: round $round: the rerun left $(find "$path/new" -type f | wc -l) message(s) in new/"
  fi
done
faults_log "$((round - 1)) rounds: $kills killed mid-run, $finished_early finished before the kill"

# Everything offered once more: nothing may be created.
before="$(faults_psql "$url" "SELECT count(*) FROM items")"
for manifest in "${manifests[@]}"; do
  path="${manifest%.json}"
  if [[ "$kind" == maildir ]]; then
    # Delivered again (as a fetcher that lost its state would): the files back in new/.
    find "$path/cur" -type f -exec sh -c 'for f; do b="${f##*/}"; mv -- "$f" "${f%/cur/*}/new/${b%%:*}"; done' sh {} +
  fi
  command_for "$path"
  status=0
  "${cmd[@]}" >/dev/null 2>"$err" || status=$?
  runs=$((runs + 1))
  judge "offering $(basename -- "$path") again" "$status" "$err"
done
after="$(faults_psql "$url" "SELECT count(*) FROM items")"
if [[ "$before" != "$after" ]]; then
  failures=$((failures + 1))
  faults_log "FAILURE: offering every input again made $((after - before)) new item(s)"
fi

args=()
for manifest in "${manifests[@]}"; do
  case "$kind" in
    handover) args+=(--handover "$manifest") ;;
    *) args+=(--email "$manifest") ;;
  esac
done
report="$(python3 "$FAULTS_DIR/check.py" "$url" "${args[@]}")"
printf '%s' "$report" | faults_problems
lost="$(printf '%s' "$report" | faults_check_json lost)"
dups="$(printf '%s' "$report" | faults_check_json duplicates)"
failures=$((failures + $(printf '%s' "$report" | faults_check_json failures)))
expected="$(printf '%s' "$report" | faults_check_json expected)"
journal="$(faults_audit)"
faults_log "$expected $( [[ "$kind" == handover ]] && echo rows || echo messages ) in ${#manifests[@]} inputs; lost $lost, duplicated $dups, other failures $failures, crashes $crashes, journal intact: $journal"
faults_log "done in $(python3 -c "print(round($(faults_now) - $started))") s"
faults_result "kill -9 during $kind intake" "$kills" "$runs" "$lost" "$dups" "$crashes" "$failures" "$journal"
