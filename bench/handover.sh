#!/usr/bin/env bash
# bench/handover.sh — the handover import's targets (issue 19's), measured on the embedded database with the release binary,
# over a generated handover list (移交清单) of ROWS rows (default 200,000) as an inspection team's Excel
# export writes it: UTF-8 with a BOM, CRLF, a header row of 序号, 来信日期, 反映人, 联系电话, 被反映人, 单位,
# 职务, 问题类别, 内容摘要; dates 2021-01-04 to 2021-09-17 (2021-03-05, some 2021/3/5), about 60%
# anonymous, summaries of 60–300 characters, some quoted for their commas and quotes, a few with a line
# break inside (its size is printed first). Then:
#   1. baseline: psql's `\copy … (FORMAT csv, HEADER true)` of the same list (its BOM stripped
#      beforehand, untimed) into a plain table of nine text columns, TRUNCATEd between runs: median
#      whole-process wall time of RUNS, in rows/second;
#   2. `docket import handover FILE --as reg --from 省委第一巡视组 --kind petition --json`: median
#      whole-process wall time of RUNS, in rows/second (target ≥ 40% of plain \copy's rate), and its
#      peak resident memory from /usr/bin/time (target < 500 MB). A batch is (source, handover date,
#      file's SHA-256), so run k imports the same file handed over on 2021-09-20 + k days; each run
#      adds ROWS items, so later runs import into a bigger ledger;
#   3. afterwards `docket audit verify` must pass (the journal's hash chain holds), its median of 3 in
#      events/second (target ≥ 100,000) and against psql copying the same rows out; and
#      `docket list --batch B --json` must give ROWS items for the first run's batch B;
#   4. the rows docket wrote per list row (items, journal, accused, closed periods; target at most 4)
#      and their index entries, and docket's rate as rows written per second against \copy's.
# Usage: bench/handover.sh [ROWS] [RUNS]   (default 200000 3; builds with deploy/setup and uses a
# throw-away DOCKET_HOME, the list inside it; DOCKET_BIN=PATH runs that binary instead and builds
# nothing, e.g. DOCKET_BIN=.build/debug/docket to check the plumbing — a debug build's times mean nothing)
set -euo pipefail
repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd -- "$repo"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_binary bench/handover.sh
rows="${1:-200000}"
runs="${2:-3}"
[[ "$rows" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] || {
  echo "usage: [DOCKET_BIN=PATH] bench/handover.sh [ROWS] [RUNS] (whole numbers)" >&2
  exit 64
}
[[ -x /usr/bin/time ]] || { echo "bench/handover.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 69; }

export DOCKET_HOME="$(mktemp -d /tmp/docket-bench.XXXXXX)"
trap bench_cleanup EXIT
list="$DOCKET_HOME/移交清单.csv"
plain="$DOCKET_HOME/移交清单-nobom.csv"

# The list: deterministic (seeded), written as Excel's "CSV UTF-8" export writes it — a BOM, CRLF
# between records, a cell's own line break (Alt+Enter) as a bare LF inside its quotes.
python3 - "$list" "$rows" <<'PY'
import csv, datetime, os, random, sys
from progress import Progress
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20210920)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志海燕红梅文博俊轩浩然欣怡德福贵生春林玉凤清"
# Units with the posts their people hold.
BUREAU = ["科员", "副科长", "科长", "副局长", "局长", "办公室主任"]
UNITS = [("市公安局", ["民警", "所长", "副所长", "大队长", "副局长", "科员"]),
         ("市公安局交警支队", ["民警", "中队长", "大队长", "副支队长"]), ("市自然资源局", BUREAU + ["所长"]),
         ("市住房和城乡建设局", BUREAU), ("市教育局", BUREAU), ("市卫生健康委员会", ["科员", "科长", "副主任"]),
         ("市人民医院", ["医生", "科主任", "副院长", "院长"]), ("市交通运输局", BUREAU + ["站长"]),
         ("市水利局", BUREAU + ["站长"]), ("市农业农村局", BUREAU + ["站长"]), ("市市场监督管理局", BUREAU + ["所长"]),
         ("市生态环境局", BUREAU), ("市民政局", BUREAU), ("市医疗保障局", BUREAU), ("市财政局", BUREAU),
         ("市城市管理综合执法局", ["队员", "中队长", "大队长", "副局长"]),
         ("城关镇人民政府", ["科员", "副镇长", "镇长", "党委书记"]), ("河西乡人民政府", ["科员", "副乡长", "乡长"]),
         ("东城街道办事处", ["科员", "副主任", "主任"]), ("新安镇李家村村民委员会", ["党支部书记", "村委会主任", "会计"]),
         ("市城市建设投资集团有限公司", ["部门经理", "副总经理", "总经理"])]
CATEGORIES = [("涉警问题", 14), ("涉黑涉恶", 8), ("违规吃喝", 12), ("土地征收", 18), ("工程建设", 16),
              ("扶贫领域", 14), ("其他", 18)]
PLACES = ["城关镇", "河西乡", "东城街道", "新安镇", "柳林镇", "石桥乡", "南湖街道", "青山镇", "白马乡", "五里铺镇"]
VILLAGES = ["李家村", "王庄村", "红旗村", "三里屯社区", "柳树湾村", "张家沟村", "前进村", "河口村", "杨树林村"]
PROJECTS = ["道路硬化工程", "危房改造项目", "高标准农田建设项目", "饮水安全工程", "棚户区改造项目", "河道治理工程",
            "村级活动场所修缮工程", "老旧小区改造工程", "污水管网建设工程"]
FUNDS = ["低保资金", "征地补偿款", "扶贫资金", "粮食直补资金", "危房改造补助", "土地流转收入", "退耕还林补助"]
BY_CATEGORY = {
    "涉警问题": ["{name}在办理{place}一起治安案件时，收受当事人家属好处费{amount}万元，违规撤案。",
             "{unit}{post}{name}长期为辖区内赌博场所充当“保护伞”，每逢检查提前通风报信。",
             "{name}酒后驾驶警车发生事故，事后由他人顶包，单位未作任何处理。"],
    "涉黑涉恶": ["{place}有人以{name}为首，长期垄断砂石运输，强迫村民低价出让土地，群众敢怒不敢言。",
             "{name}纠集社会闲散人员在{village}强揽工程，对不服从的村民进行殴打恐吓。",
             "有知情人反映，{name}与当地黑恶势力来往密切，多次为其打招呼、说情。"],
    "违规吃喝": ["{unit}{post}{name}多次在{place}一家农家乐接受管理对象宴请，饮用高档白酒。",
             "今年{month}月，{unit}以“调研”为名到下属单位吃喝，费用以会议费名义报销。",
             "{name}在工作日中午饮酒，下午上班时满身酒气，群众办事时态度恶劣。"],
    "土地征收": ["{village}{year}年被征收土地{mu}亩，{fund}至今未足额发放到户，群众多次讨要无果。",
             "{name}在征地过程中虚报地上附着物，套取{fund}{amount}万元。",
             "{place}在未经批准的情况下强行征收{village}集体土地，补偿标准明显低于规定。"],
    "工程建设": ["{project}质量低劣，完工不到半年就出现大面积开裂，验收时存在明显弄虚作假。",
             "{name}的亲属{name2}没有资质，却连续三年承包了{place}的{project}。",
             "该{project}招投标过程中存在围标串标问题，中标单位早已内定，{name}从中收受好处。"],
    "扶贫领域": ["{village}的{fund}发放中，{name}优亲厚友，把不符合条件的亲戚列入名单，真正困难的群众却领不到。",
             "{name}利用负责扶贫项目的便利，虚报冒领{fund}{amount}万元。",
             "{village}扶贫产业园建成后一直闲置，{amount}万元资金打了水漂，无人问责。"],
    "其他": ["{name}长期不在岗，工资照领，单位考勤形同虚设。",
           "{unit}在办理业务时故意刁难群众，不送红包就拖着不办。",
           "据知情人反映，{name}在{city}购买了两套住房，与其收入明显不符。"],
}
GENERAL = ["我们多次向{unit}反映，均未得到答复，有关人员互相推诿。",
           "以上情况属实，如有不实愿承担法律责任。",
           "希望上级纪委监委高度重视，派人深入调查，给群众一个公道。",
           "由于担心打击报复，暂不便透露真实姓名，恳请为反映人保密。",
           "群众的诉求是：依法依规查清问题，追回被侵占的资金，对相关责任人严肃处理。",
           "反映人称相关照片、收据和转账记录可以提供，请核实。",
           "此前已于{year}年向{place}反映过，至今没有结果。"]
# Written with ASCII quotes, as people type them: these fields come out quoted, the quotes doubled.
ASCII_QUOTED = ["{name}对外声称\"上面有人\",{unit}的事情他说了算。",
                "{unit}以\"协调费\"名义向施工方索要{amount}万元。",
                "村民将此事称为\"{village}怪象\",至今无人过问。"]

def name(reporter=False):
    surname = rng.choice(SURNAMES)
    if reporter:
        return surname + rng.choice(("某", "某某", "某某"))
    return surname + rng.choice(("某", "某", "某" + rng.choice(GIVEN)))

def fill(template, unit, post):
    return template.format(
        name=name(), name2=name(), unit=unit, post=post, place=rng.choice(PLACES), village=rng.choice(VILLAGES),
        project=rng.choice(PROJECTS), fund=rng.choice(FUNDS), amount=rng.randint(2, 80), mu=rng.randint(3, 60),
        year=rng.randint(2017, 2021), month=rng.randint(1, 9), city=rng.choice(("省城", "北京", "海南", "深圳")))

def summary(category, unit, post):
    target = rng.randint(60, 300)
    sentences = [fill(rng.choice(BY_CATEGORY[category]), unit, post)]
    if rng.random() < 0.05:
        sentences.append(fill(rng.choice(ASCII_QUOTED), unit, post))
    general = GENERAL[:]                                     # each said once at most
    while sum(map(len, sentences)) < target:
        template = rng.choice(BY_CATEGORY[category] + general)
        if template in general:
            general.remove(template)
        sentences.append(fill(template, unit, post))
    joiner = "\n" if rng.random() < 0.005 else ""          # a cell with Alt+Enter in it
    text = joiner.join(sentences)
    if rng.random() < 0.08:                                  # typed with half-width commas
        text = text.replace("，", ",")
    if len(text) > 300:
        text = text[:299] + "。"
    return text

first, last = datetime.date(2021, 1, 4), datetime.date(2021, 9, 17)
span = (last - first).days
dates = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
stats = dict.fromkeys(("anonymous", "slash", "two_accused", "quoted", "multiline"), 0)
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    out = csv.writer(f, lineterminator="\r\n")
    out.writerow(["序号", "来信日期", "反映人", "联系电话", "被反映人", "单位", "职务", "问题类别", "内容摘要"])
    progress = Progress("writing the list", count, "rows")
    for i, day in enumerate(dates, 1):
        progress.advance()
        if rng.random() < 0.15:
            received = f"{day.year}/{day.month}/{day.day}"
            stats["slash"] += 1
        else:
            received = day.isoformat()
        if rng.random() < 0.6:
            reporter, phone = "", ""
            stats["anonymous"] += 1
        else:
            reporter = name(reporter=True)
            phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        unit, posts = rng.choice(UNITS)
        accused, post = name(), rng.choice(posts)
        if rng.random() < 0.12:
            accused += "、" + name()
            post += "、" + rng.choice(posts)
            stats["two_accused"] += 1
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        text = summary(category, unit, post.split("、")[0])
        cells = [str(i), received, reporter, phone, accused, unit, post, category, text]
        if any("," in c or '"' in c or "\n" in c for c in cells):
            stats["quoted"] += 1
        stats["multiline"] += "\n" in text
        out.writerow(cells)
    progress.finish()
print(f"list: {count} rows, {os.path.getsize(path) / 1e6:.1f} MB ({path}; UTF-8 with BOM, CRLF): "
      f"{stats['anonymous']} anonymous, {stats['slash']} dated 2021/3/5-style, {stats['two_accused']} with two "
      f"accused, {stats['quoted']} with a quoted field, {stats['multiline']} with a line break inside one")
PY

bench_init
"$docket" staff add reg --name 登记员 --role registrar >/dev/null
url="$("$docket" db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')"

# 1. The baseline: PostgreSQL reading the same CSV into a table with no checks, no journal, no indexes.
python3 - "$url" "$list" "$plain" "$rows" "$runs" "$DOCKET_HOME/copy.rate" <<'PY'
import statistics, subprocess, sys, time
url, path, plain, rate_file = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[6]
rows, runs = int(sys.argv[4]), int(sys.argv[5])
label = "psql \\copy (FORMAT csv, HEADER true) into a plain table"

def psql(*args, **kwargs):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args], check=True, **kwargs)

