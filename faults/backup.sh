#!/usr/bin/env bash
# faults/backup.sh — issue 8, item 5: deploy/backup, then deploy/restore into a NEW cluster (another
# DOCKET_HOME, created for the purpose), and check that nothing is missing.
#   1. A ledger in cluster A: a handover list of 400 rows and 30 phone calls (reporters with names
#      and phones), 40 emails, some items moved along; the leader `boss` mapped to a database role of
#      their own (a reveal is never done on someone's behalf).
#   2. A hot backup (`deploy/backup DIR` while phone intakes keep committing in A), then a quiet one.
#   3. The quiet dump alone restored into new cluster B: the same references (`docket export
#      items --format json`), `docket show REF --json` identical for 5 items picked at random, the
#      same journal head, `docket audit verify` intact, faults/check.py finds every row, message and
#      call once and nothing half-written; `boss`, on their role created again in B, reveals three
#      reporters and gets what was entered; a new intake in B goes on with the next numbers.
#   4. The hot dump restored into new cluster C: a consistent snapshot (pg_dump's one transaction):
#      the journal verifies, nothing half-written, no gap, and every item in C is in A.
# Usage: faults/backup.sh   (DOCKET_BIN=PATH uses that binary; about 30 s; three throw-away homes)
set -euo pipefail
FAULTS_SCRIPT="backup"
# shellcheck source=faults/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

faults_binary
export DOCKET="$docket" # deploy/backup and deploy/restore run this binary
faults_home backup
home_a="$DOCKET_HOME"
homes=()
writer=""
faults_on_exit() {
  [[ -z "$writer" ]] || kill "$writer" 2>/dev/null || true
  local home
  for home in "${homes[@]+"${homes[@]}"}"; do
    DOCKET_HOME="$home" bench_cleanup
  done
  DOCKET_HOME="$home_a"
}
# at_home HOME COMMAND… — runs COMMAND with DOCKET_HOME=HOME.
at_home() {
  local home="$1"
  shift
  DOCKET_HOME="$home" "$@"
}
# new_home NAME — a new DOCKET_HOME in $new, to be cleaned up on exit (not called in a subshell, so
# that the list of homes to clean up keeps it).
new_home() {
  new="$(mktemp -d "/tmp/docket-faults-restore-$1.XXXXXX")"
  homes+=("$new")
}

runs=0 failures=0 crashes=0 lost=0 dups=0
fail() {
  failures=$((failures + 1))
  faults_log "FAILURE: $*"
}
# run COMMAND… — runs it, counting it; a signal is a crash, another non-zero status a failure.
run() {
  local status=0
  "$@" || status=$?
  runs=$((runs + 1))
  if ((status > 128)); then
    crashes=$((crashes + 1))
    faults_log "CRASH: $* died with status $status"
  elif ((status != 0)); then
    fail "$* exited $status"
  fi
  return 0
}

# 1. The ledger in A.
faults_office
url_a="$(faults_url)"
work="$home_a/work"
mkdir -p -- "$work"
python3 "$FAULTS_DIR/gen.py" handover "$work/list.csv" bk 400
run "$docket" import handover "$work/list.csv" --as reg --from 省委第一巡视组 --kind petition \
  --handover-date 2021-09-25 >/dev/null
python3 "$FAULTS_DIR/gen.py" maildir "$work/md" bm 40
run "$docket" intake email --as reg --maildir "$work/md" >/dev/null
faults_psql "$url_a" "CREATE ROLE faults_boss LOGIN" >/dev/null
run "$docket" staff map boss --db-role faults_boss >/dev/null
tokens=()
: >"$work/identities"
for n in $(seq 1 30); do
  token="$(printf 'F-bp-%05d' "$n")"
  tokens+=("$token")
  phone="1390000$(printf '%04d' "$n")"
  ref="$(printf '{"name": "举报人%d", "phone": "%s"}' "$n" "$phone" |
    "$docket" intake phone --as reg --kind petition --subject "来电 $token" --reporter-from - | sed -n '1p')"
  runs=$((runs + 1))
  printf '%s\t举报人%d\t%s\n' "$ref" "$n" "$phone" >>"$work/identities"
  if ((n % 3 == 0)); then
    run "$docket" accept "$ref" --as reg >/dev/null
    run "$docket" assign "$ref" --as boss --unit 第一纪检监察室 --handler h1 >/dev/null
    run "$docket" start "$ref" --as h1 >/dev/null
  fi
done
printf '%s\n' "${tokens[@]}" | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read().split()))' >"$work/tokens.json"

# 2. A hot backup while intake runs, then a quiet one.
(
  n=0
  while :; do
    n=$((n + 1))
    "$docket" intake phone --as reg --kind suggestion --subject "$(printf '热备份期间来电 F-bh-%05d' "$n")" >/dev/null 2>&1 || true
  done
) &
writer=$!
sleep 1
run "$FAULTS_REPO/deploy/backup" "$work/hot" >"$work/hot.out" 2>/dev/null
sleep 0.5
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
writer=""
run "$FAULTS_REPO/deploy/backup" "$work/quiet" >"$work/quiet.out" 2>/dev/null
hot="$(grep '\.dump$' "$work/hot.out")"
dump="$(grep '\.dump$' "$work/quiet.out")"
[[ -f "$dump" && -f "$hot" ]] || faults_die "deploy/backup did not write its dumps"
# Everything naming a reporter is sealed to the office key, which the dump holds only wrapped.
! grep -q '\.key$' "$work/hot.out" "$work/quiet.out" || fail "deploy/backup wrote a key file beside the dump"
"$docket" export items --format json --out "$work/a.json" >/dev/null
head_a="$(faults_psql "$url_a" "SELECT seq || ':' || encode(hash, 'hex') FROM journal_head")"
faults_log "A: $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/a.json") items; backed up hot and quiet"

