#!/usr/bin/env bash
# bench/report.sh — issue 6's target: median whole-process wall time of `docket report monthly --json`
# and of `docket report monthly --by unit --json` (December 2025) over N items (default 1,000,000;
# target ≤ 500 ms at 1,000,000 items, ≤ 2 s at 10,000,000), on the embedded database with the
# release binary. Items are generated with SQL, received evenly from 2021-01-01 to 2025-12-31 (+08) in
# ten units, with a fixed mix of kinds, sources, channels and categories, and journals to match: about
# 97% accepted, assigned and started; about 90% of those older than a few months disposed (clues and
# accusations), concluded and closed 5 to 120 days after receipt (recent ones less often); about 2% of
# the closed reopened. `docket db migrate` then works out their clock facts and report periods from
# the journals, as it does for items registered before docket kept them (its time is printed too).
# Usage: bench/report.sh [ITEMS] [RUNS]   (builds with deploy/setup; DOCKET_BIN=PATH runs that release binary instead)
set -euo pipefail
repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd -- "$repo"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_binary bench/report.sh
items="${1:-1000000}"
runs="${2:-5}"

export DOCKET_HOME="$(mktemp -d /tmp/docket-bench.XXXXXX)"
# DOCKET_BENCH_KEEP=1 leaves the database (and says where) for looking into a slow query.
if [[ "${DOCKET_BENCH_KEEP:-}" == 1 ]]; then
  trap 'echo "kept: DOCKET_HOME=$DOCKET_HOME" >&2' EXIT
else
  trap bench_cleanup EXIT
fi
bench_init
for u in $(seq 1 10); do "$docket" unit add "单位$u" >/dev/null; done
url="$("$docket" db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')"

start=$(date +%s.%N)
bench_step "generating $items items and their journals" psql -X -q -v ON_ERROR_STOP=1 -v n="$items" -d "$url" <<'SQL'
-- A bench database only: journal rows are inserted without the hash chain, which `audit verify` would reject.
SET work_mem = '256MB';
-- What happens to each item, decided from g alone (so every run builds the same ledger). Each
-- dimension draws on its own hash of g, (g × a prime) mod 10007, so that none follows another.
CREATE TEMP TABLE plan AS
WITH base AS (
  SELECT g,
         -- Evenly over 2021-01-01 00:00 to 2025-12-31 24:00, Beijing time (1826 days).
         timestamptz '2021-01-01 00:00+08'
           + floor((g - 1) * (1826 * 86400.0 / :n)) * interval '1 second' AS received_at,
         (g::bigint * 7919) % 10007 AS h_kind, (g::bigint * 104729) % 10007 AS h_source,
         (g::bigint * 15485863) % 10007 AS h_channel, (g::bigint * 32452843) % 10007 AS h_category,
         (g::bigint * 49979687) % 10007 AS h_unit, (g::bigint * 86028121) % 10007 AS h_accept,
         (g::bigint * 122949829) % 10007 AS h_close, (g::bigint * 160481219) % 10007 AS h_lag,
         (g::bigint * 179424673) % 10007 AS h_reopen
  FROM generate_series(1, :n) g
), drawn AS (
  SELECT g, received_at,
         CASE WHEN h_kind % 100 < 35 THEN 'accusation' WHEN h_kind % 100 < 65 THEN 'petition'
              WHEN h_kind % 100 < 85 THEN 'clue' WHEN h_kind % 100 < 95 THEN 'appeal'
              ELSE 'suggestion' END AS kind,
         CASE WHEN h_source % 100 < 72 THEN 'public' WHEN h_source % 100 < 84 THEN 'inspection'
              WHEN h_source % 100 < 93 THEN 'superior' ELSE 'transfer' END AS source,
         CASE WHEN h_channel % 100 < 28 THEN 'letter' WHEN h_channel % 100 < 40 THEN 'visit'
              WHEN h_channel % 100 < 55 THEN 'phone' WHEN h_channel % 100 < 62 THEN 'email'
              WHEN h_channel % 100 < 92 THEN 'online' ELSE 'handover' END AS channel,
         (ARRAY['涉警问题','涉黑涉恶','违规吃喝','土地征收','工程建设','扶贫领域','教育医疗','生态环境',
                '选人用人','作风问题','信访维稳','其他'])[h_category % 12 + 1] AS category,
         (h_unit % 10 + 1)::integer AS unit,
         (5 + h_lag % 116) * interval '1 day' AS lag,
         -- Accepted unless one in about 33; still registered if received in the year's last hours.
         h_accept % 100 < 97 AND received_at + interval '26 hours' < timestamptz '2026-01-01 00:00+08'
           AS accepted,
         h_close % 100 < 92 AS would_close,
         h_reopen % 50 = 0 AS would_reopen
  FROM base
)
SELECT g, format('R-%s', g) AS ref, received_at, kind, source, channel, category, lag,
       CASE WHEN accepted THEN unit END AS unit,
       accepted,
       -- Closed when its lag has passed by the end of 2025: recent items are still being worked.
       accepted AND would_close AND received_at + lag < timestamptz '2026-01-01 00:00+08' AS closed,
       accepted AND would_close AND would_reopen
         AND received_at + lag + interval '10 days' < timestamptz '2026-01-01 00:00+08' AS reopened
FROM drawn;