with open(path, "rb") as f:      # \copy would read the BOM into the first header cell: a copy without it
    data = f.read()
if not data.startswith(b"\xef\xbb\xbf"):
    sys.exit(f"bench/handover.sh: {path} does not begin with a BOM")
with open(plain, "wb") as f:
    f.write(data[3:])
del data
psql("-c", "CREATE TABLE handover_plain (序号 text, 来信日期 text, 反映人 text, 联系电话 text, 被反映人 text, "
           "单位 text, 职务 text, 问题类别 text, 内容摘要 text)")
copy = f"\\copy handover_plain FROM '{plain}' WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
times = []
for _ in range(runs):
    psql("-c", "TRUNCATE handover_plain")
    start = time.perf_counter()
    psql("-c", copy)
    times.append(time.perf_counter() - start)
    got = int(psql("-A", "-t", "-c", "SELECT count(*) FROM handover_plain", capture_output=True).stdout)
    if got != rows:
        sys.exit(f"bench/handover.sh: {label}: read {got} rows, not {rows}")
psql("-c", "DROP TABLE handover_plain")
median = statistics.median(times)
rate = rows / median
with open(rate_file, "w") as f:
    f.write(f"{rate}\n")
print(f"{label}: median {median:.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f}) "
      f"= {rate:.0f} rows/s")
