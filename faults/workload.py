#!/usr/bin/env python3
"""faults/workload.py — docket commands from several threads at once, each a process of its own,
with every exit status and error sentence recorded; used by faults/db-restart.sh and
faults/concurrency.sh, which check the database afterwards with faults/check.py.

  workload.py restart DOCKET SECONDS OUTDIR --eml-dir DIR --url URL [--lists FILE]
      three workers register email (one .eml file per command), phone items and now and then a
      handover list (one COPY), and move their own phone items through the lifecycle, while a fault thread stops PostgreSQL (`docket db stop`, a
      fast shutdown, or SIGQUIT to the postmaster, an immediate one: a crash, WAL recovery on the next
      start) and starts it again (`docket db start`). The first half of the time the workers use the
      embedded database, which a command starts by itself when it finds it down; the second half they
      use it as a configured database (DOCKET_DATABASE_URL), which docket never starts, so commands
      meet it down. Every command must exit 0, or 75 with one line saying the database is
      unavailable and to try again (or, when the connection went during COMMIT, that it is not known
      whether it was saved); anything else is a failure (a signal: a crash). Afterwards each command
      that exited 75 is given again, as an operator or an MTA would (after looking, when docket said
      it could not tell whether it was saved), and must exit 0.
  workload.py concurrency DOCKET SECONDS OUTDIR [--workers N]
      N (default 6) workers at once register items (petitions, accusations, suggestions) and move the
      petitions — the most recent ones most often, so that they collide — through the lifecycle, and
      now and then verify the journal while the others write. A move refused because another
      process moved the item first ("changed meanwhile", or a state that no longer allows it) is a
      collision, as it should be; any other refusal, or a journal that does not verify, is a failure.

Writes OUTDIR/tokens.json (phone items that must exist once each), OUTDIR/moves.json ({ref: [moves
that exited 0]}), OUTDIR/email.json (the messages offered, for check.py --email), OUTDIR/lists.json
(the manifests of the handover lists offered, for check.py --handover), and prints one
JSON summary: faults, runs, exit75, in_doubt, retried, collisions, crashes, failures, problems.
"""
import argparse
import collections
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

UNIT = "第一纪检监察室"
NEXT = {  # state → (move, actor, extra arguments)
    "registered": ("accept", "reg", []),
    "accepted": ("assign", "boss", ["--unit", UNIT, "--handler", "h1"]),
    "assigned": ("start", "h1", []),
    "on_hold": ("resume", "h1", []),
    "concluded": ("close", "boss", []),
}
RESULT_LINE = re.compile(r"^(\S+): (\w+) \(")
STATE_IN_REFUSAL = re.compile(r"the item is (\w+) \(")
REFUSALS = ("was changed meanwhile", "cannot ")
UNAVAILABLE = re.compile(r"database is unavailable at the moment; try again later")
IN_DOUBT = re.compile(r"not known whether it was saved")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.problems = []

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def problem(self, key, text):
        with self.lock:
            self.counts[key] += 1
            if len(self.problems) < 30:
                self.problems.append(f"{key}: {text}")


def next_move(state, rng):
    if state == "handling":
        if rng.random() < 0.3:
            return ("hold", "h1", ["--until", "2099-12-31"])
        return ("conclude", "h1", ["--finding", "support"])
    if state == "closed":
        return ("reopen", "boss", ["--reason", "异议复查"]) if rng.random() < 0.3 else None
    return NEXT.get(state)


class Runner:
    def __init__(self, docket, stats, env):
        self.docket = docket
        self.stats = stats
        self.env = env

    def run(self, args, env=None, label=None):
        """Runs docket ARGS; returns (status, stdout, stderr). A signal is recorded as a crash."""
        done = subprocess.run([self.docket] + args, capture_output=True, text=True, env=env or self.env,
                              timeout=180)
        self.stats.add("runs")
        if done.returncode < 0 or done.returncode > 128:
            self.stats.problem("crashes", f"{label or args[:2]} died with {done.returncode}: {done.stderr.strip()[-300:]}")
        return done.returncode, done.stdout, done.stderr


LIBPQ_NOTICE = re.compile(r"^(WARNING|NOTICE):  ")


