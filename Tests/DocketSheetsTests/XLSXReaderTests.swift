import Foundation
import Testing

@testable import DocketSheets

/// The bytes of a file in Fixtures/ (written by make_fixtures.py, which says what each holds).
private func fixture(_ name: String) -> [UInt8] {
  let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
  return [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)!)
}

private func read(_ name: String, sheet: String? = nil) throws(SheetError) -> Sheet {
  try XLSXReader.read(fixture(name), sheet: sheet)
}

@Suite("XLSX reader: values")
struct XLSXValueTests {
  let sheet = try! read("petitions.xlsx")

  @Test("the first sheet in tab order is read, found through the workbook's relationships")
  func firstSheet() {
    #expect(sheet.name == "信访件")
    #expect(sheet.rows.first?.cells.first == .text("编号"))
  }

  @Test("shared strings give Chinese text, rich-text runs joined, phonetic runs left out")
  func sharedStrings() {
    #expect(sheet.rows[0].cells == ["编号", "来信人", "电话", "收信日期", "已办结", "备注"].map(SheetCell.text))
    // The runs 张 and "三 " (spaces kept by xml:space="preserve").
    #expect(sheet.rows[1].cells[1] == .text("张三 "))
    #expect(sheet.rows[1].cells[1].text == "张三")
    // 李四 has a phonetic guide リシ, which is not part of the text.
    #expect(sheet.rows[2].cells[1] == .text("李四"))
  }

  @Test("entities and Excel's _xHHHH_ escapes are decoded, an escaped escape kept literal")
  func escapes() {
    #expect(sheet.rows[4].cells[7] == .text("反映&举报\r\n第二行 _x000D_"))
  }

  @Test("an inline string is text")
  func inlineString() {
    #expect(sheet.rows[1].cells[5] == .text("内联 <备注>"))
  }

  @Test("a phone number stored as text stays text, stored as a number stays as written")
  func phoneNumbers() {
    #expect(sheet.rows[1].cells[2] == .text("13800138000"))
    #expect(sheet.rows[2].cells[2] == .number("13800138000"))
    // A formula's string result.
    #expect(sheet.rows[4].cells[2] == .text("13800138000"))
  }

  @Test("a date is Excel's serial number as written")
  func dateSerial() {
    #expect(sheet.rows[1].cells[3] == .number("44467"))
    #expect(sheet.rows[4].cells[5] == .number("44467.5"))
    #expect(sheet.rows[5].cells[3] == .number("1.5E3"))
  }

  @Test("booleans are booleans, an error value is its code as text")
  func booleansAndErrors() {
    #expect(sheet.rows[1].cells[4] == .bool(true))
    #expect(sheet.rows[2].cells[4] == .bool(false))
    #expect(sheet.rows[4].cells[4] == .text("#DIV/0!"))
  }

  @Test("gaps between cells are empty cells, placed by their references or following the previous one")
  func cellGaps() {
    #expect(sheet.rows[2].cells == [.number("2"), .text("李四"), .number("13800138000"), .empty, .bool(false)])
    #expect(
      sheet.rows[4].cells == [
        .number("3"), .text("王五"), .text("13800138000"), .empty, .text("#DIV/0!"), .number("44467.5"), .empty,
        .text("反映&举报\r\n第二行 _x000D_"),
      ])
  }

  @Test("rows are numbered as Excel shows them: a missing row is kept empty, a row without a number follows")
  func rowNumbers() {
    #expect(sheet.rows.map(\.number) == Array(1...6))
    #expect(sheet.rows[3].cells.isEmpty)
    #expect(sheet.rows[5].cells == [.text("合计"), .empty, .empty, .number("1.5E3")])
  }

  @Test("trailing empty rows and trailing empty cells are dropped")
  func trailingEmpties() {
    // Rows 8-10 hold only styling, cells without values and blank text; G1 is styled but empty.
    #expect(sheet.rows.count == 6)
    #expect(sheet.rows[0].cells.count == 6)
  }

  @Test("a workbook without shared strings, with prefixed element names and no row or cell numbers")
  func prefixed() throws {
    let sheet = try read("prefixed.xlsx")
    // The first tab, Lookup, is hidden: the first one a person sees is read.
    #expect(sheet.name == "名单")
    #expect(sheet.rows.map(\.number) == [1, 2])
    #expect(sheet.rows[0].cells == [.text("姓名"), .text("联系方式")])
    #expect(sheet.rows[1].cells == [.text("赵六"), .number("13900139000")])
    #expect(try read("prefixed.xlsx", sheet: "Lookup").rows == [SheetRow(number: 1, cells: [.number("0")])])
  }
}