PY

# 2. docket: each run the same list, handed over on another day (so a batch of its own); then 3.
python3 - "$docket" "$list" "$rows" "$runs" "$DOCKET_HOME/copy.rate" "$DOCKET_HOME/time.out" "$url" <<'PY'
import datetime, json, statistics, subprocess, sys, time
docket, path, rows, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rate_file, time_out, url = sys.argv[5], sys.argv[6], sys.argv[7]
copy_rate = float(open(rate_file).read())
label = "import handover --as reg --from 省委第一巡视组 --kind petition --json"

def fail(why, stderr=b""):
    if stderr:
        sys.stderr.write(stderr.decode(errors="replace")[-4000:])
    sys.exit(f"bench/handover.sh: {why}")

times, peaks, batches = [], [], []
for k in range(runs):
    day = (datetime.date(2021, 9, 20) + datetime.timedelta(days=k)).isoformat()
    args = [docket, "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
            "--handover-date", day, "--json"]
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", time_out] + args, capture_output=True)
    times.append(time.perf_counter() - start)
    if done.returncode != 0:
        fail(f"{label} (run {k + 1}, --handover-date {day}): exited {done.returncode}", done.stderr)
    peaks.append(int(open(time_out).read().split()[-1]))      # the last line: "%e %M", maximum RSS in KB
    try:
        result = json.loads(done.stdout)
    except ValueError as error:
        fail(f"{label} (run {k + 1}): did not print one JSON document ({error}); it began: {done.stdout[:200]!r}")
    if result.get("outcome") != "imported" or result.get("items") != rows:
        fail(f"{label} (run {k + 1}, --handover-date {day}): expected outcome \"imported\" with {rows} items; "
             f"got {json.dumps(result, ensure_ascii=False)}", done.stderr)
    if result.get("rejected") != 0 or result.get("unknown_columns") != []:
        fail(f"{label} (run {k + 1}): rejected {result.get('rejected')} row(s), did not read columns "
             f"{result.get('unknown_columns')}", done.stderr)
    if result["batch"] in batches:
        fail(f"{label} (run {k + 1}): batch {result['batch']} again; a new handover date should make a new batch")
    batches.append(result["batch"])
    print(f"  run {k + 1} (--handover-date {day}, into a ledger of {k * rows} items): {times[-1]:.2f} s, "
          f"peak {peaks[-1] / 1024:.0f} MB; batch {result['batch']}, {result['first_ref']} … {result['last_ref']}")

