#!/usr/bin/env bash
# bench/mail.sh — issue 4's targets, measured with the release binary on a generated Maildir of
# MESSAGES messages (default 10,000) shaped like a Chinese public-reporting mailbox's: about 40% plain
# UTF-8, 25% GBK-family (gb2312, gbk, GB18030, cp936, x-gbk labels; raw 8-bit and RFC 2047 subjects),
# 15% text+HTML alternatives, 10% HTML only, 10% with one or two PDF/JPEG/DOCX attachments (RFC 2231
# or encoded-word Chinese names); base64, quoted-printable and 8bit; about 3% replies to earlier ones
# (its size is printed first). Then:
#   1. Python's email package (policy.default) in one process: parse, read the headers, the body
#      (plain before HTML) and each attachment with its SHA-256; median of RUNS, in messages/second;
#   2. `docket intake email --dry-run --json --maildir DIR` as one process: median of RUNS, in
#      messages/second (target ≥ 10× Python's rate); its JSON is checked once against the corpus;
#   3. end to end on the embedded database: `docket intake email --as mailbot --maildir DIR` (each
#      message registered and moved new/ → cur/), in messages/second (target ≥ 200, issue 19).
# Usage: bench/mail.sh [MESSAGES] [RUNS]   (DOCKET_BENCH_E2E=N runs step 3 on the first N messages
# only, 0 skips it; builds with deploy/setup unless DOCKET_BIN=PATH names a release binary; uses a
# throw-away DOCKET_HOME, the Maildir inside it)
set -euo pipefail
repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd -- "$repo"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_binary bench/mail.sh
messages="${1:-10000}"
runs="${2:-3}"
e2e="${DOCKET_BENCH_E2E:-$messages}"
[[ "$messages" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ && "$e2e" =~ ^[0-9]+$ ]] || {
  echo "usage: [DOCKET_BENCH_E2E=N] bench/mail.sh [MESSAGES] [RUNS] (whole numbers)" >&2
  exit 64
}
((e2e <= messages)) || e2e="$messages"

export DOCKET_HOME="$(mktemp -d /tmp/docket-bench.XXXXXX)"
trap bench_cleanup EXIT
maildir="$DOCKET_HOME/maildir"
corpus="$DOCKET_HOME/corpus.json"

# The corpus: deterministic (seeded), raw bytes, one file per message in new/ under a Maildir unique
# name; corpus.json keeps what each message really says, to check docket's reading against.
python3 - "$maildir" "$messages" "$corpus" <<'PY'
import base64, datetime, hashlib, html, json, os, quopri, random, re, sys, urllib.parse
from email.utils import format_datetime
from progress import Progress
maildir, count, corpus_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20250402)
for sub in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(maildir, sub), exist_ok=True)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志海燕红梅文博俊轩浩然欣怡德福贵生春林玉凤清"
GBK_ONLY = "喆堃镕昇犇垚玥珺赟燊"      # in GBK, not in GB2312: sent under gb2312 labels all the same
GB18030_ONLY = "𠮷䶮"                 # beyond GBK: only in UTF-8 and GB18030 messages
PLACES = ["城关镇", "河西乡", "东城街道", "新安镇", "柳林镇", "石桥乡", "南湖街道", "青山镇", "白马乡", "五里铺镇"]
VILLAGES = ["李家村", "王庄村", "新农村", "红旗村", "三里屯社区", "柳树湾村", "张家沟村", "前进村", "河口村", "杨树林村"]
UNITS = ["县住建局", "县自然资源局", "县教育局", "县人民医院", "镇政府", "县公安局交警大队", "县农业农村局",
         "县市场监管局", "县交通运输局", "村委会", "县水利局", "县民政局", "街道办事处", "县医保局"]
POSTS = ["局长", "副局长", "党支部书记", "村委会主任", "镇长", "副镇长", "科长", "所长", "院长", "会计", "站长", "主任"]
PROJECTS = ["道路硬化工程", "危房改造项目", "高标准农田建设项目", "饮水安全工程", "棚户区改造项目", "学校食堂采购",
            "河道治理工程", "扶贫产业园建设", "村级活动场所修缮工程", "老旧小区改造工程"]
FUNDS = ["低保资金", "征地补偿款", "扶贫资金", "粮食直补资金", "危房改造补助", "集体土地流转收入", "退耕还林补助",
         "养老保险补贴", "防汛救灾物资款"]