@Suite("XLSX reader: sheets")
struct XLSXSheetTests {
  @Test("a sheet is picked by name, exactly or ignoring case")
  func byName() throws {
    let stats = try read("petitions.xlsx", sheet: "统计")
    #expect(stats.name == "统计")
    #expect(
      stats.rows == [
        SheetRow(number: 1, cells: [.text("月份"), .text("件数")]),
        SheetRow(number: 2, cells: [.text("一月"), .number("12")]),
      ])
    #expect(try read("petitions.xlsx", sheet: "summary").name == "Summary")
  }

  @Test("an unknown sheet name is refused, listing the sheets in tab order")
  func unknownName() {
    #expect(throws: SheetError.noSuchSheet("名单", available: ["信访件", "统计", "Summary"])) {
      try read("petitions.xlsx", sheet: "名单")
    }
  }

  @Test("merged ranges are returned with the sheet, for the importer to judge the header row by")
  func mergedHeader() throws {
    // Row 2 is the header; a merge lower down (E7:F8) is listed first.
    let sheet = try read("merged_header.xlsx")
    #expect(sheet.merges == ["E7:F8", "B2:C2"])
    #expect(sheet.mergedAcross(row: 2) == "B2:C2")
    #expect(sheet.mergedAcross(row: 8) == "E7:F8")
    #expect(sheet.mergedAcross(row: 3) == nil)
    // A merge down one column (序号 over both rows of a two-row header) hides no column.
    #expect(Sheet.mergedAcross(row: 5, in: ["A4:A5"]) == nil)
  }

  @Test("merged cells below the header are read, the value in the top-left cell only")
  func mergedBelow() throws {
    let sheet = try read("merged_below.xlsx")
    #expect(
      sheet.rows.map(\.cells) == [
        [.text("编号"), .text("来信人")], [.number("1"), .text("张三")], [.empty, .text("李四")],
      ])
    // The petitions sheet merges B4:C5, below its header, too.
    #expect(try read("petitions.xlsx").rows.count == 6)
  }
}

@Suite("XLSX reader: files that are not workbooks, and hostile ones")
struct XLSXRefusalTests {
  @Test("a file that is not a zip archive is not a workbook")
  func notZip() {
    let error = #expect(throws: SheetError.self) { try read("not_zip.xlsx") }
    guard case .notWorkbook(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("not a zip archive"))
  }

  @Test("an old Excel 97-2003 file is named as such")
  func oldExcel() {
    #expect(throws: SheetError.notWorkbook("it is an old Excel 97-2003 .xls file")) {
      try read("old_excel.xls")
    }
    #expect(
      SheetError.notWorkbook("it is an old Excel 97-2003 .xls file").description
        == "it is not an Excel workbook (.xlsx): it is an old Excel 97-2003 .xls file; save it as .xlsx or CSV"
    )
  }

  @Test("a password-protected workbook (an OLE file with an EncryptedPackage) is named as such")
  func encrypted() {
    let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    let bytes = fixture("old_excel.xls") + name
    let error = #expect(throws: SheetError.self) { try XLSXReader.read(bytes) }
    guard case .notWorkbook(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("password"))
  }

  @Test("a workbook cut off in a download is damaged")
  func truncatedArchive() {
    let bytes = fixture("petitions.xlsx")
    let error = #expect(throws: SheetError.self) { try XLSXReader.read(Array(bytes.prefix(bytes.count / 2))) }
    guard case .malformed(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("cut off"))
  }

  @Test("a part whose XML stops mid-way is damaged, though XMLParser recovers from it")
  func cutOffPart() {
    let error = #expect(throws: SheetError.self) { try read("cut_off.xlsx") }
    guard case .malformed(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("xl/worksheets/sheet1.xml"))
  }

  @Test("a deflate stream that runs past its member into the end of the file stops with an error")
  func deflatePastEnd() {
    // ZIPFoundation's own extract spins forever on this one on Linux.
    #expect(throws: SheetError.malformed("its part xl/workbook.xml is cut off")) {
      try read("deflate_past_end.xlsx")
    }
  }

  @Test("a zip archive without a workbook inside is not a workbook")
  func noWorkbook() {
    #expect(throws: SheetError.notWorkbook("it is a Word document")) { try read("no_workbook.xlsx") }
  }

  @Test("nothing at all is not a workbook")
  func empty() {
    #expect(throws: SheetError.notWorkbook("the file is empty")) { try XLSXReader.read([]) }
  }

  @Test("a member whose header declares more than 256 MB is refused before inflating")
  func declaredBomb() {
    let error = #expect(throws: SheetError.self) { try read("bomb_declared.xlsx") }
    guard case .tooLarge(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("xl/worksheets/sheet1.xml") && why.contains("300 MB") && why.contains("256 MB"))
  }

  @Test("a member that inflates beyond what its header declares is stopped while inflating")
  func lyingBomb() {
    let error = #expect(throws: SheetError.self) { try read("bomb_lying.xlsx") }
    guard case .tooLarge(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("2,000 bytes"))
  }

  @Test("an archive with more members than the limit is refused")
  func tooManyMembers() {
    let error = #expect(throws: SheetError.self) {
      try XLSXReader.read(fixture("petitions.xlsx"), sheet: nil, limits: .init(members: 5))
    }
    guard case .tooLarge(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("more than 5 parts"))
  }

  @Test("a sheet with more cells than the limit is refused")
  func tooManyCells() {
    let error = #expect(throws: SheetError.self) {
      try XLSXReader.read(fixture("petitions.xlsx"), sheet: nil, limits: .init(cells: 20))
    }
    guard case .tooLarge = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
  }

  @Test("a part with a DTD is refused")
  func doctype() {
    let error = #expect(throws: SheetError.self) { try read("doctype.xlsx") }
    guard case .malformed(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("DTD"))
  }
}

