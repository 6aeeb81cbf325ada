import DocketTestSupport
import Foundation
import Testing

/// `docket import handover` as the case-management office runs it.
@Suite("docket import handover")
struct ImportCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("import")
    try Office.staff(test.docket)
  }

  func file(_ name: String, _ text: String) throws -> String {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
    return path
  }

  func docket(_ arguments: [String]) throws -> CommandResult {
    try CLI.run(arguments, environment: environment)
  }

  let list =
    [
      "序号,来信日期,反映人,联系电话,问题类别,内容摘要,备用列",
      #"1,2021-09-20,张某,13800138000,涉警问题,"反映某派出所""乱收费""",x"#,
      "2,2021-09-31,,,其他,反映违建问题,",
      "3,2021-09-21,,,其他,,",
      "4,2021/9/22,,,涉黑涉恶,反映黑恶势力,",
    ].joined(separator: "\r\n") + "\r\n"

  @Test("a list with bad rows: exit 65, every problem with file, row and column, nothing imported")
  func refused() throws {
    let path = try file("移交清单.csv", list)
    let result = try docket([
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
      "2021-09-25",
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("移交清单.csv: row 3, column B (来信日期): '2021-09-31' is not a date"))
    #expect(result.stderr.contains("移交清单.csv: row 4, column F (内容摘要): is empty"))
    #expect(result.stderr.contains("--partial --rejects FILE"))
    #expect(!result.stderr.contains("张某"))
    let ledger = try docket(["list", "--as", "aud", "--json"])
    #expect(ledger.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
  }

  @Test("a list below a title and a 填报日期 line: the header row is found and named, rows keep their numbers")
  func titleAbove() throws {
    let titled =
      ["省委第一巡视组移交信访件清单,,,,,,", "填报日期：2021-09-25,,,,,,", ",,,,,,"].joined(separator: "\r\n") + "\r\n"
    let bad = try file("移交清单.csv", titled + list)
    let refused = try docket([
      "import", "handover", bad, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
      "2021-09-25",
    ])
    #expect(refused.status == 65)
    #expect(
      refused.stderr.contains("移交清单.csv: row 6, column B (来信日期): '2021-09-31' is not a date"),
      "\(refused.stderr)")
    let good = try file(
      "移交清单.csv", titled + "序号,来信日期,问题类别,内容摘要\r\n1,2021-09-20,涉警问题,反映某派出所乱收费\r\n")
    let imported = try docket([
      "import", "handover", good, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
      "2021-09-25", "--json",
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stderr.contains("took row 4 as the header"))
    #expect(imported.stdout.contains("\"header_row\" : 4"))
    #expect(imported.stdout.contains("\"items\" : 1"))
  }

  @Test("a wrong --encoding or --handover-date is named, and nothing is imported")
  func badOptions() throws {
    let path = try file("移交清单.csv", list)
    let encoding = try docket([
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--encoding", "big5",
    ])
    #expect(encoding.status == 64)
    #expect(encoding.stderr.contains("The encoding 'big5' is not one docket reads; give utf-8 or gb18030"))
    let date = try docket([
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--handover-date", "2021-9-25",
    ])
    #expect(date.status == 65)
    #expect(date.stderr.contains("--handover-date: '2021-9-25' is not a day; write 2021-09-20."))
    let ledger = try docket(["list", "--as", "aud", "--json"])
    #expect(ledger.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
  }

  @Test("a list that is not there: exit 65, the file named, nothing imported")
  func missingFile() throws {
    let path = NSTemporaryDirectory() + "移交清单-\(UUID().uuidString).csv"
    let result = try docket(["import", "handover", path, "--as", "reg", "--from", "省委第一巡视组"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("\(path) cannot be read: it does not exist or is not readable."))
  }

  @Test("--partial imports the valid rows; the rejects file can be fixed and imported again")
  func partialWithRejects() throws {
    let path = try file("移交清单.csv", list)
    let rejects = path + ".rejects.csv"
    let result = try docket([
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
      "2021-09-25", "--partial", "--rejects", rejects,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "Imported 2 item(s) as batch 1: 2021-XF-00001 … 2021-XF-00002; 2 row(s) rejected"))
    #expect(result.stderr.contains("columns not read (no field has these headers): 备用列"))
    let bytes = try #require(FileManager.default.contents(atPath: rejects))
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    let written = String(decoding: bytes.dropFirst(3), as: UTF8.self)
    #expect(written.hasPrefix("序号,来信日期,反映人,联系电话,问题类别,内容摘要,备用列,问题/problem\r\n"))
    #expect(written.contains(#"2,2021-09-31,,,其他,反映违建问题,,"column B (来信日期): '2021-09-31' is not a date"#))
    // Fixed in Excel and imported again: a new file, so a new batch.
    let fixed = written.replacingOccurrences(of: "2021-09-31", with: "2021-09-23").replacingOccurrences(
      of: "3,2021-09-21,,,其他,,", with: "3,2021-09-21,,,其他,反映噪音扰民,")
    let fixedPath = try file("移交清单-修正.csv", fixed)
    let again = try docket([
      "import", "handover", fixedPath, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
      "--handover-date", "2021-09-25", "--json",
    ])
    #expect(again.status == 0, "\(again.stderr)")
    let outcome = try #require(
      try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
    #expect(outcome["outcome"] as? String == "imported")
    #expect(outcome["items"] as? Int == 2)
    #expect(outcome["unknown_columns"] as? [String] == ["备用列", "问题/problem"])
    let batch = try docket(["list", "--as", "aud", "--batch", "2", "--json"])
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [[String: Any]])
    #expect(items.count == 2)
    // The same file again: nothing.
    let third = try docket([
      "import", "handover", fixedPath, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
      "--handover-date", "2021-09-25",
    ])
    #expect(third.status == 0)
    #expect(third.stdout.contains("was imported before, as batch 2"))
    #expect(try docket(["audit", "verify", "--as", "aud"]).status == 0)
  }

  @Test("export writes the ledger in the list's layout without identities; its XLSX imports again")
  func exportAndXLSX() throws {
    let good = list.replacingOccurrences(of: "2021-09-31", with: "2021-09-23").replacingOccurrences(
      of: "3,2021-09-21,,,其他,,", with: "3,2021-09-21,,,其他,反映噪音扰民,")
    let path = try file("移交清单.csv", good)
    let imported = try docket([
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
      "2021-09-25",
    ])
    #expect(imported.status == 0, "\(imported.stderr)")

    let csv = try docket(["export", "items", "--as", "aud", "--batch", "1"])
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.hasPrefix("\u{FEFF}案件编号,序号,来信日期,事由,内容摘要,种类,来源,渠道,问题类别,实名/匿名,"))
    #expect(
      csv.stdout.contains(
        #"2021-XF-00001,1,2021-09-20 00:00,涉警问题（移交清单第1号）,"反映某派出所""乱收费""",申诉求决,巡视巡察移交,批量移交,涉警问题,实名"#))
    #expect(!csv.stdout.contains("张某"))
    #expect(!csv.stdout.contains("13800138000"))

    let xlsx = path + ".xlsx"
    let written = try docket(["export", "items", "--as", "aud", "--format", "xlsx", "--out", xlsx])
    #expect(written.stdout == "Exported 4 item(s) to \(xlsx).\n", "\(written.stderr)")
    let again = try docket([
      "import", "handover", xlsx, "--as", "reg", "--from", "案管室", "--kind", "petition", "--handover-date",
      "2021-09-26", "--json",
    ])
    #expect(again.status == 0, "\(again.stderr)")
    let outcome = try #require(
      try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
    #expect(outcome["items"] as? Int == 4)
    let second = try docket(["list", "--as", "aud", "--batch", "2", "--json"])
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [[String: Any]])
    #expect(Set(items.compactMap { $0["summary"] as? String }).contains("反映某派出所\"乱收费\""))
    #expect(items.allSatisfy { $0["reporter"] as? String == "anonymous" })
  }
}