SENTENCES = [
    "{name}在担任{unit}{post}期间，利用职务便利，在{project}中收受施工方好处费{amount}万元。",
    "{village}{year}年的{fund}共计{amount}万元，至今未向村民公开，群众意见很大。",
    "{name}经常在工作日中午饮酒，并多次使用公车办理私事，影响极坏。",
    "{project}工程质量低劣，路面刚修好不到半年就出现大面积开裂，验收时存在明显弄虚作假。",
    "我们多次向{unit}反映，均未得到答复，有关人员互相推诿。",
    "{name}的亲属{name2}没有资质，却连续三年承包了{place}的{project}。",
    "在{fund}发放过程中，{name}优亲厚友，把不符合条件的亲戚朋友列入名单，真正困难的群众却领不到。",
    "{name}在{place}违规占用耕地{mu}亩建房，并对外出租牟利。",
    "今年{month}月，{unit}以“检查”为名多次到辖区企业吃拿卡要，收受购物卡、烟酒等礼品。",
    "据知情人反映，{name}在{city}购买了两套住房，与其收入明显不符。",
    "{village}的村干部在换届选举中存在拉票贿选行为，每票{amount2}元。",
    "{name}长期不在岗，工资照领，单位考勤形同虚设。",
    "{unit}在办理不动产登记时故意刁难群众，不送红包就拖着不办。",
    "群众的诉求是：依法依规查清问题，追回被侵占的资金，对相关责任人严肃处理。",
    "以上情况属实，如有不实愿承担法律责任。",
    "附件中有相关照片、收据和转账记录，请领导查收核实。",
    "希望上级纪委监委高度重视，派人深入调查，给群众一个公道。",
    "由于担心打击报复，暂不便透露真实姓名，恳请为举报人保密。",
    "{name}还违规兼职取酬，在{city}一家公司挂名领取报酬每月{amount2}元。",
    "该项目招投标过程中存在围标串标问题，中标单位早已内定。",
    "{fund}被以“工作经费”名义截留挪用，具体账目请查{year}年度村级财务。",
    "{name}为其子女婚事大操大办，宴请{tables}桌，收受管理服务对象礼金。",
]
GREETINGS = ["尊敬的纪委领导：\n您好！", "县纪委监委信访室：", "各位领导：", "尊敬的领导：", "纪委监委的同志们：你们好！", ""]
CLOSINGS = ["此致\n敬礼！", "恳请领导百忙之中予以重视！", "谢谢！", "盼复。", ""]
CITIES = ["市区", "省城", "海南三亚", "县城新区"]
DOMAINS = [("qq.com", 34), ("163.com", 18), ("126.com", 8), ("foxmail.com", 6), ("sina.com", 5), ("sohu.com", 3),
           ("139.com", 5), ("gmail.com", 4), ("yeah.net", 2), ("outlook.com", 3), ("aliyun.com", 2),
           ("example.edu.cn", 2)]
ATTACHMENT_NAMES = ["举报材料.pdf", "证据照片{n}.jpg", "情况说明.docx", "工程款支付凭证.pdf", "村务公开栏照片.jpg",
                    "收款收据扫描件.pdf", "补偿款发放名单.pdf", "现场照片_{n}.jpg", "关于{name}违纪问题的举报信.docx",
                    "关于{village}{fund}被截留挪用问题的实名举报材料及相关证据（第{n}部分）.pdf",
                    "IMG_2025{mmdd}_{hhmmss}.jpg", "scan{n4}.pdf", "mmexport{ms}.jpg"]
OFFICE = "xfjb@example.gov.cn"


def person():
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    if rng.random() < 0.04:
        name = name[:-1] + rng.choice(GBK_ONLY)
    return name


def fill(template, charset):
    name2 = person()
    if charset in ("utf-8", "gb18030") and rng.random() < 0.15:
        name2 = name2[:1] + rng.choice(GB18030_ONLY)
    return template.format(
        name=person(), name2=name2, unit=rng.choice(UNITS), post=rng.choice(POSTS), place=rng.choice(PLACES),
        village=rng.choice(VILLAGES), project=rng.choice(PROJECTS), fund=rng.choice(FUNDS),
        amount=rng.choice(("3", "5.6", "12", "20", "38.5", "100")), amount2=rng.choice(("200", "500", "3000")),
        year=rng.choice(("2022", "2023", "2024")), month=rng.randint(1, 12), mu=rng.choice(("0.8", "1.5", "3")),
        city=rng.choice(CITIES), tables=rng.randint(20, 80))


def body_text(charset, signature, length):
    paragraphs, size = [], 0
    greeting = rng.choice(GREETINGS)
    if greeting:
        paragraphs.append(greeting)
    while size < length:
        paragraph = "".join(fill(rng.choice(SENTENCES), charset) for _ in range(rng.randint(2, 6)))
        paragraphs.append("    " + paragraph if rng.random() < 0.5 else paragraph)
        size += len(paragraph)
    closing = rng.choice(CLOSINGS)
    if closing:
        paragraphs.append(closing)
    paragraphs.append(signature)
    return "\n\n".join(paragraphs) if rng.random() < 0.6 else "\n".join(paragraphs)


def text_length():
    return int(min(6000, max(200, rng.lognormvariate(6.8, 0.75))))


