#!/usr/bin/env python3
"""faults/check.py — reads the database after a fault scenario and counts what is wrong.

  check.py URL [--email MANIFEST]… [--handover MANIFEST]… [--tokens FILE]… [--moves FILE]
               [--quarantine-ok]

URL is the database (`docket db status --json`'s url), read with psql. MANIFESTs are those
faults/gen.py writes. A --tokens FILE is a JSON list of tokens of items registered one at a time
(phone intakes), each to be in an item's subject exactly once. A --moves FILE is a JSON object
{ref: [move event, …]} of the moves that succeeded (exit 0) on each item.

Always checked, whatever was given: every item has exactly one `registered` event; every email item
has its mail_messages row and every reply its `email_reply` event; every batch its items and its
`handover_imported` event; every phone/letter/visit/online item from the public its receipt;
reference numbers are unique and gap-free per year and kind (1…n with n the counter's last).
Prints one JSON object: {"expected", "found", "lost", "duplicates", "failures", "problems": […]}:
lost = expected messages, rows or tokens not in the database; duplicates = ones in it more than once
(or a reference number twice); failures = anything else wrong (half-written items, gaps, a state
that is not what its journal says, a reply not joined to its item, a message left in quarantine).
"""
import argparse
import collections
import json
import re
import subprocess
import sys

TOKEN = r"F-[A-Za-z0-9]+-[0-9]{5}"


def query(url, sql):
    """Rows of `sql` as a list of dicts (the query is wrapped in json_agg)."""
    wrapped = f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) q"
    done = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", wrapped],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"faults/check.py: psql failed: {done.stderr.strip()}\n{sql}")
    return json.loads(done.stdout)


class Report:
    def __init__(self):
        self.expected = self.found = self.lost = self.duplicates = self.failures = 0
        self.problems = []

    def problem(self, column, text):
        setattr(self, column, getattr(self, column) + 1)
        if len(self.problems) < 20:
            self.problems.append(f"{column}: {text}")


def check_email(url, manifests, report, quarantine_ok):
    entries = []
    for path in manifests:
        entries += json.load(open(path))
    rows = query(url, f"""SELECT m.id, m.item_id, m.message_id, m.is_reply, substring(m.text from '{TOKEN}') AS token,
                                 substring(i.subject from '{TOKEN}') AS item_token, i.ref
                          FROM mail_messages m JOIN items i ON i.id = m.item_id""")
    by_token = collections.defaultdict(list)
    for row in rows:
        by_token[row["token"]].append(row)
    item_of_message_id = {r["message_id"]: r["item_id"] for r in rows if r["message_id"]}
    report.expected += len(entries)
    for entry in entries:
        found = by_token.get(entry["token"], [])
        if not found:
            report.problem("lost", f"message {entry['token']} ({entry['message_id']}) is not in mail_messages")
            continue
        report.found += 1
        if len(found) > 1:
            report.problem("duplicates", f"message {entry['token']} is in mail_messages {len(found)} times")
        row = found[0]
        if row["message_id"] != entry["message_id"]:
            report.problem("failures", f"message {entry['token']}: Message-ID {row['message_id']!r}, "
                                       f"expected {entry['message_id']!r}")
        if entry["reply_to"]:
            original = item_of_message_id.get(entry["reply_to"])
            if not row["is_reply"] or row["item_id"] != original:
                report.problem("failures", f"reply {entry['token']} is not joined to the item of <{entry['reply_to']}>")
        elif row["item_token"] != entry["token"]:
            report.problem("failures", f"message {entry['token']} opened no item of its own (item {row['ref']})")
    # Each original message is one item: count the email items by the token of their subject.
    items = query(url, f"SELECT substring(subject from '{TOKEN}') AS token, count(*) AS n FROM items "
                       "WHERE channel = 'email' GROUP BY 1")
    counts = {r["token"]: r["n"] for r in items}
    for entry in entries:
        if not entry["reply_to"] and counts.get(entry["token"], 0) > 1:
            report.problem("duplicates", f"message {entry['token']} made {counts[entry['token']]} items")
    if not quarantine_ok:
        for row in query(url, "SELECT id, reason FROM mail_quarantine WHERE state = 'held'"):
            report.problem("failures", f"a message is held in quarantine: {row['reason']}")


def check_handover(url, manifests, report):
    entries = []
    for path in manifests:
        entries += json.load(open(path))
    counts = {r["token"]: r["n"] for r in query(
        url, f"SELECT substring(summary from '{TOKEN}') AS token, count(*) AS n FROM items "
             "WHERE channel = 'handover' GROUP BY 1")}
    report.expected += len(entries)
    for entry in entries:
        n = counts.get(entry["token"], 0)
        if n == 0:
            report.problem("lost", f"handover row {entry['token']} is not an item")
        else:
            report.found += 1
            if n > 1:
                report.problem("duplicates", f"handover row {entry['token']} is {n} items")


def check_tokens(url, files, report):
    tokens = []
    for path in files:
        tokens += json.load(open(path))
    counts = {r["token"]: r["n"] for r in query(
        url, f"SELECT substring(subject from '{TOKEN}') AS token, count(*) AS n FROM items GROUP BY 1")}
    report.expected += len(tokens)
    for token in tokens:
        n = counts.get(token, 0)
        if n == 0:
            report.problem("lost", f"item {token} is not in the database")
        else:
            report.found += 1
            if n > 1:
                report.problem("duplicates", f"item {token} is in the database {n} times")


