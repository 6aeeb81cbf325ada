#!/usr/bin/env python3
"""Generate the DocketSheets XLSX test fixtures.

Writes, next to this script, small .xlsx files whose OOXML parts are written by
hand (no spreadsheet library), so that each test knows exactly which XML the
reader sees.  Standard library only and deterministic: fixed zip timestamps and
attributes, fixed member order, fixed compression level.

Run from any directory:  python3 make_fixtures.py

For the performance check (not committed, too big), write a 200,000-row x
12-column workbook elsewhere:

    python3 make_fixtures.py --large /tmp/large.xlsx
"""

import os
import random
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def content_types(sheet_count):
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheet_count + 1)
    )
    return (
        DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + overrides + "</Types>"
    )


ROOT_RELS = (
    DECL + f'<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_TYPE}officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def workbook(sheets):
    """sheets: (name, rId, state or None) in workbook (tab) order."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}"' + (f' state="{state}"' if state else "") + f' r:id="{rid}"/>'
        for i, (name, rid, state) in enumerate(sheets, start=1)
    )
    return (
        DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<workbookPr defaultThemeVersion="166925"/>'
        f"<sheets>{entries}</sheets></workbook>"
    )


def workbook_rels(relationships):
    """relationships: (rId, type, target)."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE}{kind}" Target="{target}"/>'
        for rid, kind, target in relationships
    )
    return DECL + f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>'


