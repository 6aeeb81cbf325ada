#!/usr/bin/env bash
# bench/ledger.sh — measured on the embedded database with the release binary, each against what
# PostgreSQL's own client does in the same run (the machine is shared and noisy):
#   1. median whole-process wall time of `docket intake phone …` over 50 runs, from the public (with
#      its receipt code) and from an inspection team (none), as ratios of the median of
#      `psql -c 'select 1'` on the same database, interleaved run by run (targets ≤ 1.5 × and ≤ 1.3 ×);
#   2. median wall time of `docket list --json` over a ledger of 10,000 items (target ≤ 300 ms), and
#      as a ratio of psql copying the same rows out as text, interleaved (target ≤ 3 ×).
# Usage: bench/ledger.sh [RUNS_FOR_LIST]   (builds with deploy/setup; uses a throw-away DOCKET_HOME;
# DOCKET_BIN=PATH runs that release binary instead and builds nothing, to compare two builds)
set -euo pipefail
repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd -- "$repo"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_binary bench/ledger.sh
list_runs="${1:-20}"

export DOCKET_HOME="$(mktemp -d /tmp/docket-bench.XXXXXX)"
trap bench_cleanup EXIT
bench_init
"$docket" staff add reg --name 登记员 --role registrar >/dev/null

python3 - "$docket" "$list_runs" <<'PY'
import json, os, statistics, subprocess, sys, time
docket, list_runs = sys.argv[1], int(sys.argv[2])

def timed(args):
    start = time.perf_counter()
    subprocess.run([docket] + args, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

url = json.loads(subprocess.run([docket, "db", "status", "--json"], check=True, capture_output=True).stdout)["url"]

def intake(i, source):
    return ["intake", "phone", "--as", "reg", "--kind", "accusation", "--source", source,
            "--subject", f"反映问题{i}", "--caller", f"1380013{i:04d}", "--reporter-name", "张某",
            "--accused", "王某", "--accused-unit", "市公安局", "--duration", "3:20"]

def timed_psql():
    start = time.perf_counter()
    subprocess.run(["psql", "-X", "-q", "-d", url, "-c", "select 1"], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

public, internal, psql = [], [], []
for i in range(50):
    psql.append(timed_psql())
    public.append(timed(intake(i, "public")))
    internal.append(timed(intake(1000 + i, "inspection")))
base = statistics.median(psql)
print(f"psql -c 'select 1': median {base:.1f} ms over {len(psql)} runs")
for name, runs, target in [("public, with receipt code", public, 1.5), ("inspection, no receipt", internal, 1.3)]:
    median = statistics.median(runs)
    print(f"intake phone ({name}): median {median:.1f} ms over {len(runs)} runs "
          f"(min {min(runs):.1f}, max {max(runs):.1f}) = {median / base:.2f} × psql; target ≤ {target} ×")

# Grow the ledger to 10,000 items through the real intake path's schema (bulk SQL for speed).
subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", """
INSERT INTO items (ref, kind, source, channel, subject, summary, category, reporter_kind, received_at,
                   state, state_since, registered_by, last_event_at)
SELECT format('2020-XF-%s', lpad(g::text, 5, '0')), 'petition', 'inspection', 'handover',
       '反映征地拆迁补偿不到位问题' || g, '内容摘要' || g, '巡视移交信访', 'anonymous',
       timestamptz '2020-01-01' + g * interval '40 minutes', 'registered',
       timestamptz '2020-01-01' + g * interval '40 minutes', 1,
       timestamptz '2020-01-01' + g * interval '40 minutes'
FROM generate_series(1, 9900) g;
INSERT INTO accused (item_id, position, name, unit_name, rank)
SELECT id, 1, '某某', '某镇', '干部' FROM items WHERE ref LIKE '2020-XF-%';
ANALYZE;
"""], check=True)
count = len(json.loads(subprocess.run([docket, "list", "--json"], check=True, capture_output=True).stdout))
# The baseline: psql copying out the rows the list reads (the item's columns with its unit, handler,
# duplicate and registrar, and its accused as JSON), in the list's order, as text.
same_rows = """copy (
SELECT i.id, i.ref, i.kind, i.source, i.channel, i.subject, i.summary, i.category, i.reporter_kind,
  i.received_at, i.state, i.state_since, i.unit_id, u.name AS unit_name, i.handler_id,
  h.login AS handler_login, i.duplicate_of, d.ref AS duplicate_of_ref, i.forwarded_to, i.disposal,
  i.disposal_approved_by, i.finding, i.false_accusation, i.hold_until::text, i.channel_details::text,
  r.login AS registered_by, i.last_event_at, i.clocks_through, i.version,
  (SELECT json_agg(json_build_array(a.name, a.unit_id, a.unit_name, a.rank) ORDER BY a.position)
     FROM accused a WHERE a.item_id = i.id)::text AS accused
FROM items i LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN staff h ON h.id = i.handler_id
LEFT JOIN items d ON d.id = i.duplicate_of JOIN staff r ON r.id = i.registered_by
ORDER BY i.received_at, i.id) to stdout"""

def timed_copy():
    start = time.perf_counter()
    subprocess.run(["psql", "-X", "-q", "-d", url, "-c", same_rows], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

runs, copies = [], []
for _ in range(list_runs):
    runs.append(timed(["list", "--json"]))
    copies.append(timed_copy())
median, copy_median = statistics.median(runs), statistics.median(copies)
print(f"list --json over {count} items: median {median:.1f} ms over {list_runs} runs "
      f"(min {min(runs):.1f}, max {max(runs):.1f}); target ≤ 300 ms")
print(f"  psql copying the same rows out: median {copy_median:.1f} ms; list --json = {median / copy_median:.2f} × "
      f"that; target ≤ 3 ×")
PY