def codec(charset):
    return {"utf-8": "utf-8", "gb18030": "gb18030"}.get(charset.lower(), "gbk")


def wrap8(text, width=76):
    """Lines short enough for 8bit (RFC 5322's 998 octets), as clients hard-wrap plain text."""
    lines = []
    for line in text.split("\n"):
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
        lines.append(line)
    return "\n".join(lines)


def wrap8_html(text, width=76, most=300):
    """The same for HTML: breaks between tags, and inside text only when it runs long; never in a tag."""
    lines = []
    for line in text.split("\n"):
        current = ""
        for token in re.split(r"(<[^>]*>)", line):
            if token.startswith("<"):
                if current and len(current) + len(token) > width:
                    lines.append(current)
                    current = ""
                current += token
                continue
            while len(current) + len(token) > most:
                take = most - len(current)
                lines.append(current + token[:take])
                current, token = "", token[take:]
            current += token
        lines.append(current)
    return "\n".join(lines)


def transfer(text, charset, cte, html=False):
    """The part's body bytes under the transfer encoding cte."""
    if cte == "8bit":
        return (wrap8_html(text) if html else wrap8(text)).encode(codec(charset)) + b"\n"
    data = text.encode(codec(charset))
    if cte == "base64":
        return base64.encodebytes(data)
    return quopri.encodestring(data) + b"\n"


def encoded_words(text, label, cod, q=False):
    """RFC 2047 encoded words of at most 75 characters, folded, never splitting a character."""
    words, chunk = [], b""
    limit = 20 if q else 36
    for ch in text:
        b = ch.encode(cod)
        if chunk and len(chunk) + len(b) > limit:
            words.append(chunk)
            chunk = b""
        chunk += b
    if chunk:
        words.append(chunk)
    out = []
    for w in words:
        if q:
            enc = "".join(chr(c) if chr(c).isalnum() and c < 128 else "_" if c == 32 else "=%02X" % c for c in w)
            out.append("=?%s?Q?%s?=" % (label, enc))
        else:
            out.append("=?%s?B?%s?=" % (label, base64.b64encode(w).decode()))
    return "\n ".join(out).encode()


def header_text(text, family):
    """A Subject-like value as real clients write it: mostly encoded words, sometimes raw 8-bit."""
    r = rng.random()
    if family == "utf-8":
        if r < 0.65: return encoded_words(text, rng.choice(("utf-8", "UTF-8")), "utf-8")
        if r < 0.75: return encoded_words(text, "UTF-8", "utf-8", q=True)
        if r < 0.90: return text.encode("utf-8")
        try:            # a client that labels the subject apart from the body
            text.encode("gbk")
            return encoded_words(text, "gb2312", "gbk")
        except UnicodeEncodeError:
            return encoded_words(text, "utf-8", "utf-8")
    label = "gb18030" if family == "gb18030" else rng.choice(("gb2312", "GB2312", "gbk", "GBK"))
    if r < 0.15: return text.encode(codec(family))
    if r < 0.70: return encoded_words(text, label, codec(family))
    if r < 0.90: return encoded_words(text, "utf-8", "utf-8")
    return encoded_words(text, label, codec(family), q=True)


def ctype(subtype, charset):
    form = rng.random()
    if form < 0.5: return f'text/{subtype}; charset="{charset}"'.encode()
    if form < 0.8: return f"text/{subtype}; charset={charset}".encode()
    return f'text/{subtype};\n\tcharset="{charset}"'.encode()


def html_of(text, charset):
    blocks = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            blocks.append("<div><br></div>")
            continue
        lead = "&nbsp;&nbsp;&nbsp;&nbsp;" if paragraph.startswith("    ") else ""
        body = html.escape(paragraph.strip(), quote=False)
        if rng.random() < 0.3:
            body = f'<span style="font-family: 宋体; font-size: 14px;">{body}</span>'
        blocks.append(f"<div>{lead}{body}</div>")
    style = ("<style>body { line-height: 1.5; } blockquote { margin-top: 0px; margin-bottom: 0px; "
             "margin-left: 0.5em; } p { margin-top: 0px; margin-bottom: 0px; }</style>")
    return (f'<html><head><meta http-equiv="content-type" content="text/html; charset={charset}">{style}</head>'
            f'<body>\n' + "\n".join(blocks) + '\n<hr style="width: 210px; height: 1px;" color="#b5c4df" '
            'size="1" align="left">\n</body></html>')


def part(headers, body):
    return b"".join(name.encode() + b": " + value + b"\n" for name, value in headers) + b"\n" + body


def text_part(text, subtype, charset, cte):
    content = text if subtype == "plain" else html_of(text, charset)
    headers = [("Content-Type", ctype(subtype, charset))]
    if cte != "8bit" or rng.random() > 0.02:    # a few 8-bit parts arrive without the header
        headers.append(("Content-Transfer-Encoding", cte.encode()))
    return headers, transfer(content, charset, cte, html=subtype == "html")


