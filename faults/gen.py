#!/usr/bin/env python3
"""faults/gen.py — inputs for the fault scripts, each message or row carrying a token of its own so
that a check can find it exactly once in the database afterwards.

  gen.py maildir DIR TAG COUNT      COUNT messages into DIR/new (DIR/cur and DIR/tmp made too)
  gen.py mbox FILE TAG COUNT        the same messages as one mbox file (mboxrd quoting)
  gen.py eml DIR TAG COUNT          one .eml file per message in DIR (for piping one at a time)
  gen.py handover FILE TAG ROWS     a handover list (移交清单): CSV, UTF-8 with BOM, CRLF

Each writes a manifest beside its output (FILE.json, or DIR.json) describing what it wrote:
  email: [{"message_id": str|null, "token": str, "reply_to": str|null, "file": str}]
  handover: [{"row": n, "token": str}]
TAG makes tokens unique across rounds (F-<TAG>-<n>); the generator is seeded by TAG, so the same TAG
gives the same bytes. About 5% of messages have no Message-ID (docket then knows them by their
bytes' SHA-256), about 5% reply to an earlier message of the same batch from the same sender (they
join its item instead of making one), some are GB18030 or base64 or carry a small attachment.
"""
import base64
import csv
import datetime
import email.header
import hashlib
import json
import os
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
UNITS = ["市公安局", "市自然资源局", "市住房和城乡建设局", "市教育局", "城关镇人民政府", "河西乡人民政府", "市水利局"]
MATTERS = ["收受红包", "违规发放补贴", "工程款被截留", "低保优亲厚友", "征地补偿款未发放", "公车私用", "违规吃喝"]


def token(tag, n):
    return f"F-{tag}-{n:05d}"