median = statistics.median(times)
rate = rows / median
print(f"{label}: median {median:.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f}) = "
      f"{rate:.0f} rows/s, {rate / copy_rate:.0%} of plain \\copy's {copy_rate:.0f} rows/s; "
      f"target ≥ 40% of plain \\copy (later runs import into a bigger ledger: run k into (k − 1) × {rows} items)")
print(f"  peak memory: {max(peaks) / 1024:.0f} MB at most (median {statistics.median(peaks) / 1024:.0f} MB); "
      f"target < 500 MB")

# 3. The journal's chain still holds, and the first batch is all there. The walk is timed against
# psql copying out the same rows in the same order (what the walk reads, without hashing any).
walked = ("copy (SELECT j.seq, j.item_id, i.ref, j.actor, j.event, j.effective_at, j.recorded_at, j.payload, "
          "j.prev_hash, j.hash FROM journal j LEFT JOIN items i ON i.id = j.item_id ORDER BY j.seq) to stdout")
verify_times, copy_times = [], []
for _ in range(3):
    start = time.perf_counter()
    done = subprocess.run([docket, "audit", "verify"], capture_output=True)
    verify_times.append(time.perf_counter() - start)
    if done.returncode != 0:
        fail(f"audit verify exited {done.returncode}: the journal's chain does not hold after the imports", done.stderr)
    start = time.perf_counter()
    subprocess.run(["psql", "-X", "-q", "-d", url, "-c", walked], stdout=subprocess.DEVNULL, check=True)
    copy_times.append(time.perf_counter() - start)