# 3. The quiet dump into a new cluster B.
new_home b
home_b="$new"
run at_home "$home_b" "$FAULTS_REPO/deploy/restore" "$dump" 2>/dev/null
at_home "$home_b" "$docket" export items --format json --out "$work/b.json" >/dev/null
runs=$((runs + 1))
read -r missing extra twice <<<"$(python3 - "$work/a.json" "$work/b.json" <<'PY'
import collections, json, sys
a = [i["ref"] for i in json.load(open(sys.argv[1]))]
b = [i["ref"] for i in json.load(open(sys.argv[2]))]
print(len(set(a) - set(b)), len(set(b) - set(a)), sum(n - 1 for n in collections.Counter(b).values()))
PY
)"
lost=$((lost + missing))
dups=$((dups + twice))
((extra == 0)) || fail "B has $extra item(s) that A does not"
url_b="$(at_home "$home_b" faults_url)"
head_b="$(faults_psql "$url_b" "SELECT seq || ':' || encode(hash, 'hex') FROM journal_head")"
[[ "$head_a" == "$head_b" ]] || fail "journal head in B is $head_b, in A $head_a"
for ref in $(python3 -c 'import json, random, sys; print(" ".join(random.sample([i["ref"] for i in json.load(open(sys.argv[1]))], 5)))' "$work/a.json"); do
  runs=$((runs + 2))
  [[ "$("$docket" show "$ref" --json)" == "$(at_home "$home_b" "$docket" show "$ref" --json)" ]] ||
    fail "docket show $ref --json differs between A and B"
done
journal_b="$(at_home "$home_b" faults_audit)"
report="$(python3 "$FAULTS_DIR/check.py" "$url_b" --handover "$work/list.csv.json" --email "$work/md.json" \
  --tokens "$work/tokens.json")"
printf '%s' "$report" | faults_problems
lost=$((lost + $(printf '%s' "$report" | faults_check_json lost)))
dups=$((dups + $(printf '%s' "$report" | faults_check_json duplicates)))
failures=$((failures + $(printf '%s' "$report" | faults_check_json failures)))
# The leader reveals on a role of their own, created again in B (roles live in the cluster, not the dump).
faults_psql "$url_b" "CREATE ROLE faults_boss LOGIN; GRANT docket_staff TO faults_boss" >/dev/null
boss_url="${url_b/#postgresql:\/\/docket@/postgresql://faults_boss@}"
revealed=0
while IFS=$'\t' read -r ref name phone; do
  out="$(DOCKET_HOME="$home_b" DOCKET_DATABASE_URL="$boss_url" "$docket" reveal "$ref" --reason 核实举报人身份 \
    --passphrase-file "$home_a/boss.pass" 2>&1)" ||
    fail "reveal $ref in B by boss: $out"
  runs=$((runs + 1))
  if [[ "$out" == *"$name"* && "$out" == *"$phone"* ]]; then
    revealed=$((revealed + 1))
  else
    fail "reveal $ref in B did not give back the reporter entered in A"
  fi
done < <(shuf -n 3 --random-source=<(yes) "$work/identities")
next="$(at_home "$home_b" "$docket" intake phone --as reg --kind petition --subject 恢复后的来电 | sed -n '1p')"
runs=$((runs + 1))
last_a="$(faults_psql "$url_a" "SELECT last FROM reference_counters WHERE kind = 'petition' AND year = extract(year FROM now())::int")"
[[ "$next" == *"-$(printf '%05d' $((last_a + 1)))" ]] || fail "the first item registered in B is $next; A's last petition number is $last_a"
faults_log "B (quiet dump): missing $missing, extra $extra, same journal head: $([[ "$head_a" == "$head_b" ]] && echo yes || echo NO), journal intact: $journal_b, $revealed/3 reporters revealed, next number $next"

# 4. The hot dump into a new cluster C: a consistent snapshot.
new_home c
home_c="$new"
run at_home "$home_c" "$FAULTS_REPO/deploy/restore" "$hot" 2>/dev/null
url_c="$(at_home "$home_c" faults_url)"
journal_c="$(at_home "$home_c" faults_audit)"
report="$(python3 "$FAULTS_DIR/check.py" "$url_c")"
printf '%s' "$report" | faults_problems
failures=$((failures + $(printf '%s' "$report" | faults_check_json failures)))
dups=$((dups + $(printf '%s' "$report" | faults_check_json duplicates)))
at_home "$home_c" "$docket" export items --format json --out "$work/c.json" >/dev/null
runs=$((runs + 1))
read -r c_items c_extra <<<"$(python3 - "$work/a.json" "$work/c.json" <<'PY'
import json, sys
a = {i["ref"] for i in json.load(open(sys.argv[1]))}
c = [i["ref"] for i in json.load(open(sys.argv[2]))]
print(len(c), len(set(c) - a))
PY
)"
((c_extra == 0)) || fail "C (hot dump) has $c_extra item(s) that A does not"
faults_log "C (hot dump taken during intake): $c_items items, journal intact: $journal_c"

journal=yes
[[ "$journal_b" == yes && "$journal_c" == yes ]] || journal=NO
faults_log "lost $lost, duplicated $dups, other failures $failures, crashes $crashes"
faults_result "backup, restore into a new cluster" 2 "$runs" "$lost" "$dups" "$crashes" "$failures" "$journal"