def messages(tag, count):
    """(manifest entry, raw bytes) for each message, in delivery order."""
    rng = random.Random(f"mail-{tag}")
    out = []
    originals = []  # (message_id, sender, subject) of earlier messages with an id
    base = datetime.datetime(2021, 9, 28, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    for n in range(1, count + 1):
        t = token(tag, n)
        reply = None
        if originals and rng.random() < 0.05:
            reply = rng.choice(originals)
        if reply:
            sender = reply[1]
            subject = "Re: " + reply[2]
        else:
            name = rng.choice(SURNAMES) + "某"
            sender = (name, f"r{tag.lower()}{n}@example.cn")
            subject = f"反映{rng.choice(UNITS)}{rng.choice(MATTERS)}问题 {t}"
        message_id = None if rng.random() < 0.05 else f"{t.lower()}@faults.docket.test"
        gbk = rng.random() < 0.25
        charset = "gb18030" if gbk else "utf-8"
        body = (f"纪委领导：\n我反映{rng.choice(UNITS)}有关人员{rng.choice(MATTERS)}的问题，编号 {t}。\n"
                + "具体情况如下：" + "".join(rng.choice(MATTERS) + "，" for _ in range(rng.randint(3, 30)))
                + "请核查。\n")
        encoded_body = body.encode(charset)
        cte = "8bit"
        if rng.random() < 0.4:
            cte = "base64"
            encoded_body = base64.encodebytes(encoded_body)
        date = base + datetime.timedelta(minutes=7 * n)
        headers = [
            f"From: {email.header.Header(sender[0], 'utf-8').encode()} <{sender[1]}>",
            "To: jubao@jw.example.gov.cn",
            f"Subject: {email.header.Header(subject, 'utf-8').encode()}",
            f"Date: {date.strftime('%a, %d %b %Y %H:%M:%S +0800')}",
            "MIME-Version: 1.0",
        ]
        if message_id:
            headers.append(f"Message-ID: <{message_id}>")
        if reply:
            headers.append(f"In-Reply-To: <{reply[0]}>")
            headers.append(f"References: <{reply[0]}>")
        text_part = [f"Content-Type: text/plain; charset={charset}", f"Content-Transfer-Encoding: {cte}", ""]
        if rng.random() < 0.1:
            boundary = f"=_b_{t}"
            attachment = base64.encodebytes(f"%PDF-1.4 fault {t}\n".encode() + bytes(rng.randrange(256)
                                                                                    for _ in range(300)))
            lines = headers + [f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}"]
            lines += text_part
            raw = ("\r\n".join(lines) + "\r\n").encode() + encoded_body.replace(b"\n", b"\r\n")
            raw += (f"\r\n--{boundary}\r\nContent-Type: application/pdf; name=\"{t}.pdf\"\r\n"
                    f"Content-Disposition: attachment; filename=\"{t}.pdf\"\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n").encode()
            raw += attachment.replace(b"\n", b"\r\n") + f"\r\n--{boundary}--\r\n".encode()
        else:
            raw = ("\r\n".join(headers + text_part) + "\r\n").encode() + encoded_body.replace(b"\n", b"\r\n")
        if message_id and not reply:
            originals.append((message_id, sender, subject))
        out.append(({"message_id": message_id, "token": t, "reply_to": reply[0] if reply else None,
                     "sha256": hashlib.sha256(raw).hexdigest()}, raw))
    return out


def write_manifest(path, entries):
    with open(path + ".json", "w") as f:
        json.dump(entries, f, ensure_ascii=False)


def maildir(directory, tag, count):
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    manifest = []
    for n, (entry, raw) in enumerate(messages(tag, count), 1):
        # Maildir names begin with the delivery time: docket takes them in name order.
        name = f"{1632790800 + n:010d}.F{tag}_{n:05d}.faults"
        with open(os.path.join(directory, "new", name), "wb") as f:
            f.write(raw)
        entry["file"] = name
        manifest.append(entry)
    write_manifest(directory.rstrip("/"), manifest)


def mbox(path, tag, count):
    manifest = []
    with open(path, "wb") as f:
        for entry, raw in messages(tag, count):
            f.write(b"From faults@docket.test Tue Sep 28 09:00:00 2021\n")
            for line in raw.split(b"\n"):
                stripped = line.lstrip(b">")
                if stripped.startswith(b"From "):
                    line = b">" + line
                f.write(line + b"\n")
            f.write(b"\n")
            entry["file"] = path
            manifest.append(entry)
    write_manifest(path, manifest)


def eml(directory, tag, count):
    os.makedirs(directory, exist_ok=True)
    manifest = []
    for n, (entry, raw) in enumerate(messages(tag, count), 1):
        name = os.path.join(directory, f"{n:05d}.eml")
        with open(name, "wb") as f:
            f.write(raw)
        entry["file"] = name
        manifest.append(entry)
    write_manifest(directory.rstrip("/"), manifest)


def handover(path, tag, rows):
    rng = random.Random(f"handover-{tag}")
    first = datetime.date(2021, 1, 4)
    manifest = []
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(["序号", "来信日期", "反映人", "联系电话", "被反映人", "单位", "职务", "问题类别", "内容摘要"])
        for n in range(1, rows + 1):
            t = token(tag, n)
            day = first + datetime.timedelta(days=rng.randint(0, 250))
            named = rng.random() < 0.4
            reporter = rng.choice(SURNAMES) + "某某" if named else ""
            phone = f"13{rng.randrange(10**9):09d}" if named else ""
            unit = rng.choice(UNITS)
            matter = rng.choice(MATTERS)
            summary = f"反映{unit}有关人员{matter}，编号 {t}。" + "，".join(rng.choice(MATTERS)
                                                                  for _ in range(rng.randint(5, 40))) + "。"
            if rng.random() < 0.05:
                summary = summary.replace("，", ",", 3) + '他说"上面有人"。'
            out.writerow([str(n), day.isoformat(), reporter, phone, rng.choice(SURNAMES) + "某", unit, "科长",
                          "其他", summary])
            manifest.append({"row": n, "token": t})
    write_manifest(path, manifest)


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("maildir", "mbox", "eml", "handover"):
        sys.exit(__doc__)
    what, target, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"maildir": maildir, "mbox": mbox, "eml": eml, "handover": handover}[what](target, tag, count)


if __name__ == "__main__":
    main()