@Suite("XLSX reader: pieces")
struct XLSXPieceTests {
  @Test(
    "cell references",
    arguments: [("A1", 1, 1), ("C5", 3, 5), ("$AB$12", 28, 12), ("XFD1048576", 16_384, 1_048_576)])
  func cellReference(text: String, column: Int, row: Int) throws {
    let reference = try #require(CellReference(text.utf8))
    #expect(reference.column == column && reference.row == row)
  }

  @Test(
    "references beyond Excel's grid or not references at all",
    arguments: ["", "XFE1", "A1048577", "1A", "A1:B2"])
  func badCellReference(text: String) {
    #expect(CellReference(text.utf8) == nil)
  }

  @Test("Excel's _xHHHH_ escapes")
  func escapes() {
    #expect(decodeEscapes("a_x000D_b") == "a\rb")
    #expect(decodeEscapes("_x005F_x000D_") == "_x000D_")
    #expect(decodeEscapes("_xD83D__xDE00_") == "😀")
    #expect(decodeEscapes("_xD83D_") == "_xD83D_")
    #expect(decodeEscapes("_x00ZZ_ and _x12") == "_x00ZZ_ and _x12")
    #expect(decodeEscapes("张_x4E09_") == "张三")
  }

  @Test("relationship targets resolve against the part's folder, or the package root")
  func targets() {
    #expect(
      XLSXPackage.resolve("worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
    #expect(
      XLSXPackage.resolve("/xl/worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
    #expect(XLSXPackage.resolve("../xl/a%20b.xml", from: "xl/workbook.xml") == "xl/a b.xml")
    #expect(XLSXPackage.resolve("xl/workbook.xml", from: "") == "xl/workbook.xml")
  }
}

/// The performance check: `python3 make_fixtures.py --large /tmp/large.xlsx`, then run with
/// DOCKET_LARGE_XLSX=/tmp/large.xlsx. Skipped otherwise: the file is too big to commit.
@Test(
  "a 200,000-row list reads in a few seconds",
  .enabled(if: ProcessInfo.processInfo.environment["DOCKET_LARGE_XLSX"] != nil))
func largeSheet() throws {
  let path = ProcessInfo.processInfo.environment["DOCKET_LARGE_XLSX"]!
  let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  let clock = ContinuousClock()
  var sheet: Sheet?
  let elapsed = try clock.measure { sheet = try XLSXReader.read(bytes) }
  print("read \(sheet?.rows.count ?? 0) rows in \(elapsed)")
  #expect(sheet?.rows.count == 200_001)
  #expect(sheet?.rows.last?.cells.count == 12)
}

@Suite("XLSX reader: date systems")
struct XLSXDateSystemTests {
  @Test("a workbook from old Mac Excel says its dates count from 1904")
  func date1904() throws {
    let old = try read("date1904.xlsx")
    #expect(old.date1904)
    #expect(old.rows[1].cells.first == .number("42997"))
    #expect(try read("petitions.xlsx").date1904 == false)
  }
}
