#!/usr/bin/env python3
"""Generate the DocketMail parser test corpus.

Writes, next to this script, one NAME.eml (raw wire bytes) and one NAME.json
(expected parse) per case, plus README.md.  Standard library only, fully
deterministic: no randomness, no clock, no compression library output.

Every message is assembled by hand from bytes; the `email` package is used
only to cross-check our own encoded words and dates, never to produce bytes.

Run from any directory:  python3 make_corpus.py
"""

import base64
import binascii
import datetime
import email.header
import email.utils
import hashlib
import html
import json
import os
import quopri
import re
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = b"\r\n"

# Charset labels as a conforming parser is expected to map them (GB labels are
# always decoded as GB18030).
PY_CODEC = {
    "utf-8": "utf-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "iso-8859-1": "latin-1",
    "us-ascii": "ascii",
}

CASES = []


# ---------------------------------------------------------------------------
# Byte-building helpers
# ---------------------------------------------------------------------------

def B(x):
    """str -> ASCII bytes (asserted), bytes -> unchanged."""
    if isinstance(x, bytes):
        return x
    assert x.isascii(), "non-ASCII str passed where ASCII is required: %r" % x
    return x.encode("ascii")


def U(s):
    """Raw UTF-8 bytes (for 8-bit header lines)."""
    return s.encode("utf-8")


def G(s):
    """Raw GBK bytes (for 8-bit header lines)."""
    return s.encode("gbk")


def crlf_text(s, codec):
    """Body text written with \\n in this file -> CRLF bytes in `codec`."""
    assert "\r" not in s
    return s.replace("\n", "\r\n").encode(codec)


def b64_lines(data, width=76):
    """Base64 body: 76-char lines joined by CRLF, ending with CRLF."""
    s = base64.b64encode(data).decode("ascii")
    rows = [s[i:i + width] for i in range(0, len(s), width)]
    return CRLF.join(r.encode("ascii") for r in rows) + CRLF


def qp_encode(data):
    """Quoted-printable for text whose line breaks are b'\\n'; CRLF output,
    76-column lines with soft breaks that never split an =XX escape."""
    out_lines = []
    for raw in data.split(b"\n"):
        tokens = []
        for i, c in enumerate(raw):
            last = i == len(raw) - 1
            if (33 <= c <= 126 and c != 61) or (c == 32 and not last):
                tokens.append(bytes([c]))
            else:
                tokens.append(b"=%02X" % c)
        line = b""
        for t in tokens:
            if len(line) + len(t) > 75:
                out_lines.append(line + b"=")
                line = b""
            line += t
        out_lines.append(line)
    return CRLF.join(out_lines)


def ew_b(text, charset, codec=None):
    data = text.encode(codec or PY_CODEC[charset.lower()])
    w = "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode("ascii"))
    assert len(w) <= 75, w
    return w


def ew_b_bytes(data, charset):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode("ascii"))


def ew_q(text, charset, codec=None):
    data = text.encode(codec or PY_CODEC[charset.lower()])
    out = []
    for c in data:
        ch = chr(c)
        if ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            out.append(ch)
        elif ch == " ":
            out.append("_")
        else:
            out.append("=%02X" % c)
    w = "=?%s?Q?%s?=" % (charset, "".join(out))
    assert len(w) <= 75, w
    return w


def header_block(headers):
    return b"".join(B(h) + CRLF for h in headers)


def message(headers, body, lf=False):
    out = header_block(headers) + CRLF + body
    if lf:
        out = out.replace(CRLF, b"\n")
        assert b"\r" not in out
    else:
        # Every LF must be part of a CRLF and no CR may be bare.
        assert out.count(b"\n") == out.count(CRLF) == out.count(b"\r"), "bare CR/LF"
    return out


def part(headers, content):
    """One MIME body part.  `content` is exactly the part's content: the CRLF
    that follows it belongs to the next boundary delimiter (RFC 2046)."""
    return header_block(headers) + CRLF + content


def multipart(boundary, parts, preamble=b"This is a multi-part message in MIME format.",
              close=True):
    boundary = B(boundary)
    out = b""
    if preamble is not None:
        out += preamble + CRLF + CRLF
    for p in parts:
        out += b"--" + boundary + CRLF + p + CRLF
    if close:
        out += b"--" + boundary + b"--" + CRLF
    return out


# ---------------------------------------------------------------------------
# Deterministic fake binary payloads
# ---------------------------------------------------------------------------

def filler(seed, n):
    out = b""
    block = seed.encode("utf-8")
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:n]


def png(width, height, seed):
    """A small valid PNG; IDAT uses a *stored* deflate block so no
    zlib-version-dependent compressor output is involved."""
    raw = b""
    px = filler(seed, width * height * 3)
    for y in range(height):
        raw += b"\x00" + px[y * width * 3:(y + 1) * width * 3]
    assert len(raw) < 65536
    stored = b"\x01" + struct.pack("<HH", len(raw), len(raw) ^ 0xFFFF) + raw
    idat = b"\x78\x01" + stored + struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF)
    assert zlib.decompress(idat) == raw

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", binascii.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def jpeg_like(seed, n):
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return head + filler(seed, n - len(head) - 2) + b"\xff\xd9"


def pdf_like(title):
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
            b"4 0 obj\n<< /Title (" + title.encode("ascii") + b") /Producer (docket corpus) >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R /Info 4 0 R >>\n%%EOF\n")


def docx_like(seed, n):
    return b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + filler(seed, n - 16)


def xls_like(seed, n):
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + filler(seed, n - 8)


# ---------------------------------------------------------------------------
# Reference decoders used only to check our own expectations
# ---------------------------------------------------------------------------

def decode_2047(value):
    """Unfold and decode a header value made of ASCII + encoded words, joining
    the bytes of adjacent same-charset words (what the parser must do)."""
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", value)
    out = ""
    for data, cs in email.header.decode_header(unfolded):
        if cs is None:
            out += data.decode("ascii") if isinstance(data, bytes) else data
        else:
            out += data.decode(PY_CODEC[cs.lower()])
    return out.strip()


def lenient_b64(data):
    """The decoding rule the expectations are defined with: skip characters
    outside the alphabet, '=' ends the data, decode complete 4-char groups, a
    final partial group of 2/3 chars gives 1/2 bytes, of 1 char nothing.
    Returns (bytes, broken)."""
    alpha = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    chars = bytearray()
    broken = False
    for c in data:
        if c == ord("="):
            break
        if c in alpha:
            chars.append(c)
        elif c not in b" \t\r\n":
            broken = True
    full = len(chars) // 4 * 4
    out = base64.b64decode(bytes(chars[:full]))
    rest = bytes(chars[full:])
    if rest:
        broken = True
        if len(rest) >= 2:
            out += base64.b64decode(rest + b"=" * (4 - len(rest)))[: len(rest) - 1]
    return out, broken


def html_to_text(s):
    s = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", s)
    s = re.sub(r"(?s)<!--.*?-->", "", s)
    s = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</tr\s*>", "\n", s)
    s = re.sub(r"(?s)<[^>]*>", "", s)
    return html.unescape(s)


def check_date(header_value, expected):
    """Cross-check with the stdlib's obsolete-date parser when it copes."""
    if expected is None:
        return
    want = datetime.datetime.strptime(expected, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)
    cleaned = re.sub(r"\([^()]*\)", " ", header_value)  # drop comments
    dt = email.utils.parsedate_to_datetime(cleaned)
    assert dt == want, (header_value, dt, want)
    m = re.match(r"\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s*,", cleaned)
    if m:  # day-of-week must match the local date
        assert dt.strftime("%a") == m.group(1), (header_value, dt.strftime("%a"))


# ---------------------------------------------------------------------------
# Expectation helpers
# ---------------------------------------------------------------------------

def addr(name, address):
    return {"address": address, "name": name}


def att(filename, content_type, data):
    return {
        "content_type": content_type,
        "filename": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }


def case(name, desc, eml, *, message_id, from_, to, subject, date,
         in_reply_to=None, references=(), text_contains=(), text_excludes=(),
         attachments=(), warnings=(), reference_text=None, date_header=None):
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert name not in [c[0] for c in CASES], name
    assert "\n" not in desc
    if reference_text is not None:
        for s in text_contains:
            assert s in reference_text, (name, "missing", s)
        for s in text_excludes:
            assert s not in reference_text, (name, "present", s)
    if date_header is not None:
        check_date(date_header, date)
    exp = {
        "message_id": message_id,
        "from": from_,
        "to": list(to),
        "subject": subject,
        "date": date,
        "in_reply_to": in_reply_to,
        "references": list(references),
        "text_contains": list(text_contains),
        "text_excludes": list(text_excludes),
        "attachments": list(attachments),
        "warnings": sorted(set(warnings)),
    }
    CASES.append((name, desc, eml, exp))


def assert_not_gb2312_but_gbk(chars):
    for ch in chars:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            pass
        else:
            raise AssertionError("%s is in GB2312" % ch)
        ch.encode("gbk")