def boundary():
    style = rng.random()
    h = "%016X" % rng.getrandbits(64)
    if style < 0.4: return f"----=_NextPart_{h[:3]}_{h[3:7]}_{h[7:15]}.{h[8:16]}"
    if style < 0.7: return f"----=_Part_{rng.randint(10000, 999999)}_{rng.randint(10**8, 10**9)}.{rng.randint(10**12, 10**13)}"
    return f"_000_{h}{'%08x' % rng.getrandbits(32)}_"


def multipart(subtype, parts, preamble=True):
    b = boundary()
    body = b"This is a multi-part message in MIME format.\n\n" if preamble and rng.random() < 0.6 else b""
    for headers, payload in parts:
        body += b"--" + b.encode() + b"\n" + part(headers, payload)
    body += b"--" + b.encode() + b"--\n"
    return [("Content-Type", f'multipart/{subtype};\n\tboundary="{b}"'.encode())], body


def attachment(family, who):
    kind = rng.random()
    template = rng.choice(ATTACHMENT_NAMES)
    name = template.format(n=rng.randint(1, 9), name=who, village=rng.choice(VILLAGES), fund=rng.choice(FUNDS),
                           mmdd="%02d%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
                           hhmmss="%06d" % rng.randint(0, 235959), n4="%04d" % rng.randint(1, 300),
                           ms=str(rng.randint(1700000000000, 1760000000000)))
    ext = name.rsplit(".", 1)[1]
    size = rng.randint(2 * 1024, 50 * 1024)
    if ext == "pdf":
        head, tail, ct = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n", "application/pdf"
    elif ext == "jpg":
        head, tail, ct = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", b"\xff\xd9", "image/jpeg"
    else:
        head, tail = b"PK\x03\x04\x14\x00\x06\x00\x08\x00", b"PK\x05\x06" + bytes(18)
        ct = rng.choice(("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/octet-stream"))
    data = head + rng.randbytes(size - len(head) - len(tail)) + tail
    cod = "utf-8" if family == "utf-8" else codec(family)
    label = "UTF-8" if family == "utf-8" else ("GB2312" if family != "gb18030" else "GB18030")
    if name.isascii():
        ct_h = f'{ct};\n\tname="{name}"'.encode()
        cd_h = f'attachment;\n\tfilename="{name}"'.encode()
    elif kind < 0.45:                                   # RFC 2231, as Thunderbird writes it
        quoted = urllib.parse.quote(name.encode(cod), safe="")
        if len(quoted) > 60:
            pieces = [quoted[i:i + 60] for i in range(0, len(quoted), 60)]
            # never split a %XX escape across pieces
            fixed, carry = [], ""
            for p in pieces:
                p = carry + p
                cut = p.rfind("%", max(0, len(p) - 2))
                carry, p = (p[cut:], p[:cut]) if cut != -1 and len(p) - cut < 3 else ("", p)
                fixed.append(p)
            if carry:
                fixed[-1] += carry
            params = ";\n ".join(f"filename*{i}*={label + chr(39) * 2 if i == 0 else ''}{p}"
                                 for i, p in enumerate(fixed))
            nparams = ";\n ".join(f"name*{i}*={label + chr(39) * 2 if i == 0 else ''}{p}"
                                  for i, p in enumerate(fixed))
        else:
            params = f"filename*={label}''{quoted}"
            nparams = f"name*={label}''{quoted}"
        ct_h = f"{ct};\n {nparams}".encode()
        cd_h = f"attachment;\n {params}".encode()
    elif kind < 0.96:                                   # encoded words in quotes, as Outlook and QQ Mail do
        ew = encoded_words(name, label.lower() if rng.random() < 0.5 else label, cod).decode().replace("\n ", " ")
        ct_h = f'{ct};\n\tname="{ew}"'.encode()
        cd_h = f'attachment;\n\tfilename="{ew}"'.encode()
    else:                                               # raw 8-bit name
        ct_h = ct.encode() + b';\n\tname="' + name.encode(cod) + b'"'
        cd_h = b'attachment;\n\tfilename="' + name.encode(cod) + b'"'
    info = {"filename": name, "content_type": ct, "size": size, "sha256": hashlib.sha256(data).hexdigest()}
    return ([("Content-Type", ct_h), ("Content-Disposition", cd_h), ("Content-Transfer-Encoding", b"base64")],
            base64.encodebytes(data)), info


def sender():
    domain = rng.choices([d for d, _ in DOMAINS], [w for _, w in DOMAINS])[0]
    if domain in ("qq.com", "foxmail.com") and rng.random() < 0.7:
        local = str(rng.randint(10000, 3999999999))
    else:
        local = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        local += str(rng.randint(0, 9999)) if rng.random() < 0.6 else ""
    return person(), f"{local}@{domain}"


