import Foundation
import Testing

@testable import DocketCore

@Suite("Handover lists: headers and rows")
struct HandoverCheckTests {
  let beijing = OfficeTime(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

  func checker(_ headers: [String], kind: Kind? = .petition) -> HandoverChecker {
    HandoverChecker(
      layout: HandoverColumns().map(headers),
      defaults: HandoverDefaults(
        kind: kind, source: .inspection, time: beijing, latest: Date(timeIntervalSince1970: 1_632_240_000)))
  }

  @Test("headers in Chinese or English, with notes in brackets, an office's own, unknown and missing ones")
  func headers() throws {
    let layout = HandoverColumns().map(["序号", "来信日期（年月日）", " Summary ", "反映人", "备用列"])
    #expect(layout.columns[.number] == 0)
    #expect(layout.columns[.received] == 1)
    #expect(layout.columns[.summary] == 2)
    #expect(layout.columns[.reporter] == 3)
    #expect(layout.unknown == ["备用列"])
    #expect(layout.missing.isEmpty)
    #expect(HandoverColumns().map(["序号", "反映问题"]).missing == [.received])
    let office = try HandoverColumns(setting: "来件时间=received；问题线索内容=summary")
    #expect(office.map(["来件时间", "问题线索内容"]).missing.isEmpty)
    #expect(throws: FieldError.self) { try HandoverColumns(setting: "来件时间=when") }
    #expect(HandoverColumns().map(["来信日期", "日期", "内容"]).repeated.count == 1)
    #expect(columnLetters(0) == "A")
    #expect(columnLetters(25) == "Z")
    #expect(columnLetters(26) == "AA")
  }

  @Test("dates as lists write them, and Excel serial numbers, in office time")
  func dates() {
    var check = checker(["来信日期", "内容摘要"])
    let expected = Date(timeIntervalSince1970: 1_632_067_200)  // 2021-09-20 00:00 +08:00
    for text in ["2021-09-20", "2021/9/20", "2021.9.20", "2021年9月20日", "44459"] {
      #expect(
        check.check(HandoverInputRow(number: 2, cells: [text, "内容"])).row?.receivedAt == expected, "\(text)")
    }
    let withTime = check.check(HandoverInputRow(number: 2, cells: ["2021-09-20 10:30", "内容"])).row
    #expect(withTime?.receivedAt == expected.addingTimeInterval(37_800))
    let serialWithTime = check.check(HandoverInputRow(number: 2, cells: ["44459.4375", "内容"])).row
    #expect(serialWithTime?.receivedAt == expected.addingTimeInterval(37_800))
    // A workbook from old Mac Excel counts from 1904: the same day is 1,462 smaller.
    var mac = HandoverChecker(
      layout: HandoverColumns().map(["来信日期", "内容摘要"]),
      defaults: {
        var defaults = HandoverDefaults(
          kind: .petition, source: .inspection, time: beijing,
          latest: Date(timeIntervalSince1970: 1_632_240_000))
        defaults.date1904 = true
        return defaults
      }())
    #expect(mac.check(HandoverInputRow(number: 2, cells: ["42997", "内容"])).row?.receivedAt == expected)
  }

  @Test("each problem names its row, column and header, and says what was expected")
  func problems() {
    var check = checker(["序号", "来信日期", "联系电话", "内容摘要", "种类"], kind: nil)
    let (row, problems) = check.check(
      HandoverInputRow(number: 7, cells: ["5", "2021-13-01", "12345", "", "投诉"]))
    #expect(row == nil)
    #expect(
      problems.map { "\($0.column) \($0.header)" } == ["B 来信日期", "D 内容摘要", "E 种类", "C 联系电话"])
    #expect(problems[0].description.hasPrefix("row 7, column B (来信日期): '2021-13-01' is not a date"))
    #expect(problems[2].problem.contains("申诉求决 (petition)"))
    // After the handover: a letter cannot arrive later than the list.
    let late = check.check(HandoverInputRow(number: 8, cells: ["6", "2021-09-30", "", "内容", "信访"]))
    #expect(late.problems.map(\.problem).first?.contains("after the list was handed over") == true)
    #expect(check.check(HandoverInputRow(number: 9, cells: ["", "", "", "", ""])).problems.isEmpty)
  }

  @Test("a row becomes an item: subject never from the summary, identity kept apart, accused paired")
  func row() throws {
    var check = checker(["序号", "来信日期", "反映人", "联系电话", "被反映人", "单位", "职务", "问题类别", "内容摘要"])
    let row = try #require(
      check.check(
        HandoverInputRow(
          number: 3,
          cells: ["12", "2021-09-20", "张某", "13800138000", "王某、李某", "市公安局、市城管局", "副局长", "涉警问题", "张某反映……"]
        )
      ).row)
    #expect(row.subject == "涉警问题（移交清单第12号）")
    #expect(row.identity.name == "张某")
    #expect(row.identity.kind == .realName)
    #expect(row.kind == .petition)
    #expect(row.source == .inspection)
    #expect(
      row.accused == [
        HandoverAccused(name: "王某", unit: "市公安局", rank: "副局长"),
        HandoverAccused(name: "李某", unit: "市城管局", rank: "副局长"),
      ])
  }
}