def judge_temporary(stats, label, status, stderr):
    """A 75 must carry a clear one-line sentence; returns whether it says the outcome is unknown.

    A line libpq itself printed before it (a server's WARNING that arrived while the connection was
    being made, before docket could silence notices: "terminating connection due to immediate
    shutdown command") is counted apart, not as a failure: the sentence is still docket's last line."""
    lines = stderr.strip().split("\n")
    notices = [line for line in lines[:-1] if LIBPQ_NOTICE.match(line)]
    if notices:
        stats.add("libpq_notices")
        print(f"faults/workload.py: {label} exited 75 after libpq printed: {notices[0]!r}", file=sys.stderr)
    others = [line for line in lines[:-1] if not LIBPQ_NOTICE.match(line)]
    last = lines[-1]
    if others or not (UNAVAILABLE.search(last) or IN_DOUBT.search(last)):
        stats.problem("failures", f"{label} exited 75 without a clear sentence: {stderr.strip()[-400:]!r}")
    return bool(IN_DOUBT.search(last))


# ---------------------------------------------------------------------------------------------------
# restart

def restart(args):
    stats = Stats()
    rng = random.Random(8)
    base_env = dict(os.environ)
    base_env.pop("DOCKET_DATABASE_URL", None)
    configured_env = dict(base_env, DOCKET_DATABASE_URL=args.url)
    lists = sorted(json.load(open(args.lists))) if args.lists else []
    used_lists = []
    # Replies left out: taken in before their original (which a 75 may put off), a reply is rightly an
    # item of its own, and the check would count its original twice.
    emls = [e for e in json.load(open(args.eml_dir.rstrip("/") + ".json")) if not e["reply_to"]]
    eml_lock = threading.Lock()
    used_emls = []
    tokens = []
    moves = collections.defaultdict(list)
    retry = []  # (kind, data) of commands that exited 75, in order
    state_lock = threading.Lock()
    start = time.monotonic()
    deadline = start + args.seconds
    half = start + args.seconds / 2
    runner = Runner(args.docket, stats, base_env)

    def env_now():
        return base_env if time.monotonic() < half else configured_env

    def worker(number):
        wrng = random.Random(number)
        own = {}  # ref → believed state, for items this worker moves
        serial = 0
        while time.monotonic() < deadline:
            roll = wrng.random()
            env = env_now()
            if roll < 0.06:
                with eml_lock:
                    if not lists:
                        continue
                    path = lists.pop(0)
                    used_lists.append(path + ".json")
                status, out, err = runner.run(
                    ["import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
                     "--handover-date", "2021-09-25"], env, "import handover")
                if status == 75:
                    judge_temporary(stats, "import handover", status, err)
                    with state_lock:
                        retry.append(("handover", path, False))
                elif status != 0 and status <= 128:
                    stats.problem("failures", f"import handover exited {status}: {err.strip()[-300:]}")
            elif roll < 0.3:
                with eml_lock:
                    if not emls:
                        continue
                    entry = emls.pop(0)
                    used_emls.append(entry)
                status, out, err = runner.run(["intake", "email", "--as", "reg", entry["file"]], env, "intake email")
                if status == 75:
                    judge_temporary(stats, "intake email", status, err)
                    with state_lock:
                        retry.append(("email", entry["file"], False))
                elif status != 0 and status <= 128:
                    stats.problem("failures", f"intake email exited {status}: {err.strip()[-300:]}")
            elif roll < 0.55 or not own:
                serial += 1
                token = f"F-ph{number}-{serial:05d}"
                with state_lock:
                    tokens.append(token)
                status, out, err = runner.run(
                    ["intake", "phone", "--as", "reg", "--kind", "petition", "--subject", f"来电反映 {token}",
                     "--summary", f"来电反映问题，编号 {token}。"], env, "intake phone")
                if status == 0:
                    own[out.split()[0]] = "registered"
                elif status == 75:
                    in_doubt = judge_temporary(stats, "intake phone", status, err)
                    with state_lock:
                        retry.append(("phone", token, in_doubt))
                elif status <= 128:
                    stats.problem("failures", f"intake phone exited {status}: {err.strip()[-300:]}")
            else:
                ref = wrng.choice(sorted(own))
                step = next_move(own[ref], wrng)
                if step is None:
                    del own[ref]
                    continue
                move, actor, extra = step
                status, out, err = runner.run([move, ref, "--as", actor] + extra, env, move)
                if status == 0:
                    match = RESULT_LINE.match(out)
                    own[ref] = match.group(2) if match else own[ref]
                    with state_lock:
                        moves[ref].append(move)
                elif status == 75:
                    in_doubt = judge_temporary(stats, move, status, err)
                    del own[ref]  # left alone until the retries, so that its moves stay in order
                    with state_lock:
                        retry.append(("move", (ref, step), in_doubt))
                elif status <= 128:
                    stats.problem("failures", f"{move} {ref} exited {status}: {err.strip()[-300:]}")
                    del own[ref]
            if status == 75:
                stats.add("exit75")
                time.sleep(0.5)  # as an MTA would, wait a little before the next

    def postmaster():
        cluster = os.path.realpath(os.path.join(os.environ["DOCKET_HOME"], "cluster"))
        try:
            with open(os.path.join(cluster, "data", "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def faults():
        frng = random.Random(80)
        while time.monotonic() < deadline - 1:
            time.sleep(frng.uniform(0.5, 2.0))
            if frng.random() < 0.5:
                done = subprocess.run([args.docket, "db", "stop"], capture_output=True, text=True, env=base_env)
                how = "fast"
                if done.returncode != 0:
                    stats.problem("failures", f"docket db stop exited {done.returncode}: {done.stderr.strip()[-300:]}")
            else:
                pid = postmaster()
                how = "immediate"
                if pid:
                    try:
                        os.kill(pid, signal.SIGQUIT)  # immediate shutdown: a crash, recovery on start
                    except ProcessLookupError:
                        pass
                    for _ in range(200):
                        try:
                            os.kill(pid, 0)
                        except ProcessLookupError:
                            break
                        time.sleep(0.05)
            stats.add("faults")
            stats.add(f"faults_{how}")
            time.sleep(frng.uniform(0.1, 1.5))
            done = subprocess.run([args.docket, "db", "start"], capture_output=True, text=True, env=base_env)
            if done.returncode != 0:
                stats.problem("failures", f"docket db start exited {done.returncode}: {done.stderr.strip()[-300:]}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, 4)]
    fault_thread = threading.Thread(target=faults)
    for t in threads:
        t.start()
    fault_thread.start()
    for t in threads + [fault_thread]:
        t.join()
    done = subprocess.run([args.docket, "db", "start"], capture_output=True, text=True, env=base_env)
    if done.returncode != 0:
        stats.problem("failures", f"docket db start (after the loop) exited {done.returncode}: {done.stderr.strip()}")

    # The retries, in the order they failed, with the database up.
    def item_state(ref):
        out = subprocess.run(["psql", "-X", "-A", "-t", "-d", args.url, "-c",
                              f"SELECT state FROM items WHERE ref = '{ref}'"], capture_output=True, text=True)
        return out.stdout.strip()

    def token_exists(token):
        out = subprocess.run(["psql", "-X", "-A", "-t", "-d", args.url, "-c",
                              f"SELECT count(*) FROM items WHERE subject LIKE '%{token}'"],
                             capture_output=True, text=True)
        return out.stdout.strip() not in ("", "0")

    for kind, data, in_doubt in retry:
        stats.add("retried")
        if in_doubt:
            stats.add("in_doubt")
        if kind == "email":
            status, out, err = runner.run(["intake", "email", "--as", "reg", data], label="intake email (again)")
            if status != 0:
                stats.problem("failures", f"intake email, given again, exited {status}: {err.strip()[-300:]}")
        elif kind == "handover":
            # The same list again is safe whatever happened: a batch is known by its file's hash.
            status, out, err = runner.run(
                ["import", "handover", data, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
                 "--handover-date", "2021-09-25"], label="import handover (again)")
            if status != 0:
                stats.problem("failures", f"import handover, given again, exited {status}: {err.strip()[-300:]}")
        elif kind == "phone":
            if in_doubt and token_exists(data):
                continue  # it was saved: docket said to look before entering it again
            status, out, err = runner.run(
                ["intake", "phone", "--as", "reg", "--kind", "petition", "--subject", f"来电反映 {data}",
                 "--summary", f"来电反映问题，编号 {data}。"], label="intake phone (again)")
            if status != 0:
                stats.problem("failures", f"intake phone, given again, exited {status}: {err.strip()[-300:]}")
        else:
            ref, (move, actor, extra) = data
            if in_doubt:
                before = moves[ref]
                # Saved or not? The journal's latest move of the item says.
                out = subprocess.run(["psql", "-X", "-A", "-t", "-d", args.url, "-c",
                                      f"SELECT count(*) FROM journal j JOIN items i ON i.id = j.item_id "
                                      f"WHERE i.ref = '{ref}' AND j.event <> 'registered'"],
                                     capture_output=True, text=True).stdout.strip()
                if out.isdigit() and int(out) == len(before) + 1:
                    moves[ref].append(move)
                    continue
            status, out, err = runner.run([move, ref, "--as", actor] + extra, label=f"{move} (again)")
            if status == 0:
                moves[ref].append(move)
            else:
                stats.problem("failures", f"{move} {ref}, given again, exited {status} "
                                          f"(state {item_state(ref)}): {err.strip()[-300:]}")

    json.dump(tokens, open(os.path.join(args.outdir, "tokens.json"), "w"))
    json.dump(moves, open(os.path.join(args.outdir, "moves.json"), "w"))
    json.dump(used_emls, open(os.path.join(args.outdir, "email.json"), "w"), ensure_ascii=False)
    json.dump(used_lists, open(os.path.join(args.outdir, "lists.json"), "w"))
    return stats


# ---------------------------------------------------------------------------------------------------
# concurrency

def concurrency(args):
    stats = Stats()
    env = dict(os.environ)
    env.pop("DOCKET_DATABASE_URL", None)
    runner = Runner(args.docket, stats, env)
    lock = threading.Lock()
    believed = {}  # petition ref → believed state
    order = []  # petition refs, oldest first
    tokens = []
    moves = collections.defaultdict(list)
    serial = collections.Counter()
    deadline = time.monotonic() + args.seconds

    def worker(number):
        rng = random.Random(1000 + number)
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.05:
                status, out, err = runner.run(["audit", "verify", "--json"], label="audit verify")
                if status != 0 or json.loads(out or "{}").get("intact") is not True:
                    stats.problem("failures", f"audit verify during the writes exited {status}: {(out + err)[-300:]}")
                continue
            if roll < 0.35 or len(order) < 4:
                kind = rng.choice(["petition", "petition", "accusation", "suggestion"])
                with lock:
                    serial[number] += 1
                    token = f"F-c{number}-{serial[number]:05d}"
                    tokens.append(token)
                extra = ["--accused", "王某", "--accused-unit", "市公安局"] if kind == "accusation" else []
                status, out, err = runner.run(
                    ["intake", "phone", "--as", "reg", "--kind", kind, "--subject", f"来电 {token}"] + extra,
                    label="intake phone")
                if status != 0:
                    if status <= 128:
                        stats.problem("failures", f"intake phone exited {status}: {err.strip()[-300:]}")
                    continue
                if kind == "petition":
                    with lock:
                        believed[out.split()[0]] = "registered"
                        order.append(out.split()[0])
                continue
            with lock:
                hot = order[-8:]
                ref = rng.choice(hot if rng.random() < 0.6 else order)
                state = believed[ref]
            step = next_move(state, rng)
            if step is None:
                continue
            move, actor, extra = step
            status, out, err = runner.run([move, ref, "--as", actor] + extra, label=move)
            if status == 0:
                match = RESULT_LINE.match(out)
                with lock:
                    moves[ref].append(move)
                    if match:
                        believed[ref] = match.group(2)
            elif status == 1 and any(r in err for r in REFUSALS):
                stats.add("collisions")
                match = STATE_IN_REFUSAL.search(err)
                if match:
                    with lock:
                        believed[ref] = match.group(1)
            elif status == 75:
                # A deadlock or a lost serialization race: docket says to try again; counted apart.
                stats.add("collisions")
                stats.add("exit75")
                print(f"faults/workload.py: {move} {ref} exited 75 under contention: {err.strip()}", file=sys.stderr)
            elif status <= 128:
                stats.problem("failures", f"{move} {ref} exited {status}: {err.strip()[-300:]}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, args.workers + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump(tokens, open(os.path.join(args.outdir, "tokens.json"), "w"))
    json.dump(moves, open(os.path.join(args.outdir, "moves.json"), "w"))
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["restart", "concurrency"])
    parser.add_argument("docket")
    parser.add_argument("seconds", type=float)
    parser.add_argument("outdir")
    parser.add_argument("--eml-dir")
    parser.add_argument("--url")
    parser.add_argument("--lists", help="a JSON list of handover list files (restart)")
    parser.add_argument("--workers", type=int, default=6)
    args = parser.parse_args()
    stats = restart(args) if args.what == "restart" else concurrency(args)
    keys = ("faults", "faults_fast", "faults_immediate", "runs", "exit75", "in_doubt", "retried", "collisions",
            "libpq_notices", "crashes", "failures")
    summary = {key: stats.counts.get(key, 0) for key in keys}
    summary["problems"] = stats.problems
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
