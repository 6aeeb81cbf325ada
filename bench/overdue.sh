#!/usr/bin/env bash
# bench/overdue.sh — issue 3's target: median whole-process wall time of `docket overdue --json` over
# N open items (default 100,000; target ≤ 1 s), on the embedded database with the release binary.
# Items and their journals (registered, accepted, assigned, started) are generated with SQL, spread
# over 2021–2026, in ten units; `docket db migrate` then works out their clock facts from the journals,
# as it does for items registered before docket kept them (its time is printed too).
# Usage: bench/overdue.sh [ITEMS] [RUNS]   (builds with deploy/setup; DOCKET_BIN=PATH runs that release binary instead)
set -euo pipefail
repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd -- "$repo"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_binary bench/overdue.sh
items="${1:-100000}"
runs="${2:-5}"

export DOCKET_HOME="$(mktemp -d /tmp/docket-bench.XXXXXX)"
trap bench_cleanup EXIT
bench_init
for u in $(seq 1 10); do "$docket" unit add "单位$u" >/dev/null; done
url="$("$docket" db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')"

bench_step "generating $items open items and their journals" psql -X -q -v ON_ERROR_STOP=1 -v n="$items" -d "$url" <<'SQL'
-- A bench database only: journal rows are inserted without the hash chain, which `audit verify` would reject.
INSERT INTO items (ref, kind, source, channel, subject, category, reporter_kind, reporter_sealed,
                   received_at, state, state_since, unit_id, registered_by, last_event_at)
SELECT format('B-%s', g), (ARRAY['accusation','petition','clue'])[g % 3 + 1], 'public', 'letter',
       '反映问题' || g, '类别', CASE WHEN g % 2 = 0 THEN 'anonymous' ELSE 'real_name' END,
       CASE WHEN g % 2 = 0 THEN NULL ELSE '\x00'::bytea END,
       timestamptz '2021-01-04 09:00+08' + (g % 1800) * interval '1 day', 'handling',
       timestamptz '2021-01-06 09:00+08' + (g % 1800) * interval '1 day', g % 10 + 1, 1,
       timestamptz '2021-01-06 09:00+08' + (g % 1800) * interval '1 day'
FROM generate_series(1, :n) g;
INSERT INTO journal (seq, item_id, actor, event, effective_at, recorded_at, payload, prev_hash, hash)
SELECT row_number() OVER (ORDER BY i.id, e.n) + 1000, i.id, 'admin', e.event,
       i.received_at + e.n * interval '6 hours', now(), e.payload, '\x00', '\x00'
FROM items i CROSS JOIN (VALUES
  (0, 'registered', '{"kind":"clue"}'),
  (1, 'accept', '{"from":"registered","to":"accepted"}'),
  (2, 'assign', '{"from":"accepted","to":"assigned"}'),
  (3, 'start', '{"from":"assigned","to":"handling"}')) AS e(n, event, payload);
SQL
start=$(date +%s.%N)
"$docket" db migrate >&2
echo "db migrate (clock facts of $items items): $(python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])):.1f} s')" "$start" "$(date +%s.%N)")"
psql -X -q -d "$url" -c 'VACUUM ANALYZE'

python3 - "$docket" "$runs" "$items" <<'PY'
import statistics, subprocess, sys, time
docket, runs, items = sys.argv[1], int(sys.argv[2]), sys.argv[3]
times, size = [], 0
for _ in range(runs):
    start = time.perf_counter()
    out = subprocess.run([docket, "overdue", "--json"], check=True, capture_output=True).stdout
    times.append((time.perf_counter() - start) * 1000)
    size = len(out)
print(f"overdue --json over {items} open items: median {statistics.median(times):.0f} ms over {runs} runs "
      f"(min {min(times):.0f}, max {max(times):.0f}; {size} bytes); target ≤ 1000 ms")
PY
