import Foundation
import Testing

@testable import DocketSheets

/// Handover lists written to hurt: zip bombs, archives that lie about themselves, XML that is not
/// text, and cells PostgreSQL cannot hold. Each is refused with a sentence naming what is wrong;
/// none may crash the reader or keep it busy. The inputs that fuzz/run.sh found are here as
/// regression tests, with what they broke.
@Suite("Hostile handover lists")
struct HostileSheetTests {
  private func fixture(_ name: String) -> [UInt8] {
    let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    return [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)!)
  }

  /// The sentence of the refusal, or nil when the bytes were read.
  private func refusal(_ read: () throws(SheetError) -> Sheet) -> SheetError? {
    do {
      _ = try read()
      return nil
    } catch {
      return error
    }
  }

  // MARK: zip bombs

  @Test("zip bombs, declared or lying, are refused with a sentence that says so")
  func zipBombFixtures() {
    for name in ["bomb_declared.xlsx", "bomb_lying.xlsx"] {
      let error = refusal { () throws(SheetError) in try XLSXReader.read(fixture(name)) }
      guard case .tooLarge(let why) = error else {
        Issue.record("\(name): \(String(describing: error))")
        continue
      }
      #expect(why.contains("zip bomb"), "\(why)")
    }
  }

  @Test(
    "a part that inflates far past what its header declares is stopped, whichever part it is",
    arguments: [
      "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
      "xl/worksheets/sheet1.xml",
    ])
  func lyingBombInEachPart(part: String) {
    // 16 MB of `a` in about 100 KB of deflate, declared as 1,000 bytes.
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    let index = members.firstIndex { $0.name == part }!
    members[index] = ZipBuilder.Member(
      name: part, data: Deflate.run(of: 0x61, count: 16 << 20), declared: 1000)
    let error = refusal { () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) }
    #expect(
      error?.description
        == "it is too large to read: its part \(part) inflates to more than the 1,000 bytes its zip header declares, as a zip bomb does"
    )
  }

  @Test("a part declaring 4 GB is refused before anything is inflated")
  func declaredBomb() {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[3].declared = 0xFFFF_FFFE
    let error = refusal { () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) }
    guard case .tooLarge(let why) = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(why.contains("4,096 MB") && why.contains("zip bomb"), "\(why)")
  }

  @Test("an overlapping bomb, 20,000 directory entries for one member, is refused as too many parts")
  func overlappingBomb() {
    let members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    let bytes = ZipBuilder.archive(members, directory: Array(repeating: 4, count: 20_000))
    let error = refusal { () throws(SheetError) in try XLSXReader.read(bytes) }
    #expect(
      error
        == .tooLarge(
          "it is too large to read: the archive holds more than 10,000 parts, far more than any workbook a person saves"
        ))
  }

  @Test("ZIP64 sizes beyond what can be counted are a corrupt archive, not a crash")
  func zip64Overflow() {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[4].zip64Sizes = (0xFFFF_FFFF_FFFF_FFF0, 0x8000_0000_0000_0000)
    let error = refusal { () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) }
    #expect(
      error
        == .malformed(
          "the zip archive it is packed in is cut off (not fully downloaded or copied?) or corrupt"))
  }

  // MARK: found by fuzz/run.sh

  /// fuzz/run.sh (xlsx) found that ZIPFoundation's `Archive`, opened on this mutation of
  /// deflate_past_end.xlsx, seeks past the end of its in-memory file and traps reading there
  /// ("Range requires lowerBound <= upperBound"). The reader now walks the zip directory itself.
  @Test("a zip directory whose offsets point past the end of the file is refused, not a crash")
  func zipOffsetsPastTheEnd() {
    let bytes: [UInt8] = [
      0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00,
      0x05, 0x00, 0x00, 0x00, 0xA0, 0x86, 0x01, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x78, 0x6C, 0x2F, 0x77, 0x6F,
      0x72,
      0x6B, 0x62, 0x6F, 0x6F, 0x6B, 0x2E, 0x78, 0x6D, 0x6C, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x50, 0x4B, 0x01,
      0x02,
      0x14, 0x00, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
      0x00,
      0x00, 0x00, 0xA0, 0x86, 0x01, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0x6C, 0x2F, 0x77, 0x6F, 0x72, 0x6B, 0x62, 0x6F, 0x6F, 0x6B,
      0x2E,
      0x78, 0x6D, 0x6C, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x3C, 0x63, 0x20, 0x72, 0x3D, 0x22, 0x41,
      0x31,
      0x22, 0x3E, 0x00, 0x01, 0x00, 0x01, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]
    guard case .malformed = refusal({ () throws(SheetError) in try XLSXReader.read(bytes) }) else {
      Issue.record("not refused as damaged")
      return
    }
  }

  /// fuzz/run.sh (xlsx) found that XMLParser on Linux traps on a name that is not UTF-8, which
  /// libxml2 hands on from a part it has already found broken: this 5-byte worksheet was enough.
  @Test(
    "a part that is not UTF-8, or says it is in another encoding, is refused before XMLParser sees it",
    arguments: [
      [0x3C, 0xFF, 0x6E, 0x73, 0x3E],
      [0xFF, 0xFE]
        + Array(
          "<!DOCTYPE a [<!ENTITY a \"a\">]><worksheet/>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
      Array(#"<?xml version="1.0" encoding="GBK"?><worksheet><sheetData/></worksheet>"#.utf8),
    ] as [[UInt8]])
  func partNotUTF8(sheet: [UInt8]) {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[4].data = sheet
    let error = refusal { () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) }
    guard case .malformed(let why) = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(why.hasPrefix("its part xl/worksheets/sheet1.xml is"), "\(why)")
    #expect(why.contains("UTF-8"), "\(why)")
  }

  /// fuzz/run.sh (xlsx) found that XMLParser on Linux dies (SEGV in strlen) on a processing
  /// instruction without data, reading the NULL libxml2 hands it: this was its worksheet.
  @Test(
    "a processing instruction in a part is refused before XMLParser sees it; `<?` in a comment is text",
    arguments: [
      #"<?xmltin?>e""# + "\n<Relationshiiks>", "<worksheet><?pi?><sheetData/></worksheet>",
      "<?xml?><worksheet/>",
    ]
  )
  func processingInstruction(sheet: String) {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[4].data = Array(sheet.utf8)
    let error = refusal { () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) }
    #expect(
      error
        == .malformed(
          "its part xl/worksheets/sheet1.xml has a processing instruction (<?…?>), which Excel never writes"))
  }

  @Test("`<?` inside a comment or a CDATA section is not an instruction")
  func processingInstructionLookalikes() throws {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[4].data = Array(
      (#"<?xml version="1.0" encoding="UTF-8"?><!-- <?pi?> --><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<?pi?>]]></t></is></c></row></sheetData></worksheet>"#)
        .utf8)
    let sheet = try XLSXReader.read(ZipBuilder.archive(members))
    #expect(sheet.rows.first?.cells == [.text("<?pi?>")])
  }

  /// fuzz/run.sh (csv) found that a CSV cell holding the text `_x000D_` was written by `docket
  /// export` as is, and read back (by docket, and by Excel) as a carriage return; and a cell
  /// holding U+FFFF made a workbook no XML reader opens.
  @Test("text that looks like Excel's escapes, and characters XML cannot hold, survive a workbook")
  func escapesRoundTrip() throws {
    let rows = [
      [
        "_x000D_", "a_x0041_b", "_x005F_x0041_", "\u{FFFF}\u{FFFE}", "\r\n\t\u{1}", "_x12_ _xZZZZ_",
        "_x0041\u{FFFF}",
        "_x0041\r", "_x0041_x0042_",
      ]
    ]
    let sheet = try XLSXReader.read(try XLSXWriter.workbook(sheetName: "清单", rows: rows))
    #expect(sheet.rows.first?.cells == rows[0].map(SheetCell.text))
  }

  @Test("the CSV that found it reads back the same from a workbook")
  func csvRoundTripRegression() throws {
    let csv = Array("\u{FEFF}内容2x\r\n'; DROP TABLE items;Int \"_x000D_\"\r\n".utf8)
    let sheet = try CSVReader.read(csv)
    let texts = sheet.rows.map { $0.cells.map(\.text) }
    let back = try XLSXReader.read(try XLSXWriter.workbook(sheetName: "清单", rows: texts))
    #expect(back.rows.map { $0.cells.map(\.text) } == texts)
    #expect(texts[1] == [#"'; DROP TABLE items;Int "_x000D_""#])
  }

  // MARK: cells PostgreSQL cannot hold, and bytes that are not text

  /// PostgreSQL text cannot hold a NUL: such a list failed at the database, mid-import, with
  /// "invalid byte sequence for encoding UTF8: 0x00".
  @Test("a NUL byte in a CSV cell is refused, naming the row and column")
  func nulInCSV() {
    // ASCII, so that it is the same bytes in UTF-8 and in GB18030.
    for encoding in [nil, CSVEncoding.utf8, .gb18030] {
      let error = refusal { () throws(SheetError) in
        try CSVReader.read(Array("received,summary\r\n2021-09-20,a\u{0}b\r\n".utf8), encoding: encoding)
      }
      guard case .encoding(let why) = error else {
        Issue.record("\(String(describing: encoding)): \(String(describing: error))")
        continue
      }
      #expect(why.hasPrefix("row 2, column B holds a NUL byte"), "\(why)")
    }
  }

  @Test("a CSV saved as UTF-16 (NUL bytes everywhere) is refused at its first cell")
  func utf16CSV() {
    let bytes = Array("来信日期,内容摘要\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    let error = refusal { () throws(SheetError) in try CSVReader.read(bytes) }
    #expect(error != nil)
    #expect(error?.description.contains("UTF-16") == true || error?.description.contains("GB18030") == true)
  }

  @Test("an _x0000_ escape in a workbook cell is refused, naming the row and column")
  func nulInXLSX() throws {
    let bytes = try XLSXWriter.workbook(
      sheetName: "清单", rows: [["来信日期", "内容摘要"], ["2021-09-20", "反映\u{0}某事"]])
    let error = refusal { () throws(SheetError) in try XLSXReader.read(bytes) }
    guard case .encoding(let why) = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(why.hasPrefix("row 2, column B holds a NUL character"), "\(why)")
  }

  @Test("bytes that are not UTF-8 in a cell: refused as UTF-8, and as GB18030 when they are not that either")
  func invalidUTF8InCSV() {
    let bytes = Array("来信日期,内容摘要\r\n2021-09-20,反映".utf8) + [0xFF, 0xFE, 0xC0] + Array("某事\r\n".utf8)
    let asUTF8 = refusal { () throws(SheetError) in try CSVReader.read(bytes, encoding: .utf8) }
    #expect(asUTF8?.description.contains("not valid UTF-8") == true)
    let detected = refusal { () throws(SheetError) in try CSVReader.read(bytes) }
    #expect(detected?.description.contains("neither UTF-8 nor GB18030") == true)
  }

  /// Found by the test below: libxml2 (as XMLParser sets it up) allows any depth, and rows nested
  /// in rows were all numbered 1, so a list's errors would have named the wrong rows.
  @Test("rows nested 100,000 deep are refused as damaged, not a stack overflow")
  func deepXML() {
    var members = Workbook.parts.map { ZipBuilder.Member(name: $0.0, data: Array($0.1.utf8)) }
    members[4].data = Array(
      (#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        + String(repeating: "<row>", count: 100_000) + String(repeating: "</row>", count: 100_000)
        + "</sheetData></worksheet>").utf8)
    guard
      case .malformed = refusal({ () throws(SheetError) in try XLSXReader.read(ZipBuilder.archive(members)) })
    else {
      Issue.record("not refused as damaged")
      return
    }
  }

  @Test("SQL metacharacters in cells are text like any other")
  func sqlMetacharacters() throws {
    let hostile = #"'; DROP TABLE items; --"# + "," + #""$1 \x00 \\ ""a""""#
    let sheet = try CSVReader.read(Array("内容摘要,备注\r\n\(hostile)\r\n".utf8))
    #expect(sheet.rows[1].cells == [.text("'; DROP TABLE items; --"), .text(#"$1 \x00 \\ "a""#)])
  }
}

/// The smallest workbook's parts, in the order ZipBuilder writes them.
private enum Workbook {
  static let parts: [(String, String)] = [
    (
      "_rels/.rels",
      #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    ),
    (
      "xl/workbook.xml",
      #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    ),
    (
      "xl/_rels/workbook.xml.rels",
      #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    ),
    (
      "xl/sharedStrings.xml",
      #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>编号</t></si></sst>"#
    ),
    (
      "xl/worksheets/sheet1.xml",
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
    ),
  ]
}

/// A zip archive written field by field, so that a test can make it lie.
private enum ZipBuilder {
  struct Member {
    var name: String
    var data: [UInt8]
    /// The uncompressed size the headers declare; the data's own size (stored) when nil.
    var declared: UInt32?
    /// ZIP64 sizes (uncompressed, compressed) written in the extra field instead of the 32-bit ones.
    var zip64Sizes: (UInt64, UInt64)?

    init(name: String, data: [UInt8], declared: UInt32? = nil) {
      self.name = name
      self.data = data
      self.declared = declared
    }
  }

  /// Members with `declared` set are written as deflate data (method 8), the others stored. The
  /// central directory lists `directory` (indexes into `members`), every member once by default.
  static func archive(_ members: [Member], directory: [Int]? = nil) -> [UInt8] {
    var out: [UInt8] = []
    var offsets: [Int] = []
    for member in members {
      offsets.append(out.count)
      out += u32(0x0403_4B50) + u16(20) + u16(0) + u16(member.declared == nil ? 0 : 8) + u32(0)
      out += u32(crc32(member.data)) + sizes(member) + u16(UInt16(member.name.utf8.count)) + u16(0)
      out += Array(member.name.utf8) + member.data
    }
    let start = out.count
    let listed = directory ?? Array(members.indices)
    for index in listed {
      let member = members[index]
      let extra: [UInt8] = member.zip64Sizes.map { u16(1) + u16(16) + u64($0.0) + u64($0.1) } ?? []
      out += u32(0x0201_4B50) + u16(45) + u16(45) + u16(0) + u16(member.declared == nil ? 0 : 8) + u32(0)
      out +=
        u32(crc32(member.data)) + sizes(member) + u16(UInt16(member.name.utf8.count))
        + u16(UInt16(extra.count))
      out += u16(0) + u16(0) + u16(0) + u32(0) + u32(UInt32(offsets[index])) + Array(member.name.utf8) + extra
    }
    let count = UInt16(min(listed.count, 0xFFFF))
    out += u32(0x0605_4B50) + u16(0) + u16(0) + u16(count) + u16(count) + u32(UInt32(out.count - start))
    out += u32(UInt32(start)) + u16(0)
    return out
  }

  /// Compressed then uncompressed size, as both headers write them.
  private static func sizes(_ member: Member) -> [UInt8] {
    if member.zip64Sizes != nil { return u32(0xFFFF_FFFF) + u32(0xFFFF_FFFF) }
    return u32(UInt32(member.data.count)) + u32(member.declared ?? UInt32(member.data.count))
  }

  private static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private static func u32(_ value: UInt32) -> [UInt8] {
    u16(UInt16(value & 0xFFFF)) + u16(UInt16(value >> 16))
  }
  private static func u64(_ value: UInt64) -> [UInt8] {
    u32(UInt32(value & 0xFFFF_FFFF)) + u32(UInt32(value >> 32))
  }

  private static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
  }
}

/// Deflate data made by hand: one block with the fixed Huffman codes (RFC 1951 §3.2.6).
private enum Deflate {
  /// `count` copies of `byte`: the byte once, then copies of 258 bytes from one back, 13 bits each.
  static func run(of byte: UInt8, count: Int) -> [UInt8] {
    var out: [UInt8] = []
    var buffer: UInt32 = 0
    var filled = 0
    func bits(_ value: UInt32, _ count: Int) {
      buffer |= value << filled
      filled += count
      while filled >= 8 {
        out.append(UInt8(buffer & 0xFF))
        buffer >>= 8
        filled -= 8
      }
    }
    /// Huffman codes go most significant bit first.
    func code(_ value: UInt32, _ length: Int) {
      var reversed: UInt32 = 0
      for bit in 0..<length { reversed |= (value >> bit & 1) << (length - 1 - bit) }
      bits(reversed, length)
    }
    func literal(_ value: UInt8) { code(0x30 + UInt32(value), 8) }  // literals 0–143: 8 bits from 0x30
    bits(1, 1)  // the last block
    bits(1, 2)  // fixed codes
    literal(byte)
    var left = count - 1
    while left >= 258 {
      code(0xC5, 8)  // length code 285: 258 bytes
      code(0, 5)  // distance code 0: one back
      left -= 258
    }
    for _ in 0..<left { literal(byte) }
    code(0, 7)  // end of block
    if filled > 0 { out.append(UInt8(buffer & 0xFF)) }
    return out
  }
}