events = int(done.stdout.decode().split(" events checked")[0].split()[-1])
verify_median, copy_median = statistics.median(verify_times), statistics.median(copy_times)
print(f"audit verify: {done.stdout.decode().strip()} median {verify_median:.2f} s of 3 = "
      f"{events / verify_median:.0f} events/s (target ≥ 100000), {verify_median / copy_median:.2f} × psql copying "
      f"the same rows out ({copy_median:.2f} s)")
done = subprocess.run([docket, "list", "--batch", str(batches[0]), "--json", "--as", "reg"], capture_output=True)
if done.returncode != 0:
    fail(f"list --batch {batches[0]} --json exited {done.returncode}", done.stderr)
listed = len(json.loads(done.stdout))
if listed != rows:
    fail(f"list --batch {batches[0]} --json gave {listed} items, not the {rows} the list has")
print(f"list --batch {batches[0]} --json --as reg: {listed} items, as many as the list's rows")

# 4. What docket writes for a list row, against \copy's one row into a table without an index: the
# rows of every table a batch writes, with the index entries they carry, as rates of rows written.
tables = ["items", "journal", "accused", "item_closures"]
counts = {}
for table in tables:
    sql = (f"SELECT count(*), (SELECT count(*) FROM pg_index WHERE indrelid = '{table}'::regclass) FROM {table}")
    out = subprocess.run(["psql", "-X", "-A", "-t", "-F", " ", "-d", url, "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"counting {table}: {out.stderr.strip()}")
    n, indexes = (int(x) for x in out.stdout.split())
    counts[table] = (n, indexes)
imported = rows * runs
written = sum(n for n, _ in counts.values()) / imported
entries = sum(n * indexes for n, indexes in counts.values()) / imported
print(f"docket writes {written:.1f} rows per list row ("
      + ", ".join(f"{table} {n / imported:.2f}" for table, (n, _) in counts.items())
      + f") with {entries:.1f} index entries (target at most 4 rows); \\copy writes 1 row and none")
print(f"  as rows written: docket {rate * written:.0f} rows/s = {rate * written / copy_rate:.0%} of \\copy's "
      f"{copy_rate:.0f} rows/s")
PY