GBK_ONLY = "镕啰喆堃"
assert_not_gb2312_but_gbk(GBK_ONLY)

OFFICE = "xfjb@example.gov.cn"


# ===========================================================================
# Cases
# ===========================================================================

# 1 -------------------------------------------------------------------------
body = """纪委监委信访室：

我反映某区教育局局长张某某的问题。2021年9月开学前，张某某借其子升学之机，在某酒店大办“升学宴”，邀请辖区内多所学校校长参加，收受礼金约8万元。

另，张某某长期使用公车接送家属，违反中央八项规定精神。

请组织调查核实。

反映人：李某
联系电话：138-0000-0000
"""
subj = "反映区教育局张某某违规收礼"
eml = message([
    "Return-Path: <limou@example.com>",
    "From: %s <limou@example.com>" % ew_b("李某", "UTF-8"),
    "To: %s <%s>" % (ew_b("信访举报", "UTF-8"), OFFICE),
    "Subject: %s" % ew_b(subj, "UTF-8"),
    "Date: Mon, 29 Nov 2021 22:30:00 +0800",
    "Message-ID: <20211129223000.4F2A1C@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("plain_utf8_crlf",
     "Baseline complaint: UTF-8 text/plain, 8bit, CRLF; checks B encoded words in From/To/Subject, +0800 date conversion, CRLF normalised to LF in text.",
     eml,
     message_id="20211129223000.4F2A1C@example.com",
     from_=addr("李某", "limou@example.com"),
     to=[addr("信访举报", OFFICE)],
     subject=subj,
     date="2021-11-29T14:30:00Z",
     text_contains=["张某某", "“升学宴”", "收受礼金约8万元", "违反中央八项规定精神"],
     text_excludes=["\r"],
     reference_text=body, date_header="Mon, 29 Nov 2021 22:30:00 +0800")

# 2 -------------------------------------------------------------------------
body = """市纪委监委：

省委第三巡视组反馈意见指出，我县“三公”经费管理不规范。整改期间，县财政局仅出台了文件，没有真正落实。

建议：
1. 公开公务接待清单；
2. 对整改不到位的单位负责人进行约谈；
3. 设立群众监督电话。

一名普通群众
"""
subj = "关于省委巡视整改落实情况的建议"
eml = message([
    "From: xiaowang@example.cn",
    "To: %s" % OFFICE,
    "Subject: %s\r\n %s" % (ew_b(subj[:7], "UTF-8"), ew_b(subj[7:], "UTF-8")),
    "Date: Tue, 30 Nov 2021 08:00:00 +0800",
    "Message-Id: <1638230400.7781.xiaowang@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"), lf=True)
case("plain_utf8_lf",
     "Same shape as plain_utf8_crlf but every line ends in bare LF (mail saved by a Unix tool); Subject is two B words folded with LF+space; Message-Id header spelled in mixed case.",
     eml,
     message_id="1638230400.7781.xiaowang@example.cn",
     from_=addr(None, "xiaowang@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-11-30T00:00:00Z",
     text_contains=["“三公”经费", "对整改不到位的单位负责人进行约谈", "设立群众监督电话"],
     text_excludes=["\r"],
     reference_text=body, date_header="Tue, 30 Nov 2021 08:00:00 +0800")

# 3 -------------------------------------------------------------------------
body = """纪委监委信访室：
    我实名反映某县住建局副局长刘某喆的问题。2019年至2021年间，刘某喆多次接受某堃建设有限公司老板宴请，并收受购物卡共计人民币3万元。
    该公司法定代表人陈某镕在县城多个项目中违规中标。群众反映多次，有关部门总是啰啰嗦嗦、推诿扯皮。
    请予调查。
举报人：孙某
2021年11月30日
"""
subj = "实名举报县住建局副局长刘某喆"
for ch in "喆堃镕啰":
    assert ch in body
eml = message([
    "From: %s <sunmou@example.cn>" % ew_b("孙某", "gb2312", "gbk"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "gb2312", "gbk"),
    "Date: Tue, 30 Nov 2021 10:20:00 +0800",
    "Message-ID: <202111301020001234567@example.cn>",
    "X-Mailer: Foxmail 7.2.23.116[cn]",
    "MIME-Version: 1.0",
    "Content-Type: text/plain;\r\n\tcharset=\"gb2312\"",
    "Content-Transfer-Encoding: base64",
], b64_lines(crlf_text(body, "gbk")))
case("gb2312_label_gbk_only_chars",
     "Foxmail-style message labelled gb2312 whose base64 body and B-encoded Subject contain GBK-only characters (镕 啰 喆 堃); a GB2312-strict decoder garbles them, GB18030 decoding must be used and no warning raised.",
     eml,
     message_id="202111301020001234567@example.cn",
     from_=addr("孙某", "sunmou@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-11-30T02:20:00Z",
     text_contains=["刘某喆", "某堃建设有限公司", "陈某镕", "啰啰嗦嗦", "购物卡共计人民币3万元"],
     text_excludes=["\ufffd"],
     reference_text=body, date_header="Tue, 30 Nov 2021 10:20:00 +0800")

# 4 -------------------------------------------------------------------------
body = """县纪委：
某镇党委书记周某喆于2021年10月为其女儿操办婚宴，宴请镇村干部及企业老板60余桌，收受礼金20余万元。婚宴在镇政府招待所举办，费用由某村集体“报销”。
此事镇里人人皆知，希望查处。
陈某堃
"""
subj = "反映某镇党委书记周某喆违规操办婚宴"
from_name = "陈某堃"
for raw in (G(subj), G(from_name)):
    assert b"\\" not in raw and b'"' not in raw
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("GBK header bytes must not be valid UTF-8")
eml = message([
    b"From: \"" + G(from_name) + b"\" <chenmou@example.cn>",
    "To: %s" % OFFICE,
    b"Subject: " + G(subj),
    "Date: Wed, 01 Dec 2021 07:45:12 +0800",
    "Message-ID: <000a01d7e63b$5c8e2f10$15aa8d30$@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=gbk",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "gbk"))
case("raw_gbk_headers",
     "Old client sending raw 8-bit GBK bytes (no encoded words) in Subject and in a quoted From display name, body charset=gbk 8bit; header bytes are invalid UTF-8 so the GB18030 fallback must kick in, without warnings; date crosses midnight backwards.",
     eml,
     message_id="000a01d7e63b$5c8e2f10$15aa8d30$@example.cn",
     from_=addr(from_name, "chenmou@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-11-30T23:45:12Z",
     text_contains=["周某喆", "60余桌", "收受礼金20余万元", "“报销”", "陈某堃"],
     text_excludes=["\ufffd"],
     reference_text=body, date_header="Wed, 01 Dec 2021 07:45:12 +0800")

# 5 -------------------------------------------------------------------------
body = """您好！
我是退休教师吴某。看到省委巡视组对我市的反馈意见后，市里各单位纷纷制定整改方案，但不少方案只是换汤不换药，存在“纸面整改”“表态整改”现象。
建议纪委对整改台账逐项检查，对敷衍整改的单位通报曝光。
"""
subj = "建议：巡视整改要防止“纸面整改”"
eml = message([
    U("From: 吴某 <wumou@example.com>"),
    U("To: \"信访举报室\" <%s>" % OFFICE),
    U("Subject: " + subj),
    "Date: Thu, 2 Dec 2021 15:04:05 +0800",
    "Message-ID: <CAF3kq9mR7Yw2pX@mail.example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=\"UTF-8\"",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("raw_utf8_headers",
     "SMTPUTF8-style message with raw UTF-8 bytes in Subject, an unquoted From display name and a quoted To display name; valid UTF-8 so no warning.",
     eml,
     message_id="CAF3kq9mR7Yw2pX@mail.example.com",
     from_=addr("吴某", "wumou@example.com"),
     to=[addr("信访举报室", OFFICE)],
     subject=subj,
     date="2021-12-02T07:04:05Z",
     text_contains=["退休教师吴某", "换汤不换药", "“纸面整改”“表态整改”", "通报曝光"],
     reference_text=body, date_header="Thu, 2 Dec 2021 15:04:05 +0800")

# 6 -------------------------------------------------------------------------
body = """纪委同志：
我到某派出所户籍窗口办理迁户手续，工作人员郑某态度恶劣，啰啰嗦嗦让我跑了五趟，还暗示“找人打个招呼就好办”。
请查处这种吃拿卡要、作风不实的行为。
群众 冯某
"""
subj = "投诉户籍窗口刁难群众"
eml = message([
    "From: %s <fengmou@example.com>" % ew_b("冯某", "cp936", "gbk"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_q(subj, "cp936", "gbk"),
    "Date: Fri, 03 Dec 2021 09:00:00 +0800",
    "Message-ID: <61a96d10.1c69fb81.4a7e.2c3d@mx.example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=CP936",
    "Content-Transfer-Encoding: Quoted-Printable",
], qp_encode(body.encode("gbk")))
case("charset_cp936_qp",
     "Windows-style charset label CP936 (upper case) on a quoted-printable GBK body with GBK-only 啰, Q-encoded cp936 Subject, and 'Quoted-Printable' in mixed case.",
     eml,
     message_id="61a96d10.1c69fb81.4a7e.2c3d@mx.example.com",
     from_=addr("冯某", "fengmou@example.com"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-03T01:00:00Z",
     text_contains=["户籍窗口", "啰啰嗦嗦让我跑了五趟", "“找人打个招呼就好办”", "群众 冯某"],
     text_excludes=["=\n", "=C5", "\ufffd"],
     reference_text=body, date_header="Fri, 03 Dec 2021 09:00:00 +0800")
assert quopri.decodestring(eml.split(b"\r\n\r\n", 1)[1]).replace(b"\r\n", b"\n") == body.encode("gbk")

# 7 -------------------------------------------------------------------------
body = """领导好：
市自然资源局干部钱某某以其妻弟名义在某堃置业有限公司持股30%，并利用职务便利为该公司办理土地手续提供帮助。
相关工商登记信息可在网上查询。
"""
subj = "某局干部在某堃公司违规持股"
eml = message([
    "From: %s <rexin@example.cn>" % ew_b("热心群众", "x-gbk", "gbk"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "x-gbk", "gbk"),
    "Date: Fri, 03 Dec 2021 11:11:11 +0800",
    "Message-ID: <x-gbk-20211203111111@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=\"x-gbk\"",
    "Content-Transfer-Encoding: BASE64",
], b64_lines(crlf_text(body, "gbk")))
case("charset_x_gbk_base64",
     "Charset label x-gbk (quoted) on a base64 body and in B encoded words, transfer encoding spelled 'BASE64'; must decode as GB18030 with GBK-only 堃.",
     eml,
     message_id="x-gbk-20211203111111@example.cn",
     from_=addr("热心群众", "rexin@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-03T03:11:11Z",
     text_contains=["钱某某", "某堃置业有限公司持股30%", "工商登记信息"],
     text_excludes=["\ufffd"],
     reference_text=body, date_header="Fri, 03 Dec 2021 11:11:11 +0800")

# 8 -------------------------------------------------------------------------
body = """紀委監委您好：
本人許某，檢舉某區區長黃某某濫用職權，於去年違規審批土地，並將工程發包給其親屬經營的公司。此人自稱功勞很大，無人敢管。
敬請依法調查處理。
"""
subj = "檢舉某區區長濫用職權"
assert "許".encode("big5")[1:] == b"\\" and "功".encode("big5")[1:] == b"\\"
eml = message([
    "From: %s <hsu@example.com>" % ew_b("許某", "big5"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "big5"),
    "Date: Thu, 02 Dec 2021 03:15:00 GMT",
    "Message-ID: <big5.20211202031500@webmail.example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=big5",
    "Content-Transfer-Encoding: quoted-printable",
], qp_encode(body.encode("big5")))
case("big5_qp",
     "Traditional-Chinese report from a Taiwan/HK webmail: Big5 quoted-printable body (許/功 have 0x5C trail bytes) and Big5 B encoded words; GMT date.",
     eml,
     message_id="big5.20211202031500@webmail.example.com",
     from_=addr("許某", "hsu@example.com"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-02T03:15:00Z",
     text_contains=["本人許某", "濫用職權", "自稱功勞很大", "敬請依法調查處理"],
     text_excludes=["=\n", "\ufffd"],
     reference_text=body, date_header="Thu, 02 Dec 2021 03:15:00 GMT")
assert quopri.decodestring(eml.split(b"\r\n\r\n", 1)[1]).replace(b"\r\n", b"\n") == body.encode("big5")

# 9 -------------------------------------------------------------------------
qp_body = (
    b"Madame, Monsieur,\r\n"
    b"\r\n"
    b"Je souhaite signaler le comportement d'un fonctionnaire d=E9l=E9gu=E9 au bureau d=\r\n"
    b"e la zone de d=E9veloppement, M. Zhang, qui a exig=E9 des frais non pr=E9vus=\r\n"
    b" par la r=E8glementation.\r\n"
    b"Montant demand=E9 : 5 000 =A5 en esp=E8ces.\r\n"
    b"Formule appliqu=E9e : frais =3D 2 % du contrat.\r\n"
    b"\r\n"
    b"Cordialement,\r\n"
    b"Fran=E7ois Dupr=E9\r\n"
)
decoded = quopri.decodestring(qp_body).decode("latin-1").replace("\r\n", "\n")
subj_word = "=?iso-8859-1?Q?R=E9clamation_concernant_un_fonctionnaire_d=E9l=E9gu=E9?="
assert len(subj_word) <= 75
eml = message([
    "From: =?iso-8859-1?Q?Fran=E7ois_Dupr=E9?= <fdupre@example.com>",
    "To: %s" % OFFICE,
    "Subject: %s" % subj_word,
    "Date: Wed, 1 Dec 2021 18:30:00 +0100",
    "Message-ID: <4f1c2a9e-0d3b-4a57-9e21-6b1f0c8d2a10@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=iso-8859-1",
    "Content-Transfer-Encoding: quoted-printable",
], qp_body)
case("latin1_qp",
     "French complaint from a foreign investor: ISO-8859-1 quoted-printable with soft line breaks (one mid-word, one before a space), =E9/=E8/=E7/=A5/=3D escapes; Q-encoded Subject/From with underscores for spaces.",
     eml,
     message_id="4f1c2a9e-0d3b-4a57-9e21-6b1f0c8d2a10@example.com",
     from_=addr("François Dupré", "fdupre@example.com"),
     to=[addr(None, OFFICE)],
     subject=decode_2047(subj_word),
     date="2021-12-01T17:30:00Z",
     text_contains=["fonctionnaire délégué", "bureau de la zone de développement",
                    "non prévus par la règlementation", "5 000 ¥ en espèces",
                    "frais = 2 % du contrat", "François Dupré"],
     text_excludes=["=E9", "=\n", "=3D", "=A5"],
     reference_text=decoded, date_header="Wed, 1 Dec 2021 18:30:00 +0100")
assert decode_2047(subj_word) == "Réclamation concernant un fonctionnaire délégué"

# 10 ------------------------------------------------------------------------
w1 = ew_b("关于市委", "utf-8").replace("?B?", "?b?")
w2 = ew_q("巡视组 反馈", "UTF-8").replace("?Q?", "?q?")
w3 = ew_b("问题整改进展", "utf-8")
subj_raw = "Fw: %s\r\n %s %s (2021-JB-00007)" % (w1, w2, w3)
subj = "Fw: 关于市委巡视组 反馈问题整改进展 (2021-JB-00007)"
assert decode_2047(subj_raw) == subj
from_word = ew_q("赵某", "utf-8").replace("?Q?", "?q?")
body = """信访室：
转来我单位关于市委巡视组反馈问题的整改进展，供参考。截至11月底，18项问题已完成整改15项。
赵某
"""
eml = message([
    "From: %s <zhaomou@example.com>" % from_word,
    "To: %s" % OFFICE,
    "Subject: " + subj_raw,
    "Date: Sat, 4 Dec 2021 10:00:00 +0800",
    "Message-ID: <ew-adjacent-20211204@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
], b64_lines(crlf_text(body, "utf-8")))
case("encoded_words_adjacent",
     "Encoded-word details: lowercase =?utf-8?b?, =?UTF-8?q? with _ for space, adjacent words separated by folding whitespace (joined with no space), plain text next to words (space kept), lowercase q word in From.",
     eml,
     message_id="ew-adjacent-20211204@example.com",
     from_=addr("赵某", "zhaomou@example.com"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-04T02:00:00Z",
     text_contains=["18项问题已完成整改15项"],
     reference_text=body, date_header="Sat, 4 Dec 2021 10:00:00 +0800")

# 11 ------------------------------------------------------------------------
subj = "举报某街道办主任违规发放津贴"
sb = subj.encode("utf-8")
cut = 16
assert cut % 3 != 0  # cuts a character in two
subj_raw = "%s\r\n %s" % (ew_b_bytes(sb[:cut], "UTF-8"), ew_b_bytes(sb[cut:], "UTF-8"))
name = "欧阳某某"
nb = name.encode("gbk")
name_raw = "%s %s" % (ew_b_bytes(nb[:3], "GBK"), ew_b_bytes(nb[3:], "GBK"))
assert decode_2047(subj_raw) == subj and decode_2047(name_raw) == name
for w in (sb[:cut], sb[cut:]):
    try:
        w.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("each half must be undecodable on its own")
body = """纪委：
某街道办主任违规以“综治津贴”名义向街道干部发放津贴，每人每月800元，已持续两年。
欧阳某某
"""
eml = message([
    "From: %s <ouyang@example.cn>" % name_raw,
    "To: %s" % OFFICE,
    "Subject: " + subj_raw,
    "Date: Sat, 4 Dec 2021 21:08:33 +0800",
    "Message-ID: <split-mb.20211204210833@example.cn>",
    "X-Mailer: PHPMailer 5.2.9",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("encoded_word_split_multibyte",
     "Mailer that splits B words on byte counts: a UTF-8 character in the Subject and a GBK character in the From name are split across two adjacent encoded words; bytes must be joined before charset decoding (no U+FFFD, no warning).",
     eml,
     message_id="split-mb.20211204210833@example.cn",
     from_=addr(name, "ouyang@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-04T13:08:33Z",
     text_contains=["“综治津贴”", "每人每月800元"],
     reference_text=body, date_header="Sat, 4 Dec 2021 21:08:33 +0800")

# 12 ------------------------------------------------------------------------
body = """各位领导：
区城管局在巡视整改“回头看”中，把去年已经整改的问题重新报一遍，台账与实际不符。
建议：一是实地核查；二是听取商户意见；三是对弄虚作假者严肃问责。
张某某
"""
subj = "关于区城管局巡视整改\t“回头看”工作的  几点意见建议"
date_hdr = "Tue, 30 Nov 2021 09:15:27 +0800 (CST)"
eml = message([
    U("From: \"张某某\" (举报人) <zhang@example.com>"),
    U("To: \"信访举报\" <%s>,\r\n\t\"第三纪检监察室\" <jc3@example.gov.cn>" % OFFICE),
    U("Subject: 关于区城管局巡视整改\r\n\t“回头看”工作的\r\n  几点意见建议"),
    "Date: " + date_hdr,
    "Message-ID:\r\n <folded.20211130091527.88@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain;\r\n charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("folded_headers_comments",
     "Raw UTF-8 Subject folded over 3 lines with tab and spaces (line breaks removed, whitespace kept), From with a comment after the quoted name, To folded between two recipients, Message-ID folded after the colon, Date with a trailing (CST) comment that must be ignored (+0800 wins).",
     eml,
     message_id="folded.20211130091527.88@example.com",
     from_=addr("张某某", "zhang@example.com"),
     to=[addr("信访举报", OFFICE), addr("第三纪检监察室", "jc3@example.gov.cn")],
     subject=subj,
     date="2021-11-30T01:15:27Z",
     text_contains=["巡视整改“回头看”", "台账与实际不符", "对弄虚作假者严肃问责"],
     reference_text=body, date_header=date_hdr)

# 13 ------------------------------------------------------------------------
body = """某村村委会主任将征地补偿款存入个人账户，至今未发给村民。村民敢怒不敢言，所以匿名反映。
"""
subj = "匿名反映：征地补偿款去向不明"
eml = message([
    "From: anon2021@example.com",
    "To: undisclosed-recipients:;",
    "Subject: %s" % ew_b(subj, "UTF-8"),
    "Date: Sun, 5 Dec 2021 06:30:00 +0800",
    "Message-ID: <anon.1638657000@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("from_bare_addr_undisclosed",
     "Anonymous report sent Bcc-only: From is a bare addr-spec (name null), To is the empty group 'undisclosed-recipients:;' which contributes no recipient.",
     eml,
     message_id="anon.1638657000@example.com",
     from_=addr(None, "anon2021@example.com"),
     to=[],
     subject=subj,
     date="2021-12-04T22:30:00Z",
     text_contains=["征地补偿款存入个人账户", "匿名反映"],
     reference_text=body, date_header="Sun, 5 Dec 2021 06:30:00 +0800")

# 14 ------------------------------------------------------------------------
body = """信访室、办公室：
我单位副主任在疫情防控物资采购中指定供应商，采购价格明显高于市场价。附上采购清单编号：CG-2021-0318。
李某
"""
subj = "反映防疫物资采购问题"
eml = message([
    "From: li.mou@example.com (Li Mou)",
    "To: %s <%s>, jwbgs@example.gov.cn,\r\n undisclosed-recipients:;" % (ew_b("纪委信访室", "UTF-8"), OFFICE),
    "Subject: %s" % ew_b(subj, "UTF-8"),
    "Date: Sun, 05 Dec 2021 14:00:00 +0800",
    "Message-ID: <oldstyle.5512@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("from_addr_comment_name",
     "Old-style 'addr (Comment Name)' From (the comment is taken as the display name), To with two real recipients followed by an empty group that adds nothing.",
     eml,
     message_id="oldstyle.5512@example.com",
     from_=addr("Li Mou", "li.mou@example.com"),
     to=[addr("纪委信访室", OFFICE), addr(None, "jwbgs@example.gov.cn")],
     subject=subj,
     date="2021-12-05T06:00:00Z",
     text_contains=["指定供应商", "CG-2021-0318"],
     reference_text=body, date_header="Sun, 05 Dec 2021 14:00:00 +0800")

# 15 ------------------------------------------------------------------------
body = """您好：
我是某单位退休干部钱某某。单位领导班子在巡视整改期间仍然违规使用公务卡报销私人消费，希望纪委关注。
"""
subj = "退休干部反映单位公务卡使用问题"
eml = message([
    "From: \"%s\" <qianmou@example.com>" % ew_b("钱某某（退休干部）", "gb2312"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "gb2312"),
    "Date: Sun, 5 Dec 2021 16:20:00 +0800",
    "Message-ID: <000001d7e9b2$aa11bb20$fe223340$@example.com>",
    "X-Mailer: Microsoft Outlook 16.0",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=\"gb2312\"",
    "Content-Transfer-Encoding: base64",
], b64_lines(crlf_text(body, "gbk")))
case("from_quoted_encoded_word",
     "Outlook-style From whose display name is an encoded word inside double quotes (not allowed by RFC 2047 but ubiquitous): must still be decoded; the fullwidth parentheses are not a comment.",
     eml,
     message_id="000001d7e9b2$aa11bb20$fe223340$@example.com",
     from_=addr("钱某某（退休干部）", "qianmou@example.com"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date="2021-12-05T08:20:00Z",
     text_contains=["退休干部钱某某", "公务卡报销私人消费"],
     reference_text=body, date_header="Sun, 5 Dec 2021 16:20:00 +0800")

# 16 ------------------------------------------------------------------------
body = """信访室：
现将区纪委转来的群众来信转报你室，请按程序登记办理。
第二纪检监察室
"""
subj = "转：群众来信（2021-JB-00012）"
eml = message([
    U("From: \"王某, 第二纪检监察室 (转)\" <wangm@example.gov.cn>"),
    U("To: \"Chen, Mou\" <chen@example.com>, \"李某, 信访室\" <li@example.gov.cn>"),
    "Subject: %s" % ew_b(subj, "UTF-8"),
    "Date: Mon, 6 Dec 2021 09:01:02 +0800",
    "Message-ID: <internal.20211206090102@example.gov.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("from_comma_in_quoted_name",
     "Quoted display names containing a comma (and parentheses that are not a comment) in From and in both To recipients; address lists must not be split inside quotes.",
     eml,
     message_id="internal.20211206090102@example.gov.cn",
     from_=addr("王某, 第二纪检监察室 (转)", "wangm@example.gov.cn"),
     to=[addr("Chen, Mou", "chen@example.com"), addr("李某, 信访室", "li@example.gov.cn")],
     subject=subj,
     date="2021-12-06T01:01:02Z",
     text_contains=["群众来信转报你室", "请按程序登记办理"],
     reference_text=body, date_header="Mon, 6 Dec 2021 09:01:02 +0800")

# 17-21: obsolete and broken dates ------------------------------------------
DATE_CASES = [
    ("date_two_digit_year_est", "Mon, 29 Nov 21 09:30 EST", "2021-11-29T14:30:00Z",
     "Obsolete date from an overseas reporter: two-digit year 21, no seconds, EST zone name.",
     "我在美国，反映国内某县官员子女在美留学费用来源不明的问题。"),
    ("date_edt_no_weekday", "3 Jun 2021 08:05:09 EDT", "2021-06-03T12:05:09Z",
     "Date without day-of-week, single-digit day, EDT zone name.",
     "补充反映：该官员子女在美购房，房款约60万美元。"),
    ("date_pst_extra_whitespace", "Fri,   3 Dec 2021   16:45   PST   (Pacific Standard Time)",
     "2021-12-04T00:45:00Z",
     "Date with runs of spaces, no seconds, PST and a trailing comment; the UTC result falls on the next day.",
     "旧金山华人侨胞反映：某县招商局干部出国考察期间公款旅游。"),
    ("date_ut_two_digit_1999", "Wed, 1 Dec 99 23:59:59 UT", "1999-12-01T23:59:59Z",
     "Archived 1999 message: two-digit year 99 (-> 1999) with the obsolete 'UT' zone.",
     "（历史档案）反映1999年某乡粮站站长私分粮款问题。"),
]
for i, (name, date_hdr, utc, desc, text) in enumerate(DATE_CASES):
    body = "纪委同志：\n" + text + "\n"
    mid = "date-%d.obs@example.com" % (i + 1)
    subj = "来信反映问题（%d）" % (i + 1)
    eml = message([
        "From: reporter%d@example.com" % (i + 1),
        "To: %s" % OFFICE,
        "Subject: %s" % ew_b(subj, "UTF-8"),
        "Date: " + date_hdr,
        "Message-ID: <%s>" % mid,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ], crlf_text(body, "utf-8"))
    case(name, desc, eml,
         message_id=mid,
         from_=addr(None, "reporter%d@example.com" % (i + 1)),
         to=[addr(None, OFFICE)],
         subject=subj,
         date=utc,
         text_contains=[text[5:20]],
         reference_text=body, date_header=date_hdr)

body = """纪委：
我村会计挪用村集体资金炒股，亏损30余万元。
"""
subj = "反映村会计挪用集体资金"
eml = message([
    "From: cunmin@example.cn",
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "UTF-8"),
    U("Date: 2021年11月30日 上午10:20"),
    "Message-ID: <bad-date.20211130@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("date_unparseable",
     "Broken webmail that writes a localised Chinese date ('2021年11月30日 上午10:20', raw UTF-8): date is null with a bad-date warning.",
     eml,
     message_id="bad-date.20211130@example.cn",
     from_=addr(None, "cunmin@example.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date=None,
     text_contains=["挪用村集体资金炒股"],
     warnings=["bad-date"],
     reference_text=body)

# 22 ------------------------------------------------------------------------
pdf = pdf_like("jubao cailiao")
fname = "举报材料.pdf"
pct = "".join("%%%02X" % c for c in fname.encode("utf-8")[:-4]) + ".pdf"
assert pct == "%E4%B8%BE%E6%8A%A5%E6%9D%90%E6%96%99.pdf"
text = """您好，
举报材料见附件PDF，共3页，涉及某局办公室主任虚开发票套取资金。
"""
eml = message([
    "From: %s <tb-user@example.com>" % ew_b("马某", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("举报材料（附件）", "UTF-8"),
    "Date: Mon, 6 Dec 2021 20:15:00 +0800",
    "Message-ID: <7c1e2f3a-8b9d-4e0f-a1b2-c3d4e5f60718@example.com>",
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:91.0) Gecko/20100101\r\n Thunderbird/91.3.2",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed;\r\n boundary=\"------------0B7E1D2C3A4F5E6D7C8B9A01\"",
    "Content-Language: zh-CN",
], multipart("------------0B7E1D2C3A4F5E6D7C8B9A01", [
    part(["Content-Type: text/plain; charset=UTF-8; format=flowed",
          "Content-Transfer-Encoding: 8bit"], crlf_text(text, "utf-8")),
    part(["Content-Type: application/pdf; name=\"%s\"" % ew_b(fname, "UTF-8"),
          "Content-Disposition: attachment;\r\n filename*=UTF-8''%s" % pct,
          "Content-Transfer-Encoding: base64"], b64_lines(pdf)),
]))
case("rfc2231_utf8_filename",
     "Thunderbird-style attachment: Content-Disposition filename*=UTF-8''%E4%B8%BE... (RFC 2231) plus an encoded-word name= on Content-Type; both give 举报材料.pdf.",
     eml,
     message_id="7c1e2f3a-8b9d-4e0f-a1b2-c3d4e5f60718@example.com",
     from_=addr("马某", "tb-user@example.com"),
     to=[addr(None, OFFICE)],
     subject="举报材料（附件）",
     date="2021-12-06T12:15:00Z",
     text_contains=["虚开发票套取资金"],
     attachments=[att(fname, "application/pdf", pdf)],
     reference_text=text, date_header="Mon, 6 Dec 2021 20:15:00 +0800")

# 23 ------------------------------------------------------------------------
docx = docx_like("docx-2231", 600)
stem = "关于张某某违规收受礼金的举报材料"
gb = stem.encode("gbk")
split = 15
assert split % 2 == 1  # the cut falls inside a two-byte GBK character
p0 = "".join("%%%02X" % c for c in gb[:split])
p1 = "".join("%%%02X" % c for c in gb[split:])
fname = stem + ".docx"
assert (gb[:split] + gb[split:]).decode("gb18030") + ".docx" == fname
text = """纪委领导：
关于张某某违规收受礼金的详细材料见附件Word文档。
"""
eml = message([
    "From: %s <zhengmou@example.cn>" % ew_b("郑某", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("张某某违规收受礼金举报材料", "UTF-8"),
    "Date: Tue, 7 Dec 2021 08:30:00 +0800",
    "Message-ID: <rfc2231-cont.20211207@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"=_2231_cont_boundary\"",
], multipart("=_2231_cont_boundary", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"], crlf_text(text, "utf-8")),
    part(["Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "Content-Disposition: attachment;\r\n\tfilename*0*=gbk''%s;\r\n\tfilename*1*=%s;\r\n\tfilename*2=\".docx\"" % (p0, p1),
          "Content-Transfer-Encoding: base64"], b64_lines(docx)),
], preamble=None))
case("rfc2231_gbk_continuations",
     "RFC 2231 continuations filename*0*=gbk''..; filename*1*=..; filename*2=\".docx\": percent-encoded GBK bytes with one character split between segments 0 and 1, plus an unencoded final segment; bytes must be joined before decoding.",
     eml,
     message_id="rfc2231-cont.20211207@example.cn",
     from_=addr("郑某", "zhengmou@example.cn"),
     to=[addr(None, OFFICE)],
     subject="张某某违规收受礼金举报材料",
     date="2021-12-07T00:30:00Z",
     text_contains=["详细材料见附件Word文档"],
     attachments=[att(fname, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx)],
     reference_text=text, date_header="Tue, 7 Dec 2021 08:30:00 +0800")

# 24 ------------------------------------------------------------------------
jpg = jpeg_like("photo-kun", 420)
fname = "现场照片（堃园小区）.jpg"
fw = ew_b(fname, "GBK")
text = """您好：
堃园小区违建别墅的现场照片见附件，业主是区规划分局某科长的亲戚。
"""
eml = message([
    "From: \"%s\" <foxuser@example.cn>" % ew_b("卫某", "GBK"),
    "To: \"%s\" <%s>" % (ew_b("信访举报", "GBK"), OFFICE),
    "Subject: %s" % ew_b("堃园小区违建照片", "GBK"),
    "Date: Tue, 7 Dec 2021 17:40:21 +0800",
    "Message-ID: <202112071740212031889@example.cn>",
    "X-Mailer: Foxmail 7.2.23.116[cn]",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed;\r\n\tboundary=\"----=_001_NextPart312733581841_=----\"",
], multipart("----=_001_NextPart312733581841_=----", [
    part(["Content-Type: text/plain;\r\n\tcharset=\"GBK\"",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(text, "gbk"))),
    part(["Content-Type: image/jpeg;\r\n\tname=\"%s\"" % fw,
          "Content-Transfer-Encoding: base64",
          "Content-Disposition: attachment;\r\n\tfilename=\"%s\"" % fw], b64_lines(jpg)),
]))
case("encoded_word_filename_gbk",
     "Foxmail/Outlook style attachment name: filename=\"=?GBK?B?...?=\" and name=\"=?GBK?B?...?=\" (encoded word inside a quoted parameter, GBK-only 堃), quoted encoded-word display names.",
     eml,
     message_id="202112071740212031889@example.cn",
     from_=addr("卫某", "foxuser@example.cn"),
     to=[addr("信访举报", OFFICE)],
     subject="堃园小区违建照片",
     date="2021-12-07T09:40:21Z",
     text_contains=["堃园小区违建别墅", "区规划分局某科长"],
     attachments=[att(fname, "image/jpeg", jpg)],
     reference_text=text, date_header="Tue, 7 Dec 2021 17:40:21 +0800")

# 25 ------------------------------------------------------------------------
xls = xls_like("taizhang", 512)
fname = "巡视整改台账.xls"
text = """信访室：
我单位巡视整改台账见附件，其中第7、第12项标注“已完成”，实际并未整改。
"""
eml = message([
    "From: %s <caiwu@example.cn>" % ew_b("某单位职工", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("巡视整改台账存在虚报", "UTF-8"),
    "Date: Wed, 8 Dec 2021 12:00:00 +0800",
    "Message-ID: <name-only.20211208120000@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"b1_name_only_5f3e\"",
], multipart("b1_name_only_5f3e", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(text, "utf-8"))),
    part(["Content-Type: application/vnd.ms-excel; name=\"%s\"" % ew_b(fname, "UTF-8"),
          "Content-Transfer-Encoding: base64"], b64_lines(xls)),
]))
case("content_type_name_only",
     "Attachment with no Content-Disposition at all: filename comes only from the (encoded-word) name= parameter of Content-Type.",
     eml,
     message_id="name-only.20211208120000@example.cn",
     from_=addr("某单位职工", "caiwu@example.cn"),
     to=[addr(None, OFFICE)],
     subject="巡视整改台账存在虚报",
     date="2021-12-08T04:00:00Z",
     text_contains=["第7、第12项标注“已完成”", "实际并未整改"],
     attachments=[att(fname, "application/vnd.ms-excel", xls)],
     reference_text=text, date_header="Wed, 8 Dec 2021 12:00:00 +0800")

# 26 ------------------------------------------------------------------------
html_src = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<style type="text/css">body { font-family: 宋体; color: #333333; } td { border: 1px solid #000; }</style>
<script type="text/javascript">var trackId = "fx-7731"; function reportView(){ document.title = "已读"; }</script>
</head><body>
<!-- 模板版本 v2 -->
<p>尊敬的纪委领导：</p>
<p>我是某堃物业公司员工，反映公司负责人与街道办干部勾结的问题。<br>具体情况如下：</p>
<table border="1"><tr><th>姓名</th><th>职务</th><th>问题</th></tr>
<tr><td>张某某</td><td>街道办副主任</td><td>收受购物卡&nbsp;5000元</td></tr>
<tr><td>李某</td><td>物业公司经理</td><td>虚报维修资金 &lt;约20万元&gt;</td></tr></table>
<p>以上情况 A&amp;B 两栋楼业主均可作证。&#20013;&#x6587;原件另附。</p>
<div>举报人：业主代表　喆某</div>
</body></html>
"""
eml = message([
    "From: %s <yezhu@example.com>" % ew_b("业主代表", "gb2312"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("反映物业公司与街道干部勾结", "gb2312"),
    "Date: Wed, 8 Dec 2021 19:30:00 +0800",
    "Message-ID: <html-only.20211208193000@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/html; charset=\"gb2312\"",
    "Content-Transfer-Encoding: base64",
], b64_lines(crlf_text(html_src, "gbk")))
case("html_only_gbk",
     "HTML-only mail (text/html labelled gb2312 but containing GBK-only 堃/喆, base64) with <style>, <script>, an HTML comment, <br>, <p>, a table and entities (&nbsp; &amp; &lt; &gt; &#20013; &#x6587;): text must have no tags/CSS/JS and decoded entities.",
     eml,
     message_id="html-only.20211208193000@example.com",
     from_=addr("业主代表", "yezhu@example.com"),
     to=[addr(None, OFFICE)],
     subject="反映物业公司与街道干部勾结",
     date="2021-12-08T11:30:00Z",
     text_contains=["尊敬的纪委领导", "某堃物业公司", "街道办副主任", "5000元",
                    "<约20万元>", "A&B 两栋楼", "中文原件另附", "喆某"],
     text_excludes=["<p>", "<br", "<td>", "<table", "color:", "font-family", "宋体",
                    "trackId", "reportView", "模板版本", "&nbsp;", "&amp;", "&lt;",
                    "&#20013;", "&#x6587;"],
     reference_text=html_to_text(html_src), date_header="Wed, 8 Dec 2021 19:30:00 +0800")

# 27 ------------------------------------------------------------------------
plain = """纪委领导您好：
我县某乡在巡视整改中搞“一刀切”，强行拆除农户的养殖棚，补偿标准不公开。
请派人实地了解。
"""
html_alt = """<div>纪委领导您好：</div>
<div>我县某乡在巡视整改中搞<b>“一刀切”</b>，强行拆除农户的养殖棚，补偿标准不公开。</div>
<div>请派人实地了解。</div>
<div><br></div><div style="color:#909090;font-size:12px">发自我的手机邮箱</div>
"""
eml = message([
    "From: %s <nonghu@example.com>" % ew_b("某乡农户", "utf-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("巡视整改不能搞一刀切", "utf-8"),
    "Date: Thu, 9 Dec 2021 07:12:45 +0800",
    "Message-ID: <tencent_61B1D9C5E4F3A2B1@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/alternative;\r\n\tboundary=\"----=_NextPart_61B1D9C5_0F3E8A70_5C1D2E3F\"",
], multipart("----=_NextPart_61B1D9C5_0F3E8A70_5C1D2E3F", [
    part(["Content-Type: text/plain;\r\n\tcharset=\"utf-8\"",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(plain, "utf-8"))),
    part(["Content-Type: text/html;\r\n\tcharset=\"utf-8\"",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(html_alt, "utf-8"))),
]))
case("alternative_text_html",
     "Webmail multipart/alternative (text/plain + text/html, both base64): the text/plain alternative must be chosen (the HTML-only signature must not appear), no attachments.",
     eml,
     message_id="tencent_61B1D9C5E4F3A2B1@example.com",
     from_=addr("某乡农户", "nonghu@example.com"),
     to=[addr(None, OFFICE)],
     subject="巡视整改不能搞一刀切",
     date="2021-12-08T23:12:45Z",
     text_contains=["“一刀切”", "强行拆除农户的养殖棚", "请派人实地了解"],
     text_excludes=["发自我的手机邮箱", "<div>", "<b>"],
     reference_text=plain, date_header="Thu, 9 Dec 2021 07:12:45 +0800")

# 28 ------------------------------------------------------------------------
img = png(8, 8, "inline-screenshot")
pdf2 = pdf_like("zhenggai jianyi")
pdf2_name = "整改建议.pdf"
plain = """您好：
附件是我单位巡视整改的几点建议，截图见正文。
周某
"""
html_rel = """<html><body><p>您好：</p>
<p>附件是我单位巡视整改的几点建议，截图见正文。</p>
<p><img width="8" height="8" src="cid:image001.png@01D7ED12.3A4B5C60" alt="截图"></p>
<p>周某</p></body></html>
"""
B_MIX = "----=_NextPart_000_0015_01D7ED12.3A4B5C60"
B_REL = "----=_NextPart_001_0016_01D7ED12.3A4B5C60"
B_ALT = "----=_NextPart_002_0017_01D7ED12.3A4B5C60"
alt = multipart(B_ALT, [
    part(["Content-Type: text/plain;\r\n\tcharset=\"utf-8\"",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(plain, "utf-8"))),
    part(["Content-Type: text/html;\r\n\tcharset=\"utf-8\"",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(html_rel, "utf-8"))),
], preamble=None)
rel = multipart(B_REL, [
    part(["Content-Type: multipart/alternative;\r\n\tboundary=\"%s\"" % B_ALT], alt),
    part(["Content-Type: image/png;\r\n\tname=\"image001.png\"",
          "Content-Transfer-Encoding: base64",
          "Content-ID: <image001.png@01D7ED12.3A4B5C60>",
          "Content-Disposition: inline;\r\n\tfilename=\"image001.png\""], b64_lines(img)),
], preamble=None)
mix = multipart(B_MIX, [
    part(["Content-Type: multipart/related;\r\n\ttype=\"multipart/alternative\";\r\n\tboundary=\"%s\"" % B_REL], rel),
    part(["Content-Type: application/pdf;\r\n\tname=\"%s\"" % ew_b(pdf2_name, "utf-8"),
          "Content-Transfer-Encoding: base64",
          "Content-Disposition: attachment;\r\n\tfilename=\"%s\"" % ew_b(pdf2_name, "utf-8")], b64_lines(pdf2)),
])
eml = message([
    "From: %s <zhoumou@example.com>" % ew_b("周某", "utf-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("巡视整改建议（含附件）", "utf-8"),
    "Date: Thu, 9 Dec 2021 15:33:10 +0800",
    "Message-ID: <000d01d7ed12$3a4b5c60$aecf1520$@example.com>",
    "X-Mailer: Microsoft Outlook 16.0",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed;\r\n\tboundary=\"%s\"" % B_MIX,
], mix)
case("nested_related_inline_image",
     "Outlook structure multipart/mixed > multipart/related > multipart/alternative with a cid inline PNG and a PDF; text/plain is chosen, the inline image and the PDF are attachments in message order.",
     eml,
     message_id="000d01d7ed12$3a4b5c60$aecf1520$@example.com",
     from_=addr("周某", "zhoumou@example.com"),
     to=[addr(None, OFFICE)],
     subject="巡视整改建议（含附件）",
     date="2021-12-09T07:33:10Z",
     text_contains=["巡视整改的几点建议", "截图见正文"],
     text_excludes=["cid:", "<img", "<p>"],
     attachments=[att("image001.png", "image/png", img), att(pdf2_name, "application/pdf", pdf2)],
     reference_text=plain, date_header="Thu, 9 Dec 2021 15:33:10 +0800")

# 29 ------------------------------------------------------------------------
inner_body = """何主任：
某街道办事处2021年以“加班补贴”名义向全体干部违规发放补贴，人均1.2万元。
一名街道干部
"""
inner = message([
    "From: %s <qunzhong@example.cn>" % ew_b("一名街道干部", "UTF-8"),
    "To: hemou@example.com",
    "Subject: %s" % ew_b("关于某街道违规发放补贴的反映", "UTF-8"),
    "Date: Sun, 28 Nov 2021 20:11:00 +0800",
    "Message-ID: <inner-20211128201100@example.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(inner_body, "utf-8"))
outer_text = """信访室：
转发一封群众来信，请登记处理。
何某
"""
eml = message([
    "From: %s <hemou@example.com>" % ew_b("何某", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: Fwd: %s" % ew_b("关于某街道违规发放补贴的反映", "UTF-8"),
    "Date: Fri, 10 Dec 2021 08:45:00 +0800",
    "Message-ID: <fwd.20211210084500.3321@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"fwd-boundary-8c2e\"",
], multipart("fwd-boundary-8c2e", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"], crlf_text(outer_text, "utf-8")),
    part(["Content-Type: message/rfc822"], inner),
]))
case("forwarded_rfc822",
     "Forward-as-attachment: multipart/mixed with a text part and a message/rfc822 part (no filename); the embedded message is one attachment (its bytes up to, not including, the CRLF before the boundary) and neither its headers nor its body leak into the outer fields or text.",
     eml,
     message_id="fwd.20211210084500.3321@example.com",
     from_=addr("何某", "hemou@example.com"),
     to=[addr(None, OFFICE)],
     subject="Fwd: 关于某街道违规发放补贴的反映",
     date="2021-12-10T00:45:00Z",
     text_contains=["转发一封群众来信，请登记处理"],
     text_excludes=["人均1.2万元"],
     attachments=[att(None, "message/rfc822", inner)],
     reference_text=outer_text, date_header="Fri, 10 Dec 2021 08:45:00 +0800")

# 30 ------------------------------------------------------------------------
img2 = png(6, 5, "truncated-mail")
text = """纪委：
附件是某局长违规出入私人会所的照片。
"""
eml = message([
    "From: %s <paizhao@example.com>" % ew_b("知情人", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("某局长出入私人会所", "UTF-8"),
    "Date: Fri, 10 Dec 2021 22:22:22 +0800",
    "Message-ID: <truncated.20211210222222@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"=_trunc_a1b2c3\"",
], multipart("=_trunc_a1b2c3", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"], crlf_text(text, "utf-8")),
    part(["Content-Type: image/png; name=\"huisuo.png\"",
          "Content-Disposition: attachment; filename=\"huisuo.png\"",
          "Content-Transfer-Encoding: base64"], b64_lines(img2)),
], close=False))
assert not eml.rstrip().endswith(b"--")
case("unterminated_multipart",
     "Mail cut off by a gateway/size limit: multipart/mixed whose closing boundary is missing; both parts seen are kept (text and the complete PNG) with an unterminated-multipart warning.",
     eml,
     message_id="truncated.20211210222222@example.com",
     from_=addr("知情人", "paizhao@example.com"),
     to=[addr(None, OFFICE)],
     subject="某局长出入私人会所",
     date="2021-12-10T14:22:22Z",
     text_contains=["违规出入私人会所的照片"],
     attachments=[att("huisuo.png", "image/png", img2)],
     warnings=["unterminated-multipart"],
     reference_text=text, date_header="Fri, 10 Dec 2021 22:22:22 +0800")

# 31 ------------------------------------------------------------------------
wrong = "------=_Part_9_7654321.1638240000999"
raw_body = (
    wrong + "\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Case ref: 2021-JB-00003\r\n"
    + qp_encode("关于巡视整改问题的补充说明".encode("utf-8")).decode("ascii") + "\r\n"
    + wrong + "--\r\n"
)
eml = message([
    "From: gateway-user@example.com",
    "To: %s" % OFFICE,
    "Subject: Case ref 2021-JB-00003 supplement",
    "Date: Sat, 11 Dec 2021 10:00:00 +0800",
    "Message-ID: <mangled.20211211100000@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"----=_Part_0_1234567.1638240000000\"",
], B(raw_body))
case("boundary_never_appears",
     "Message mangled by a relay: declared boundary never occurs in the (ASCII) body, so the body is taken as plain text with a missing-boundary warning.",
     eml,
     message_id="mangled.20211211100000@example.com",
     from_=addr(None, "gateway-user@example.com"),
     to=[addr(None, OFFICE)],
     subject="Case ref 2021-JB-00003 supplement",
     date="2021-12-11T02:00:00Z",
     text_contains=["Case ref: 2021-JB-00003"],
     warnings=["missing-boundary"],
     reference_text=raw_body, date_header="Sat, 11 Dec 2021 10:00:00 +0800")

# 32 ------------------------------------------------------------------------
raw_body = (
    "Complaint ref 2021-JB-00021\r\n"
    "Submitted via the online form. Reporter: Zhang Moumou (anonymous).\r\n"
    "Content: the township head used a public car for a private wedding.\r\n"
)
eml = message([
    "From: webform@example.gov.cn",
    "To: %s" % OFFICE,
    "Subject: [webform] Complaint ref 2021-JB-00021",
    "Date: Sat, 11 Dec 2021 11:30:00 +0800",
    "Message-ID: <webform.2021-JB-00021@example.gov.cn>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed;",
    "X-Mailer: PHP/7.4.3",
], B(raw_body))
case("multipart_no_boundary_param",
     "Buggy web-form script: Content-Type 'multipart/mixed;' with no boundary parameter; the ASCII body is taken as plain text with a missing-boundary warning.",
     eml,
     message_id="webform.2021-JB-00021@example.gov.cn",
     from_=addr(None, "webform@example.gov.cn"),
     to=[addr(None, OFFICE)],
     subject="[webform] Complaint ref 2021-JB-00021",
     date="2021-12-11T03:30:00Z",
     text_contains=["Complaint ref 2021-JB-00021", "public car for a private wedding"],
     warnings=["missing-boundary"],
     reference_text=raw_body, date_header="Sat, 11 Dec 2021 11:30:00 +0800")

# 33 ------------------------------------------------------------------------
photo = jpeg_like("broken-b64", 300)
assert len(photo) % 3 == 0
good = base64.b64encode(photo).decode("ascii")
bad = good[:-1]                          # truncated: final group has 3 chars
rows = [bad[i:i + 76] for i in range(0, len(bad), 76)]
rows[1] = rows[1][:30] + "*!" + rows[1][30:]   # junk outside the alphabet
rows[3] = rows[3][:10] + "?" + rows[3][10:]
broken_b64 = CRLF.join(r.encode("ascii") for r in rows) + CRLF
expected_photo, was_broken = lenient_b64(broken_b64)
assert was_broken and expected_photo == photo[:299] and len(expected_photo) == 299
text = """您好：
附件是现场拍的照片，手机发送可能有问题，请查收。
"""
eml = message([
    "From: %s <shouji@example.com>" % ew_b("群众", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("现场照片", "UTF-8"),
    "Date: Sun, 12 Dec 2021 13:14:15 +0800",
    "Message-ID: <broken-b64.20211212131415@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"Apple-Mail-5E1F2A3B-4C5D-6E7F-8091-A2B3C4D5E6F7\"",
], multipart("Apple-Mail-5E1F2A3B-4C5D-6E7F-8091-A2B3C4D5E6F7", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"], crlf_text(text, "utf-8")),
    part(["Content-Type: image/jpeg; name=IMG_20211212_131001.jpg",
          "Content-Disposition: attachment; filename=IMG_20211212_131001.jpg",
          "Content-Transfer-Encoding: base64"], broken_b64),
], preamble=None))
case("broken_base64_attachment",
     "Corrupted attachment: base64 with junk characters (*, !, ?) mid-stream and a truncated final 3-char group; decoded leniently to 299 bytes with a broken-base64 warning; unquoted filename parameter.",
     eml,
     message_id="broken-b64.20211212131415@example.com",
     from_=addr("群众", "shouji@example.com"),
     to=[addr(None, OFFICE)],
     subject="现场照片",
     date="2021-12-12T05:14:15Z",
     text_contains=["附件是现场拍的照片"],
     attachments=[att("IMG_20211212_131001.jpg", "image/jpeg", expected_photo)],
     warnings=["broken-base64"],
     reference_text=text, date_header="Sun, 12 Dec 2021 13:14:15 +0800")

# 34 ------------------------------------------------------------------------
body = """某村村支书私分土地流转款，请查。
"""
eml = message([
    "From: %s <niming@example.cn>" % ew_b("不愿透露姓名的村民", "UTF-8"),
    "To: %s" % OFFICE,
    "Date: Sun, 12 Dec 2021 23:59:00 +0800",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("missing_message_id_no_subject",
     "Minimal script-generated tip with neither Message-ID nor Subject: message_id and subject are null, missing-message-id warning only (no subject warning exists).",
     eml,
     message_id=None,
     from_=addr("不愿透露姓名的村民", "niming@example.cn"),
     to=[addr(None, OFFICE)],
     subject=None,
     date="2021-12-12T15:59:00Z",
     text_contains=["私分土地流转款"],
     warnings=["missing-message-id"],
     reference_text=body, date_header="Sun, 12 Dec 2021 23:59:00 +0800")

# 35 ------------------------------------------------------------------------
body = """反映人：孙某某
被反映人：某县水利局局长
主要问题：在河道整治工程招标中泄露标底。
"""
subj = "网上举报平台转来：2021-JB-00031"
eml = message([
    "From: %s <noreply@example.gov.cn>" % ew_b("网上举报平台", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b(subj, "UTF-8"),
    "Message-ID: <platform.2021-JB-00031@example.gov.cn>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "X-Mailer: PHP/7.4.3",
], crlf_text(body, "utf-8"))
case("missing_date",
     "Report relayed by an internal web platform that forgets the Date header: date null with a missing-date warning.",
     eml,
     message_id="platform.2021-JB-00031@example.gov.cn",
     from_=addr("网上举报平台", "noreply@example.gov.cn"),
     to=[addr(None, OFFICE)],
     subject=subj,
     date=None,
     text_contains=["被反映人：某县水利局局长", "泄露标底"],
     warnings=["missing-date"],
     reference_text=body)

# 36 ------------------------------------------------------------------------
body = """您好，
补充材料如下：张某某名下另有一套房产，位于某小区8栋，系某开发商“赠送”。
赵某

在 2021年12月1日 10:00，信访室 <xfjb@example.gov.cn> 写道：
> 您反映的问题（编号2021-JB-00001）已受理，如有补充材料请回复本邮件。
"""
subj = "Re: 关于2021-JB-00001的补充材料"
refs = ["orig.20211129.0001@example.com",
        "ack.2021-JB-00001.1638324000@example.gov.cn",
        "followup.2021-JB-00001.1638331200@example.gov.cn"]
eml = message([
    "From: %s <zhaomou@example.com>" % ew_b("赵某", "UTF-8"),
    "To: %s <%s>" % (ew_b("信访室", "UTF-8"), OFFICE),
    "Subject: Re: %s" % ew_b("关于2021-JB-00001的补充材料", "UTF-8"),
    "Date: Mon, 13 Dec 2021 09:09:09 +0800",
    "Message-ID: <reply.20211213090909@example.com>",
    "In-Reply-To: <%s>" % refs[2],
    "References: <%s>\r\n <%s>\r\n\t<%s>" % tuple(refs),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], crlf_text(body, "utf-8"))
case("reply_references",
     "Reporter's reply to the office: Subject 'Re: 关于2021-JB-00001的补充材料' (plain 'Re:' + encoded word), In-Reply-To, References folded over 3 lines with space and tab, quoted original text.",
     eml,
     message_id="reply.20211213090909@example.com",
     from_=addr("赵某", "zhaomou@example.com"),
     to=[addr("信访室", OFFICE)],
     subject=subj,
     date="2021-12-13T01:09:09Z",
     in_reply_to=refs[2],
     references=refs,
     text_contains=["系某开发商“赠送”", "2021-JB-00001"],
     reference_text=body, date_header="Mon, 13 Dec 2021 09:09:09 +0800")

# 37 ------------------------------------------------------------------------
raw = ("以下是我从文件中复制的内容：\r\n".encode("utf-8") + b"\xff\xfe"
       + "某局长张某某在任期间多次违规提拔亲属。\r\n".encode("utf-8"))
eml = message([
    "From: copy-paste@example.com",
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("举报某局长违规提拔亲属", "UTF-8"),
    "Date: Mon, 13 Dec 2021 14:00:00 +0800",
    "Message-ID: <bad-utf8.20211213140000@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
], raw)
ref = raw.decode("utf-8", "replace").replace("\r\n", "\n")
case("undecodable_utf8_body",
     "Declared UTF-8 8bit body containing a pasted UTF-16 BOM (lone 0xFF 0xFE): those bytes become U+FFFD, the rest decodes, undecodable-bytes warning.",
     eml,
     message_id="bad-utf8.20211213140000@example.com",
     from_=addr(None, "copy-paste@example.com"),
     to=[addr(None, OFFICE)],
     subject="举报某局长违规提拔亲属",
     date="2021-12-13T06:00:00Z",
     text_contains=["以下是我从文件中复制的内容", "\ufffd", "多次违规提拔亲属"],
     warnings=["undecodable-bytes"],
     reference_text=ref, date_header="Mon, 13 Dec 2021 14:00:00 +0800")

# 38 ------------------------------------------------------------------------
body = """To the Commission for Discipline Inspection,

I wish to report that Deputy Director Zhang (Zhang Moumou) of the county land
bureau accepted shopping cards from developers during the rectification
period after the provincial inspection.

A concerned citizen
"""
eml = message([
    "From: citizen@example.com",
    "To: %s" % OFFICE,
    "Subject: Report on Deputy Director Zhang",
    "Date: Tue, 14 Dec 2021 10:10:10 +0800",
    "Message-ID: <unknown-cs.20211214101010@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=\"x-unknown-charset\"",
    "Content-Transfer-Encoding: 7bit",
], crlf_text(body, "ascii"))
case("unknown_charset_ascii",
     "Unknown charset label x-unknown-charset on a pure-ASCII body: text is still extracted intact, unknown-charset warning.",
     eml,
     message_id="unknown-cs.20211214101010@example.com",
     from_=addr(None, "citizen@example.com"),
     to=[addr(None, OFFICE)],
     subject="Report on Deputy Director Zhang",
     date="2021-12-14T02:10:10Z",
     text_contains=["Zhang Moumou", "accepted shopping cards from developers"],
     warnings=["unknown-charset"],
     reference_text=body, date_header="Tue, 14 Dec 2021 10:10:10 +0800")

# 39 ------------------------------------------------------------------------
t1 = """第一部分：基本情况
某县交通局副局长韩某某分管工程建设。
"""
t2 = """第二部分：主要问题
韩某某收受施工方所送茅台酒二十箱。
"""
t3 = """证人名单：
1. 赵某
2. 钱某
"""
t3_bytes = crlf_text(t3, "utf-8")
fname = "补充说明.txt"
eml = message([
    "From: %s <lvmou@example.com>" % ew_b("吕某", "UTF-8"),
    "To: %s" % OFFICE,
    "Subject: %s" % ew_b("举报交通局副局长韩某某", "UTF-8"),
    "Date: Tue, 14 Dec 2021 16:16:16 +0800",
    "Message-ID: <joined.20211214161616@example.com>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/mixed; boundary=\"joined-texts-77\"",
], multipart("joined-texts-77", [
    part(["Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"], crlf_text(t1, "utf-8")),
    part(["Content-Type: text/plain; charset=gbk",
          "Content-Disposition: inline",
          "Content-Transfer-Encoding: base64"], b64_lines(crlf_text(t2, "gbk"))),
    part(["Content-Type: text/plain; charset=utf-8; name=\"%s\"" % ew_b(fname, "UTF-8"),
          "Content-Disposition: attachment; filename=\"%s\"" % ew_b(fname, "UTF-8"),
          "Content-Transfer-Encoding: base64"], b64_lines(t3_bytes)),
], preamble=None))
case("inline_texts_joined_text_attachment",
     "multipart/mixed with two inline text/plain parts (one without Content-Disposition in UTF-8, one 'inline' in GBK base64) whose texts are joined, and a text/plain part with disposition attachment + filename that is an attachment, not body text.",
     eml,
     message_id="joined.20211214161616@example.com",
     from_=addr("吕某", "lvmou@example.com"),
     to=[addr(None, OFFICE)],
     subject="举报交通局副局长韩某某",
     date="2021-12-14T08:16:16Z",
     text_contains=["第一部分：基本情况", "分管工程建设", "第二部分：主要问题", "茅台酒二十箱"],
     text_excludes=["证人名单"],
     attachments=[att(fname, "text/plain", t3_bytes)],
     reference_text=t1 + t2, date_header="Tue, 14 Dec 2021 16:16:16 +0800")


# ===========================================================================
# Output
# ===========================================================================

README_HEAD = """# DocketMail parser corpus

Generated by `make_corpus.py` (Python 3, standard library only, deterministic);
do not edit the `.eml`/`.json`/`README.md` files by hand, edit the script and
rerun `python3 make_corpus.py`.

Each case `NAME` has `NAME.eml` (raw wire bytes) and `NAME.json` (expected
parse; only the keys present are checked: `message_id`, `from`, `to`,
`subject`, `date` (RFC 3339 UTC), `in_reply_to`, `references`,
`text_contains`, `text_excludes`, `attachments` (complete, in message order,
with decoded `size` and `sha256`), `warnings` (exact set)).

Attachment content of a non-base64 part (e.g. `message/rfc822`) ends before
the CRLF that precedes the next boundary line (RFC 2046: that CRLF belongs to
the delimiter).

## Cases

"""


def main():
    wanted = set()
    for name, desc, eml, exp in CASES:
        wanted.add(name + ".eml")
        wanted.add(name + ".json")
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(eml)
        text = json.dumps(exp, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        with open(os.path.join(HERE, name + ".json"), "wb") as f:
            f.write(text.encode("utf-8"))
    # Remove corpus files of cases that no longer exist.
    for fn in sorted(os.listdir(HERE)):
        if fn.endswith((".eml", ".json")) and fn not in wanted:
            os.remove(os.path.join(HERE, fn))
    readme = README_HEAD + "".join("- `%s` — %s\n" % (n, d) for n, d, _, _ in CASES)
    with open(os.path.join(HERE, "README.md"), "wb") as f:
        f.write(readme.encode("utf-8"))
    print("wrote %d cases to %s" % (len(CASES), HERE))


if __name__ == "__main__":
    main()
