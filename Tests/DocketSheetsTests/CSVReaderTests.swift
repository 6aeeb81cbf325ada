import Testing

@testable import DocketSheets

@Suite("CSV reader")
struct CSVReaderTests {
  private func texts(_ sheet: Sheet) -> [[String]] { sheet.rows.map { $0.cells.map(\.text) } }

  @Test(
    "what the CSV writer writes reads back cell for cell: CRLF inside a cell, quotes and commas before combining marks"
  )
  func writerRoundTrip() throws {
    let rows = [
      ["序号", "事由"], ["1", "第一行\r\n第二行"], ["2", "\"\u{301}引号"], ["3", ",\u{301}逗号"], ["4", "普通"],
    ]
    let sheet = try CSVReader.read(Array(CSVWriter.document(rows).utf8))
    // Five rows of two cells; the reader gives a cell's line break as LF, as Excel writes it.
    var expected = rows
    expected[1][1] = "第一行\n第二行"
    #expect(texts(sheet) == expected)
  }

  @Test("UTF-8 with a byte-order mark, as Excel's \"CSV UTF-8\" saves it")
  func utf8WithBOM() throws {
    let sheet = try CSVReader.read([0xEF, 0xBB, 0xBF] + Array("编号,来信人\r\n1,张三\r\n".utf8))
    #expect(sheet.name == nil)
    #expect(sheet.rows.map(\.number) == [1, 2])
    #expect(texts(sheet) == [["编号", "来信人"], ["1", "张三"]])
  }

  @Test("GB18030, as Excel's plain \"CSV\" saves it on a Chinese Windows, is detected")
  func gb18030() throws {
    // "编号,来信人\r\n1,张三\r\n" in GB18030.
    let bytes: [UInt8] = [
      0xB1, 0xE0, 0xBA, 0xC5, 0x2C, 0xC0, 0xB4, 0xD0, 0xC5, 0xC8, 0xCB, 0x0D, 0x0A, 0x31, 0x2C, 0xD5, 0xC5,
      0xC8,
      0xFD, 0x0D, 0x0A,
    ]
    #expect(texts(try CSVReader.read(bytes)) == [["编号", "来信人"], ["1", "张三"]])
    #expect(texts(try CSVReader.read(bytes, encoding: .gb18030)) == [["编号", "来信人"], ["1", "张三"]])
  }

  @Test(
    "quoted fields with commas, doubled quotes and a line break are one row; trailing empty lines dropped")
  func quotedFields() throws {
    let csv = "编号,内容\r\n1,\"反映\"\"张三\"\", 违规\r\n第二行\"\r\n2,下一条\r\n\r\n\r\n"
    let sheet = try CSVReader.read(Array(csv.utf8))
    #expect(sheet.rows.map(\.number) == [1, 2, 3])
    #expect(sheet.rows[1].cells == [.text("1"), .text("反映\"张三\", 违规\n第二行")])
    #expect(sheet.rows[2].cells == [.text("2"), .text("下一条")])
  }

  @Test("a quote that never closes is refused, naming the row it opens in")
  func unterminatedQuote() {
    #expect(throws: SheetError.unterminatedQuote(row: 2)) {
      try CSVReader.read(Array("编号,内容\n1,\"开始\n2,其他\n".utf8))
    }
  }

  @Test("bytes that are not UTF-8 are refused when UTF-8 is asked for")
  func invalidUTF8() {
    let error = #expect(throws: SheetError.self) {
      try CSVReader.read([0xB1, 0xE0, 0xBA, 0xC5, 0x0D, 0x0A], encoding: .utf8)
    }
    guard case .encoding(let why) = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(why.contains("GB18030"))
  }
}