def check_moves(url, path, report):
    """Each item's journal holds exactly the moves that succeeded, chained from → to, and ends in the
    item's state; its version is one more than its moves (no lost update)."""
    moves = json.load(open(path))
    rows = query(url, """SELECT i.ref, i.state, i.version,
                                coalesce(json_agg(json_build_object('event', j.event, 'payload', j.payload)
                                                  ORDER BY j.seq) FILTER (WHERE j.event <> 'registered'),
                                         '[]') AS events
                         FROM items i LEFT JOIN journal j ON j.item_id = i.id
                         GROUP BY i.id""")
    by_ref = {r["ref"]: r for r in rows}
    for ref, done in moves.items():
        row = by_ref.get(ref)
        if row is None:
            report.problem("lost", f"{ref} had moves but is not in the database")
            continue
        events = row["events"]
        names = [e["event"] for e in events]
        # As multisets: two processes' moves on one item commit one after the other, but they may
        # exit (and be recorded) in the other order; the from → to chain below checks the order.
        if sorted(names) != sorted(done):
            report.problem("failures", f"{ref}: the journal says {names}, the commands that succeeded were {done}")
        state = "registered"
        for event in events:
            payload = json.loads(event["payload"])
            if payload.get("from") != state:
                report.problem("failures", f"{ref}: {event['event']} from {payload.get('from')}, but the item was {state}")
            state = payload.get("to", state)
        if state != row["state"]:
            report.problem("failures", f"{ref}: state {row['state']}, its journal ends in {state} (lost update)")
        if row["version"] != 1 + len(events):
            report.problem("failures", f"{ref}: version {row['version']} after {len(events)} moves")


def check_always(url, report):
    for row in query(url, """SELECT i.ref, count(j.seq) AS n FROM items i
                             LEFT JOIN journal j ON j.item_id = i.id AND j.event = 'registered'
                             GROUP BY i.id HAVING count(j.seq) <> 1"""):
        report.problem("failures", f"half-written: {row['ref']} has {row['n']} registered events")
    for row in query(url, """SELECT ref FROM items i WHERE channel = 'email'
                             AND NOT EXISTS (SELECT 1 FROM mail_messages m WHERE m.item_id = i.id)"""):
        report.problem("failures", f"half-written: email item {row['ref']} has no message")
    replies = query(url, """SELECT (SELECT count(*) FROM mail_messages WHERE is_reply) AS messages,
                                   (SELECT count(*) FROM journal WHERE event = 'email_reply') AS events""")[0]
    if replies["messages"] != replies["events"]:
        report.problem("failures", f"half-written: {replies['messages']} reply messages, "
                                   f"{replies['events']} email_reply events")
    for row in query(url, """SELECT b.id, b.items, count(i.id) AS n,
                                    (SELECT count(*) FROM journal j WHERE j.event = 'handover_imported'
                                       AND j.payload::jsonb ->> 'batch' = b.id::text) AS events
                             FROM handover_batches b LEFT JOIN items i ON i.batch_id = b.id GROUP BY b.id"""):
        if row["items"] != row["n"] or row["events"] != 1:
            report.problem("failures", f"half-written: batch {row['id']} says {row['items']} items, has {row['n']}, "
                                       f"and {row['events']} handover_imported events")
    for row in query(url, """SELECT ref FROM items i WHERE source = 'public'
                             AND channel IN ('phone', 'letter', 'visit', 'online')
                             AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.item_id = i.id)"""):
        report.problem("failures", f"half-written: {row['ref']} from the public has no receipt code")
    # Reference numbers: unique (the database's UNIQUE makes this moot, but say so if not), and
    # 1…n per year and kind with n the counter's last.
    refs = query(url, "SELECT ref, kind FROM items")
    counters = {(r["year"], r["kind"]): r["last"] for r in query(url, "SELECT year, kind, last FROM reference_counters")}
    seen = collections.defaultdict(list)
    for row in refs:
        match = re.fullmatch(r"(\d{4})-([A-Z]+)-(\d+)", row["ref"])
        if not match:
            report.problem("failures", f"reference {row['ref']} is not YEAR-CODE-SEQ")
            continue
        seen[(int(match.group(1)), row["kind"])].append(int(match.group(3)))
    for key, numbers in seen.items():
        counted = collections.Counter(numbers)
        for number, n in counted.items():
            if n > 1:
                report.problem("duplicates", f"reference number {key[0]} {key[1]} {number} is used {n} times")
        last = counters.get(key)
        missing = sorted(set(range(1, (last or max(numbers)) + 1)) - set(numbers))
        if missing:
            report.problem("failures", f"reference numbers of {key[0]} {key[1]}: {len(missing)} gap(s), "
                                       f"first {missing[:5]} (counter at {last})")
        if last != max(numbers):
            report.problem("failures", f"counter of {key[0]} {key[1]} is {last}, the highest number used {max(numbers)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--email", action="append", default=[])
    parser.add_argument("--handover", action="append", default=[])
    parser.add_argument("--tokens", action="append", default=[])
    parser.add_argument("--moves")
    parser.add_argument("--quarantine-ok", action="store_true")
    args = parser.parse_args()
    report = Report()
    if args.email:
        check_email(args.url, args.email, report, args.quarantine_ok)
    if args.handover:
        check_handover(args.url, args.handover, report)
    if args.tokens:
        check_tokens(args.url, args.tokens, report)
    if args.moves:
        check_moves(args.url, args.moves, report)
    check_always(args.url, report)
    print(json.dumps({"expected": report.expected, "found": report.found, "lost": report.lost,
                      "duplicates": report.duplicates, "failures": report.failures, "problems": report.problems},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