def address_header(name, address, family):
    r = rng.random()
    if r < 0.35: return address.encode() if rng.random() < 0.5 else f"<{address}>".encode()
    if r < 0.55: return b'"' + encoded_words(name, "utf-8" if family == "utf-8" else "gb2312",
                                             "utf-8" if family == "utf-8" else "gbk") + f'" <{address}>'.encode()
    if r < 0.88: return encoded_words(name, "utf-8" if family == "utf-8" else "gb2312",
                                      "utf-8" if family == "utf-8" else "gbk") + f" <{address}>".encode()
    if r < 0.95: return name.encode("utf-8" if family == "utf-8" else "gbk") + f" <{address}>".encode()
    return f'"{address.split("@")[0]}" <{address}>'.encode()


def message_id(address, when, i):
    domain = address.split("@")[1]
    h = "%032X" % rng.getrandbits(128)
    style = rng.random()
    if domain in ("qq.com", "foxmail.com") and style < 0.6: return f"tencent_{h}{i:05d}@qq.com"
    if domain in ("163.com", "126.com", "yeah.net") and style < 0.7:
        return f"{h[:8].lower()}.{h[8:12].lower()}.{h[12:23].lower()}.Coremail.{address.split('@')[0]}@{domain}"
    if domain == "gmail.com": return f"CA+{base64.urlsafe_b64encode(rng.randbytes(30)).decode()}{i}@mail.gmail.com"
    if style < 0.8: return f"{when.strftime('%Y%m%d%H%M%S')}{i:06d}{rng.randint(100, 999)}@{domain}"
    return f"00{h[:4].lower()}01db{h[4:12].lower()}${h[12:20].lower()}${h[20:28].lower()}@{domain}"


def date_header(when):
    r = rng.random()
    if r < 0.55: return format_datetime(when)
    if r < 0.70: return format_datetime(when) + " (CST)"
    if r < 0.90: return format_datetime(when).replace(" 0", " ", 1) if when.day < 10 else format_datetime(when)
    return format_datetime(when.astimezone(datetime.timezone.utc))