def shared_strings(items):
    """items: raw XML for the inside of each <si>."""
    body = "".join(f"<si>{item}</si>" for item in items)
    return DECL + f'<sst xmlns="{MAIN_NS}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def worksheet(rows_xml, merges=()):
    merge_xml = ""
    if merges:
        merge_xml = f'<mergeCells count="{len(merges)}">' + "".join(
            f'<mergeCell ref="{ref}"/>' for ref in merges
        ) + "</mergeCells>"
    return (
        DECL + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<sheetData>{rows_xml}</sheetData>{merge_xml}"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def write_zip(path, members):
    """members: (name, bytes or str) in order; fixed timestamps, attributes and level."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 6))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            if isinstance(data, str):
                data = data.encode("utf-8")
            archive.writestr(info, data, compresslevel=6)


def simple_workbook(path, sheet_xml, strings=None):
    """One sheet named Sheet1, optional shared strings."""
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    members = [
        ("[Content_Types].xml", content_types(1)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook([("Sheet1", "rId1", None)])),
    ]
    if strings is not None:
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        members.append(("xl/sharedStrings.xml", shared_strings(strings)))
    members.insert(3, ("xl/_rels/workbook.xml.rels", workbook_rels(rels)))
    members.append(("xl/worksheets/sheet1.xml", sheet_xml))
    write_zip(path, members)


# --- petitions.xlsx: the main fixture -------------------------------------------------------
#
# Three sheets in tab order 信访件, 统计, Summary.  The relationships deliberately do not follow
# the file names (信访件 is sheet2.xml, 统计 is sheet1.xml, Summary has an absolute target), so a
# reader that guesses paths from the tab order gets the wrong sheet.

PETITION_STRINGS = [
    "编号",  # 0
    "来信人",  # 1
    "电话",  # 2
    "收信日期",  # 3
    "已办结",  # 4
    "备注",  # 5
    # 6: rich text runs, the second with leading/trailing spaces kept by xml:space.
    '<r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>张</t></r>'
    '<r><rPr><sz val="11"/><rFont val="宋体"/></rPr><t xml:space="preserve">三 </t></r>',
    "13800138000",  # 7: a phone number stored as text
    # 8: a phonetic run (rPh) that must not be read, and its properties.
    '<t>李四</t><rPh sb="0" eb="2"><t>リシ</t></rPh><phoneticPr fontId="1" type="noConversion"/>',
    # 9: Excel's escape for CR before LF, an entity, and an escaped literal "_x000D_".
    '<t>反映&amp;举报_x000D_\n第二行 _x005F_x000D_</t>',
    "王五",  # 10
    "合计",  # 11
]


def si(item):
    return item if item.startswith("<") else f"<t>{item}</t>"


PETITION_ROWS = (
    # Header row 1, all shared strings, with a trailing styled empty cell (no <v>).
    '<row r="1" spans="1:7">'
    '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c>'
    '<c r="G1" s="1"/></row>'
    # Row 2: number, rich text, phone as text, a date serial, a boolean, an inline string.
    '<row r="2" spans="1:6">'
    '<c r="A2"><v>1</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="s"><v>7</v></c>'
    '<c r="D2" s="2"><v>44467</v></c><c r="E2" t="b"><v>1</v></c>'
    '<c r="F2" t="inlineStr"><is><t>内联 &lt;备注&gt;</t></is></c></row>'
    # Row 3: a gap between B and E; the phone as a number; false.
    '<row r="3" spans="1:6">'
    '<c r="A3" t="n"><v>2</v></c><c r="B3" t="s"><v>8</v></c>'
    '<c r="E3" t="b"><v>0</v></c><c r="C3"><v>13800138000</v></c></row>'
    # Row 4 missing entirely. Row 5: cells without r follow the previous one; a formula
    # string result, an error, a decimal, and a shared string with escapes.
    '<row r="5">'
    '<c r="A5"><v>3</v></c><c t="s"><v>10</v></c>'
    '<c t="str"><f>"1380"&amp;"0138000"</f><v>13800138000</v></c>'
    '<c r="E5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c><v>44467.5</v></c>'
    '<c r="H5" t="s"><v>9</v></c></row>'
    # Row 6: a row without r follows row 5.
    '<row><c r="A6" t="s"><v>11</v></c><c r="D6"><v>1.5E3</v></c></row>'
    # Trailing rows that are empty: a styled row with no cells, a row of cells without values,
    # and a row whose only cell is blank inline text.
    '<row r="8" ht="20" customHeight="1"/>'
    '<row r="9"><c r="A9" s="1"/><c r="B9" s="1"/></row>'
    '<row r="10"><c r="C10" t="inlineStr"><is><t xml:space="preserve">  </t></is></c></row>'
)

STATS_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>月份</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>件数</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>一月</t></is></c><c r="B2"><v>12</v></c></row>'
)

SUMMARY_ROWS = '<row r="1"><c r="A1" t="inlineStr"><is><t>Summary</t></is></c></row>'


def petitions(path):
    members = [
        ("[Content_Types].xml", content_types(3)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook([("信访件", "rId2", None), ("统计", "rId1", None), ("Summary", "rId5", None)])),
        (
            "xl/_rels/workbook.xml.rels",
            workbook_rels([
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "worksheet", "worksheets/sheet2.xml"),
                ("rId3", "styles", "styles.xml"),
                ("rId4", "sharedStrings", "sharedStrings.xml"),
                ("rId5", "worksheet", "/xl/worksheets/sheet3.xml"),
            ]),
        ),
        ("xl/sharedStrings.xml", shared_strings([si(item) for item in PETITION_STRINGS])),
        ("xl/worksheets/sheet1.xml", worksheet(STATS_ROWS)),
        ("xl/worksheets/sheet2.xml", worksheet(PETITION_ROWS, merges=["B4:C5"])),
        ("xl/worksheets/sheet3.xml", worksheet(SUMMARY_ROWS)),
    ]
    write_zip(path, members)


# --- prefixed.xlsx: no shared strings part, prefixed element names (as the .NET OpenXML SDK
# writes them), rows and cells without r, and a first sheet that is hidden.


def prefixed(path):
    ns = f'xmlns:x="{MAIN_NS}" xmlns:r="{REL_NS}"'
    sheet = (
        DECL + f"<x:worksheet {ns}><x:sheetData>"
        '<x:row><x:c t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>联系</x:t></x:r><x:r><x:t>方式</x:t></x:r></x:is></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>赵六</x:t></x:is></x:c><x:c><x:v>13900139000</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    hidden = DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>0</v></c></row></sheetData></worksheet>'
    book = (
        DECL + f"<x:workbook {ns}><x:sheets>"
        '<x:sheet name="Lookup" sheetId="2" state="hidden" r:id="rId2"/>'
        '<x:sheet name="名单" sheetId="1" r:id="rId1"/>'
        "</x:sheets></x:workbook>"
    )
    members = [
        ("[Content_Types].xml", content_types(2)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", book),
        (
            "xl/_rels/workbook.xml.rels",
            workbook_rels([("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml")]),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/worksheets/sheet2.xml", hidden),
    ]
    write_zip(path, members)


# --- merged cells ---------------------------------------------------------------------------


def merged_header(path):
    # Row 1 is empty, so row 2 is the header; its B2:C2 is merged.
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>编号</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>来信人</t></is></c><c r="C2" s="1"/></row>'
        '<row r="3"><c r="A3"><v>1</v></c><c r="B3" t="inlineStr"><is><t>张三</t></is></c></row>'
    )
    simple_workbook(path, worksheet(rows, merges=["E7:F8", "B2:C2"]))


def date1904(path):
    # A workbook saved by old Mac Excel: serial numbers count from 1904-01-01 (day 0).
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>来信日期</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>内容摘要</t></is></c></row>'
        '<row r="2"><c r="A2"><v>42997</v></c><c r="B2" t="inlineStr"><is><t>反映问题</t></is></c></row>'
    )
    members = [
        ("[Content_Types].xml", content_types(1)),
        ("_rels/.rels", ROOT_RELS),
        (
            "xl/workbook.xml",
            workbook([("Sheet1", "rId1", None)]).replace(
                '<workbookPr defaultThemeVersion="166925"/>', '<workbookPr date1904="1"/>'
            ),
        ),
        ("xl/_rels/workbook.xml.rels", workbook_rels([("rId1", "worksheet", "worksheets/sheet1.xml")])),
        ("xl/worksheets/sheet1.xml", worksheet(rows)),
    ]
    write_zip(path, members)


def merged_below(path):
    # A merged range in the body (A2:A3) is fine: only its top-left cell holds a value.
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>来信人</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c></row>'
        '<row r="3"><c r="A3" s="1"/><c r="B3" t="inlineStr"><is><t>李四</t></is></c></row>'
    )
    simple_workbook(path, worksheet(rows, merges=["A2:A3"]))


# --- files that are not workbooks -----------------------------------------------------------


def not_zip(path):
    with open(path, "wb") as out:
        out.write("编号,来信人\r\n1,张三\r\n".encode("utf-8"))


def old_xls(path):
    # The OLE2 compound document signature and a header sector, as an .xls file starts.
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    with open(path, "wb") as out:
        out.write(header + bytes(512 - len(header)))


def no_workbook(path):
    # A zip archive with a Word document inside.
    write_zip(path, [
        ("[Content_Types].xml", content_types(0)),
        ("word/document.xml", DECL + '<w:document xmlns:w="urn:x"><w:body/></w:document>'),
    ])


def doctype(path):
    # A DTD in a part: Excel never writes one, and entity declarations are how XML bombs work.
    sheet = (
        DECL + '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    simple_workbook(path, sheet)


def cut_off(path):
    # The sheet's XML stops in the middle of a row, as a writer that crashed leaves it; the zip
    # around it is sound.
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    simple_workbook(path, worksheet(rows).split('<row r="2">')[0] + '<row r="2"><c r="A2"><v>2')


def deflate_past_end(path):
    # A deflate stream that never ends: a stored block claiming 65,535 bytes, so that inflating runs
    # through the central directory into the end of the file.  ZIPFoundation 0.9.20's
    # Archive.extract spins forever on this on Linux; the reader must stop with an error.
    name = b"xl/workbook.xml"
    data = bytes([0x00, 0xFF, 0xFF, 0x00, 0x00])
    declared = 100_000
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(data), declared, len(name), 0) + name + data
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0, len(data), declared, len(name), 0, 0, 0, 0, 0, 0
    ) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    with open(path, "wb") as out:
        out.write(local + central + end)


# --- zip bombs ------------------------------------------------------------------------------


def patch_sizes(path, member, declared):
    """Rewrite `member`'s uncompressed size in its local header and central directory entry."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    name = member.encode()
    patched = 0
    # Local file header: signature PK\x03\x04, size at offset 22, name length at 26, name at 30.
    # Central directory entry: PK\x01\x02, size at offset 24, name length at 28, name at 46.
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while True:
            at = data.find(signature, start)
            if at < 0:
                break
            (length,) = struct.unpack_from("<H", data, at + name_len_at)
            if bytes(data[at + name_at : at + name_at + length]) == name:
                struct.pack_into("<I", data, at + size_at, declared)
                patched += 1
            start = at + 4
    assert patched == 2, patched
    with open(path, "wb") as f:
        f.write(data)


def bomb_declared(path):
    # The sheet's header declares 300 MB uncompressed: refused before any inflating.
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    simple_workbook(path, worksheet(rows))
    patch_sizes(path, "xl/worksheets/sheet1.xml", 300 * 1024 * 1024)


def bomb_lying(path):
    # The sheet declares 2,000 bytes but inflates to 4 MB of spaces: stopped while inflating.
    body = worksheet('<row r="1"><c r="A1"><v>1</v></c></row>')
    padded = body.replace("<sheetData>", "<sheetData>" + " " * (4 * 1024 * 1024))
    simple_workbook(path, padded)
    patch_sizes(path, "xl/worksheets/sheet1.xml", 2000)


# --- the large workbook for the performance check (not committed) ---------------------------


def large(path, rows=200_000):
    rng = random.Random(20240102)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    units = ["第一纪检监察室", "第二纪检监察室", "案件审理室", "信访室", "党风政风监督室"]
    kinds = ["检举控告", "申诉", "意见建议", "批评", "其他"]
    strings, index = [], {}

    def sid(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    headers = ["编号", "来信人", "电话", "收信日期", "来源", "类别", "被反映人", "单位", "职级", "摘要", "件数", "已办结"]
    parts = ['<row r="1">' + "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{sid(h)}</v></c>' for i, h in enumerate(headers)) + "</row>"]
    for r in range(2, rows + 2):
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        accused = rng.choice(surnames) + rng.choice(given)
        summary = f"反映{accused}在{rng.choice(units)}工作期间涉嫌违规问题，编号{rng.randint(1, 30000)}"
        cells = [
            f'<c r="A{r}"><v>{r - 1}</v></c>',
            f'<c r="B{r}" t="s"><v>{sid(name)}</v></c>',
            f'<c r="C{r}" t="s"><v>{sid("1" + str(rng.randint(3000000000, 9999999999)))}</v></c>',
            f'<c r="D{r}" s="1"><v>{44000 + rng.randint(0, 1500)}</v></c>',
            f'<c r="E{r}" t="s"><v>{sid(rng.choice(["来信", "来访", "网络举报", "电话举报"]))}</v></c>',
            f'<c r="F{r}" t="s"><v>{sid(rng.choice(kinds))}</v></c>',
            f'<c r="G{r}" t="s"><v>{sid(accused)}</v></c>',
            f'<c r="H{r}" t="s"><v>{sid(rng.choice(units))}</v></c>',
            f'<c r="I{r}" t="inlineStr"><is><t>{rng.choice(["科级", "处级", "厅级"])}</t></is></c>',
            f'<c r="J{r}" t="s"><v>{sid(summary)}</v></c>',
            f'<c r="K{r}"><v>{rng.randint(1, 5)}</v></c>',
            f'<c r="L{r}" t="b"><v>{rng.randint(0, 1)}</v></c>',
        ]
        parts.append(f'<row r="{r}" spans="1:12">' + "".join(cells) + "</row>")
    simple_workbook(path, worksheet("".join(parts)), strings=[f"<t>{s}</t>" for s in strings])


FIXTURES = {
    "petitions.xlsx": petitions,
    "prefixed.xlsx": prefixed,
    "merged_header.xlsx": merged_header,
    "merged_below.xlsx": merged_below,
    "date1904.xlsx": date1904,
    "not_zip.xlsx": not_zip,
    "old_excel.xls": old_xls,
    "no_workbook.xlsx": no_workbook,
    "doctype.xlsx": doctype,
    "cut_off.xlsx": cut_off,
    "deflate_past_end.xlsx": deflate_past_end,
    "bomb_declared.xlsx": bomb_declared,
    "bomb_lying.xlsx": bomb_lying,
}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--large":
        large(sys.argv[2])
        return
    for name, make in FIXTURES.items():
        make(os.path.join(HERE, name))


if __name__ == "__main__":
    main()