INSERT INTO items (ref, kind, source, channel, subject, category, reporter_kind, reporter_sealed,
                   received_at, state, state_since, unit_id, handler_id, registered_by, last_event_at,
                   disposal, disposal_approved_by, finding)
SELECT ref, kind, source, channel, format('反映%s问题%s', category, g), category,
       CASE WHEN g % 2 = 0 THEN 'anonymous' ELSE 'real_name' END,
       CASE WHEN g % 2 = 0 THEN NULL ELSE '\x00'::bytea END,
       received_at, s.state, s.since, unit, NULL, 1, s.since,
       CASE WHEN closed AND kind IN ('clue', 'accusation') THEN 'close_off' END,
       CASE WHEN closed AND NOT reopened AND kind IN ('clue', 'accusation') THEN 1 END,
       CASE WHEN closed AND NOT reopened THEN
         CASE WHEN kind = 'petition' THEN 'explain' ELSE 'unsubstantiated' END END
FROM plan,
LATERAL (SELECT CASE WHEN reopened THEN 'handling' WHEN closed THEN 'closed'
                     WHEN accepted THEN 'handling' ELSE 'registered' END AS state,
                CASE WHEN reopened THEN received_at + lag + interval '10 days'
                     WHEN closed THEN received_at + lag
                     WHEN accepted THEN received_at + interval '1 day 2 hours'
                     ELSE received_at END AS since) s
ORDER BY g;

CREATE TEMP TABLE planned AS SELECT i.id AS item_id, p.* FROM plan p JOIN items i USING (ref);

-- Each item's events, strictly later one after another; seq follows effective time, as it would.
INSERT INTO journal (seq, item_id, actor, event, effective_at, recorded_at, payload, prev_hash, hash)
SELECT row_number() OVER (ORDER BY e.at, e.item_id, e.n) + 1000, e.item_id, 'admin', e.event, e.at, now(),
       e.payload, '\x00', '\x00'
FROM (
  SELECT item_id, 0, 'registered', received_at, format('{"kind":"%s"}', kind) FROM planned
  UNION ALL
  SELECT item_id, 1, 'accept', received_at + interval '2 hours', '{"from":"registered","to":"accepted"}'
  FROM planned WHERE accepted
  UNION ALL
  SELECT item_id, 2, 'assign', received_at + interval '1 day',
         format('{"from":"accepted","to":"assigned","unit":"单位%s"}', unit)
  FROM planned WHERE accepted
  UNION ALL
  SELECT item_id, 3, 'start', received_at + interval '1 day 2 hours', '{"from":"assigned","to":"handling"}'
  FROM planned WHERE accepted
  UNION ALL
  -- Only clues and accusations take a disposal (DocketCore's Kind.takesDisposal).
  SELECT item_id, 4, 'dispose', received_at + lag - interval '2 days',
         '{"approved":"true","disposal":"close_off","from":"handling","to":"handling"}'
  FROM planned WHERE closed AND kind IN ('clue', 'accusation')
  UNION ALL
  SELECT item_id, 5, 'conclude', received_at + lag - interval '1 day',
         format('{"finding":"%s","from":"handling","to":"concluded"}',
                CASE WHEN kind = 'petition' THEN 'explain' ELSE 'unsubstantiated' END)
  FROM planned WHERE closed
  UNION ALL
  SELECT item_id, 6, 'close', received_at + lag, '{"from":"concluded","to":"closed"}'
  FROM planned WHERE closed
  UNION ALL
  SELECT item_id, 7, 'reopen', received_at + lag + interval '10 days',
         '{"from":"closed","reason":"异议","to":"handling"}'
  FROM planned WHERE reopened
) AS e(item_id, n, event, at, payload);
ANALYZE;
SQL
seconds() { python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])):.1f} s')" "$1" "$(date +%s.%N)"; }
echo "generated $items items and their journals: $(seconds "$start")"
start=$(date +%s.%N)
"$docket" db migrate >&2
echo "db migrate (clock facts and report periods of $items items): $(seconds "$start")"
psql -X -q -d "$url" -c 'VACUUM ANALYZE'

python3 - "$docket" "$runs" "$items" <<'PY'
import json, statistics, subprocess, sys, time
docket, runs, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for by in ([], ["--by", "unit"]):
    args = ["report", "monthly", "--month", "2025-12"] + by + ["--json"]
    times, first = [], None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([docket] + args, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.stderr.write(done.stderr.decode(errors="replace"))
            done.check_returncode()
        out = done.stdout
        if first is None:
            first = json.loads(out)
    totals = first["totals"]
    label = " ".join(["report monthly"] + by + ["--json"])
    # The issue's targets: 500 ms at a million items, 2 s at ten million; none in between is stated.
    target = ("target ≤ 500 ms" if items <= 1_000_000 else "target ≤ 2 s" if items <= 10_000_000
              else "no stated target")
    print(f"{label} over {items} items: median {statistics.median(times):.0f} ms over {runs} runs "
          f"(min {min(times):.0f}, max {max(times):.0f}); {target}")
    print(f"  first run: cohort {first['cohort']}, cohort_received {totals['cohort_received']}, "
          f"closure_rate {totals['closure_rate']}, received {totals['received']}, closed {totals['closed']}, "
          f"open_at_end {totals['open_at_end']}, overdue_at_end {totals['overdue_at_end']}, "
          f"{len(first['groups'])} group(s)")
PY