def received(address, when, arrival):
    host = {"qq.com": "smtpbg{n}.qq.com", "foxmail.com": "smtpbg{n}.qq.com", "163.com": "m{n}.mail.163.com",
            "126.com": "m{n}.mail.126.com", "gmail.com": "mail-pl1-f{n}.google.com"}.get(
        address.split("@")[1], "mail{n}." + address.split("@")[1]).format(n=rng.randint(1, 250))
    ip = "%d.%d.%d.%d" % (rng.randint(14, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    qid = "".join(rng.choice("BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789") for _ in range(14))
    return [
        ("Received", f"from mx1.example.gov.cn (localhost [127.0.0.1])\n\tby mail.example.gov.cn (Postfix) with "
                     f"ESMTP id 4{qid}\n\tfor <{OFFICE}>; {format_datetime(arrival)}".encode()),
        ("Received", f"from {host} ({host} [{ip}])\n\tby mx1.example.gov.cn (Postfix) with ESMTPS id {qid[:10]}"
                     f"\n\tfor <{OFFICE}>; {format_datetime(arrival - datetime.timedelta(seconds=1))}".encode()),
    ]


def dkim(address, when):
    b64 = base64.b64encode(rng.randbytes(256)).decode()
    b = "\n\t ".join(b64[i:i + 70] for i in range(0, len(b64), 70))
    return ("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={address.split('@')[1]};\n\ts=s201512; "
            f"t={int(when.timestamp())};\n\tbh={base64.b64encode(rng.randbytes(32)).decode()};\n\t"
            f"h=From:To:Subject:Mime-Version:Date:Message-ID;\n\tb={b}".encode())


MAILERS = ["Foxmail 7.2.25.228[cn]", "Microsoft Outlook 16.0", "Coremail Webmail Server Version XT5.0.14 build "
           "20230109(dcb5de15)", "iPhone Mail (21D61)", "NetEase Flash Mail 2.4.1.32", None, None]
SUBJECTS = ["关于{unit}{post}{name}违规收受礼金的举报", "实名举报{village}{post}{name}侵占{fund}",
            "反映{place}{project}质量问题", "举报{unit}工作人员吃拿卡要", "{village}{fund}发放不公开的问题",
            "关于{project}招投标违规的情况反映", "请求核查{name}违规使用公车问题", "举报信", "信访件", "反映问题",
            "紧急举报！{unit}{post}{name}严重违纪", "关于{place}违规占用耕地建房的举报", "{name}的问题线索"]
KINDS = [("plain", 0.40), ("gbk", 0.25), ("alternative", 0.15), ("html", 0.10), ("mixed", 0.10)]
GBK_LABELS = [("gb2312", 50), ("GB2312", 12), ("gbk", 20), ("GBK", 5), ("gb18030", 7), ("cp936", 4), ("x-gbk", 2)]

senders = [sender() for _ in range(max(50, count * 7 // 10))]
arrival = datetime.datetime(2025, 1, 2, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
history, corpus, total, tally = [], [], 0, {}
progress = Progress("writing the corpus", count, "messages")
for i in range(count):
    progress.advance()
    arrival += datetime.timedelta(seconds=30 + int(rng.expovariate(1 / 1500)))
    when = arrival - datetime.timedelta(seconds=rng.randint(2, 25))
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    if kind == "plain":
        charset = "utf-8"
    elif kind == "gbk":
        charset = rng.choices([c for c, _ in GBK_LABELS], [w for _, w in GBK_LABELS])[0]
    else:
        charset = "utf-8" if rng.random() < 0.6 else rng.choice(("gb2312", "GB2312", "gbk", "gb18030"))
    family = "utf-8" if charset == "utf-8" else "gb18030" if charset == "gb18030" else "gbk"

    reply_to = None
    if i >= 50 and rng.random() < 0.03:
        reply_to = history[rng.randrange(max(0, len(history) - 2000), len(history) - 10)]
        name, address = reply_to["sender"]
        subject = rng.choice(("Re: ", "回复：", "RE: ", "补充材料：")) + reply_to["subject"]
    else:
        name, address = rng.choice(senders)
        subject = fill(rng.choice(SUBJECTS), family)
    signature = rng.choice((f"举报人：{name}\n联系电话：1{rng.randint(3000000000, 9999999999)}",
                            "一名知情群众", f"{rng.choice(VILLAGES)}村民", f"{name}\n{when:%Y年%m月%d日}", "匿名"))
    text = body_text(family, signature, text_length() if reply_to is None else rng.randint(100, 600))
    if reply_to is not None:
        quoted = reply_to["snippet"]
        sent = reply_to["when"]
        text += (f"\n\n------------------ 原始邮件 ------------------\n发件人: \"{name}\"<{address}>;\n发送时间: "
                 f"{sent:%Y年%m月%d日}(星期{'一二三四五六日'[sent.weekday()]}) {sent:%H:%M}\n"
                 f"收件人: \"{OFFICE}\"<{OFFICE}>;\n"
                 f"主题: {reply_to['subject']}\n\n" + "\n".join("> " + line for line in quoted.split("\n")))
    if family == "gbk":     # a reply may quote what an earlier UTF-8 message had beyond GBK
        subject, text = (t.translate({ord(c): "某" for c in GB18030_ONLY}) for t in (subject, text))
    cte = rng.choices(("base64", "8bit", "quoted-printable"), (60, 30, 10))[0]

    attachments = []
    if kind in ("plain", "gbk"):
        headers, body = text_part(text, "plain", charset, cte)
    elif kind == "html":
        headers, body = text_part(text, "html", charset, rng.choice(("base64", "quoted-printable", "8bit")))
    elif kind == "alternative":
        pcte = rng.choice(("base64", "quoted-printable"))
        headers, body = multipart("alternative", [text_part(text, "plain", charset, pcte),
                                                  text_part(text, "html", charset, pcte)])
    else:
        if rng.random() < 0.5:
            first = text_part(text, "plain", charset, cte)
        else:
            pcte = rng.choice(("base64", "quoted-printable"))
            first = multipart("alternative", [text_part(text, "plain", charset, pcte),
                                              text_part(text, "html", charset, pcte)], preamble=False)
        parts = [first]
        for _ in range(rng.choice((1, 1, 2))):
            p, info = attachment(family, name)
            parts.append(p)
            attachments.append(info)
        headers, body = multipart("mixed", parts)

    mid = message_id(address, when, i)
    head = [("Return-Path", f"<{address}>".encode()), ("Delivered-To", OFFICE.encode())]
    head += received(address, when, arrival)
    if address.split("@")[1] in ("qq.com", "163.com", "126.com", "gmail.com", "foxmail.com") and rng.random() < 0.8:
        head.append(dkim(address, when))
    head += [("Date", date_header(when).encode()), ("From", address_header(name, address, family))]
    to = rng.random()
    head.append(("To", OFFICE.encode() if to < 0.5 else
                 encoded_words("信访举报", "utf-8", "utf-8") + f" <{OFFICE}>".encode() if to < 0.8 else
                 f'"xfjb" <{OFFICE}>, jubao@example.gov.cn'.encode()))
    if rng.random() < 0.03:
        head.append(("Cc", f"{rng.choice(senders)[1]}".encode()))
    head.append(("Subject", header_text(subject, family)))
    head.append(("Message-ID", f"<{mid}>".encode()))
    if reply_to is not None:
        head.append(("In-Reply-To", f"<{reply_to['id']}>".encode()))
        refs = reply_to["references"] + [reply_to["id"]]
        head.append(("References", "\n ".join(f"<{r}>" for r in refs).encode()))
    elif rng.random() < 0.01:     # a reply to the office's acknowledgement, which is not in this mailbox
        head.append(("In-Reply-To", f"<ack-{rng.getrandbits(48):012x}@example.gov.cn>".encode()))
    mailer = rng.choice(MAILERS)
    if mailer:
        head.append(("X-Mailer", mailer.encode()))
    if rng.random() < 0.3:
        head.append(("X-Priority", b"3"))
    head.append(("MIME-Version", b"1.0"))
    raw = part(head + headers, body)
    if rng.random() < 0.02:
        raw = raw.replace(b"\n", b"\r\n")

    epoch = int(arrival.timestamp())
    filename = f"{epoch}.M{rng.randint(0, 999999):06d}P{rng.randint(1000, 60000)}Q{i + 1}.mx1.example.gov.cn"
    path = os.path.join(maildir, "new", filename)
    with open(path, "wb") as f:
        f.write(raw)
    os.utime(path, (epoch, epoch))
    total += len(raw)
    tally[kind] = tally.get(kind, 0) + 1
    refs = (reply_to["references"] + [reply_to["id"]]) if reply_to is not None else []
    history.append({"id": mid, "sender": (name, address), "subject": subject, "when": when, "references": refs[-10:],
                    "snippet": text[:200]})
    corpus.append({"file": filename, "message_id": mid, "subject": subject, "from": address,
                   "date": when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "in_reply_to": reply_to["id"] if reply_to is not None else None, "attachments": attachments})
progress.finish()

with open(corpus_path, "w") as f:
    json.dump(corpus, f, ensure_ascii=False)
labels = {"plain": "plain UTF-8", "gbk": "GBK-family", "alternative": "text+HTML", "html": "HTML only",
          "mixed": "with attachments"}
print(f"corpus: {count} messages, {total / 1e6:.1f} MB in {maildir}/new ("
      + ", ".join(f"{tally.get(k, 0)} {labels[k]}" for k, _ in KINDS)
      + f"; {sum(1 for c in corpus if c['in_reply_to'])} replies, "
      + f"{sum(len(c['attachments']) for c in corpus)} attachments)")
PY

# 1. Python's baseline, in one process: what a parse of each message has to yield at least.
python3 - "$maildir" "$runs" "$DOCKET_HOME/python.rate" <<'PY'
import collections, email, email.policy, hashlib, os, statistics, sys, time
maildir, runs, rate_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
new = os.path.join(maildir, "new")
paths = [os.path.join(new, name) for name in sorted(os.listdir(new))]
HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References")

def parse_all():
    failures = collections.Counter()
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        try:
            msg = email.message_from_bytes(data, policy=email.policy.default)
            for name in HEADERS:
                value = msg[name]
                if value is not None:
                    str(value)
            body = msg.get_body(preferencelist=("plain", "html"))
            if body is not None:
                body.get_content()
            for attachment in msg.iter_attachments():
                content = attachment.get_content()
                hashlib.sha256(content if isinstance(content, bytes) else str(content).encode()).digest()
        except Exception as error:  # counted, not fatal: Python's reading is only the yardstick
            failures[f"{type(error).__name__}: {error}"[:80]] += 1
    return failures

times = []
for _ in range(runs):
    start = time.perf_counter()
    failures = parse_all()
    times.append(time.perf_counter() - start)
median = statistics.median(times)
rate = len(paths) / median
with open(rate_file, "w") as f:
    f.write(f"{rate}\n")
print(f"python email (policy.default), one process: median {median:.2f} s over {runs} runs "
      f"(min {min(times):.2f}, max {max(times):.2f}) = {rate:.0f} messages/s")
if failures:
    print(f"  python could not read {sum(failures.values())} message(s): "
          + "; ".join(f"{n}× {what}" for what, n in failures.most_common(3)))
PY

# 2. docket's dry run over the same Maildir: one process, no database, files left where they are.
python3 - "$docket" "$maildir" "$runs" "$corpus" "$DOCKET_HOME/python.rate" <<'PY'
import datetime, json, os, statistics, subprocess, sys, time
docket, maildir, runs, corpus_path, rate_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
corpus = json.load(open(corpus_path))
python_rate = float(open(rate_file).read())
args = [docket, "intake", "email", "--dry-run", "--json", "--maildir", maildir]
label = "intake email --dry-run --json --maildir"

def fail(why):
    sys.exit(f"bench/mail.sh: {label}: {why}")

# Checked once (this run also warms the page cache as Python's did).
done = subprocess.run(args, capture_output=True)
if done.returncode != 0:
    sys.stderr.write(done.stderr.decode(errors="replace")[-4000:])
    fail(f"exited {done.returncode}")
try:
    parsed = json.loads(done.stdout)
except ValueError as error:
    fail(f"did not print one JSON document ({error}); it began: {done.stdout[:200]!r}")
if not isinstance(parsed, list):
    fail(f"printed a JSON {type(parsed).__name__}, not an array of messages")
if len(parsed) != len(corpus):
    fail(f"printed {len(parsed)} messages, not the {len(corpus)} in {maildir}/new")
if not all(isinstance(m, dict) and "message_id" in m and "warnings" in m for m in parsed):
    fail("an entry lacks message_id or warnings")
by_id = {m["message_id"]: m for m in parsed}
missing = [c["message_id"] for c in corpus if c["message_id"] not in by_id]
if missing:
    fail(f"{len(missing)} Message-IDs of the corpus are missing or mangled (no angle brackets expected), "
         f"e.g. {missing[0]!r}; one printed: {parsed[0].get('message_id')!r}")
if sorted(os.listdir(os.path.join(maildir, "new"))) != sorted(c["file"] for c in corpus):
    fail("moved or changed files in new/ (a dry run must leave the Maildir alone)")

# What it read, against what was written (printed, not enforced: the targets are about speed).
def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))

def attachments(entries):
    return sorted((a.get("filename"), a.get("size"), a.get("sha256")) for a in entries or [])

CHECKS = {
    "subject": lambda m, c: m.get("subject") == c["subject"],
    "from": lambda m, c: (m.get("from") or {}).get("address", "").lower() == c["from"].lower(),
    "date": lambda m, c: instant(m["date"]) == instant(c["date"]),
    "attachments": lambda m, c: attachments(m.get("attachments")) == attachments(c["attachments"]),
    "text": lambda m, c: bool(m.get("text", "").strip()),
}
agree, examples = dict.fromkeys(CHECKS, 0), []
for c in corpus:
    m = by_id[c["message_id"]]
    for key, check in CHECKS.items():
        try:
            ok = check(m, c)
        except (AttributeError, KeyError, TypeError, ValueError):   # absent, null or of another shape
            ok = False
        agree[key] += ok
        if not ok and len(examples) < 5:
            examples.append(f"  {c['file']}: {key}: wrote {c.get(key, '(some text)')!r}, read {m.get(key)!r}"[:300])
warned = sum(1 for m in parsed if m["warnings"])

times = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    times.append(time.perf_counter() - start)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace")[-4000:])
        fail(f"exited {done.returncode}")
median = statistics.median(times)
rate = len(corpus) / median
print(f"{label}: median {median:.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f}) = "
      f"{rate:.0f} messages/s, {rate / python_rate:.1f}× Python's {python_rate:.0f}; target ≥ 10× Python")
print(f"  {len(parsed)} messages, {warned} with warnings; agreeing with the corpus: "
      + ", ".join(f"{key} {n}/{len(corpus)}" for key, n in agree.items()))
if examples:
    sys.stdout.flush()
    print("  first disagreements:\n" + "\n".join(examples), file=sys.stderr)
PY

# 3. End to end on the embedded database: each message registered, then moved new/ → cur/.
if ((e2e == 0)); then
  echo "intake email end to end: skipped (DOCKET_BENCH_E2E=0)"
  exit 0
fi
bench_init
"$docket" staff add mailbot --name 邮件接收 --role registrar >/dev/null
python3 - "$docket" "$maildir" "$e2e" "$DOCKET_HOME/maildir-e2e" <<'PY'
import json, os, shutil, subprocess, sys, time
docket, maildir, n, copy = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = sorted(os.listdir(os.path.join(maildir, "new")))
if n < len(names):   # the first N into a Maildir of their own
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(copy, sub))
    for name in names[:n]:
        shutil.copy2(os.path.join(maildir, "new", name), os.path.join(copy, "new", name))
    maildir = copy
label = "intake email --as mailbot --maildir"

def fail(why):
    sys.exit(f"bench/mail.sh: {label} (end to end): {why}")

start = time.perf_counter()
done = subprocess.run([docket, "intake", "email", "--as", "mailbot", "--maildir", maildir],
                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
if done.returncode != 0:
    sys.stderr.write(done.stderr.decode(errors="replace")[-4000:])
    fail(f"exited {done.returncode}")
left = len(os.listdir(os.path.join(maildir, "new")))
moved = len(os.listdir(os.path.join(maildir, "cur")))
if left != 0 or moved != n:
    fail(f"left {left} file(s) in new/ and {moved} in cur/; expected 0 and {n}")
items = len(json.loads(subprocess.run([docket, "list", "--json"], check=True, capture_output=True).stdout))
print(f"{label} (end to end, embedded database): {n} messages in {seconds:.1f} s = {n / seconds:.0f} messages/s "
      f"(target ≥ 200); {items} items in the ledger (replies join their item; quarantined ones are not items)")
PY
