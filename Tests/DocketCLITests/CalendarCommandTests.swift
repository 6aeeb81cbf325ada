import DocketTestSupport
import Foundation
import Testing

@Suite("docket calendar")
struct CalendarCommandTests {
  let test: TestDocket
  init() throws { test = try TestDocket.make("cal") }

  func docket(_ arguments: String...) throws -> CommandResult {
    try CLI.run(arguments, environment: test.environment)
  }

  @Test("shows a shipped year's holidays and adjusted working days")
  func show() throws {
    let result = try docket("calendar", "show", "--year", "2021")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("2021-10-09  六    调休上班  国庆节调休上班"))
    #expect(result.stdout.contains("2021-10-01  五    放假"))
    let json = try docket("calendar", "show", "--year", "2021", "--json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let days = try #require(object["days"] as? [[String: Any]])
    #expect(days.contains { $0["date"] as? String == "2021-02-07" && $0["kind"] as? String == "workday" })
  }

  @Test("a year without a schedule shows its statutory holidays as provisional, and says how to import it")
  func missingYear() throws {
    let result = try docket("calendar", "show", "--year", "2027")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("2027 年（暂定）"))
    #expect(result.stdout.contains("docket calendar import"))
    #expect(result.stdout.contains("2027-02-05  五    放假  春节"))
    #expect(result.stdout.contains("2027-02-09  二    放假  春节补假"))
    #expect(!result.stdout.contains("调休上班"))
    let json = try docket("calendar", "show", "--year", "2027", "--json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["provisional"] as? Bool == true)
    let years = try docket("calendar", "show", "--lang", "en")
    let rows = years.stdout.split(separator: "\n")
    #expect(rows.contains { $0.hasPrefix("2026 ") && $0.contains(" published ") })
    #expect(rows.contains { $0.hasPrefix("other years ") && $0.contains(" provisional ") })
    #expect(!rows.contains { $0.hasPrefix("2027") })
  }

  @Test("importing a year adds it; a bad row names the file, row and column and imports nothing")
  func importYear() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = directory.appendingPathComponent("bad.csv")
    try "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-08,workday,春节调休\n".write(
      to: bad, atomically: true, encoding: .utf8)
    let refused = try docket("calendar", "import", bad.path)
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("bad.csv, row 3, column kind"))
    #expect(
      try docket("calendar", "show", "--year", "2027", "--json").stdout.contains("\"provisional\" : true"))

    let good = directory.appendingPathComponent("2027.csv")
    try "\u{FEFF}date,kind,name\r\n2027-01-01,holiday,元旦\r\n2027-02-06,workday,春节调休上班\r\n".write(
      to: good, atomically: true, encoding: .utf8)
    let dry = try docket("calendar", "import", good.path, "--dry-run")
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout == "would import 2027 (dry run: nothing written)\n")
    let imported = try docket("calendar", "import", good.path)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout == "imported 2027\n")
    let shown = try docket("calendar", "show", "--year", "2027", "--lang", "en")
    #expect(shown.stdout.contains("2027-02-06  Sat  working day  春节调休上班"))
    let journal = try test.docket.journalLog(ref: nil, actor: "admin")
    #expect(journal.last?.event == "calendar_imported")
  }

  @Test("importing a year with open items says how many due dates moved and by how much")
  func importMoves() throws {
    try Office.staff(test.docket)
    test.docket.now = { beijing("2027-01-25 12:00") }
    let item = try test.docket.intake(Office.call(at: beijing("2027-01-25 09:00")), actor: "reg")
    _ = try test.docket.accept(item.ref, actor: "reg", .init(at: beijing("2027-01-25 10:00")))
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("cal-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    // The Spring Festival to Thursday 11 February, Saturday 20 February worked in its place.
    try
      ((5...11).map { "2027-02-\($0 < 10 ? "0" : "")\($0),holiday,春节\n" }.joined()
      + "2027-02-20,workday,春节调休上班\n")
      .write(to: file, atomically: true, encoding: .utf8)
    let dry = try docket("calendar", "import", file.path, "--dry-run", "--json")
    #expect(dry.status == 0, "\(dry.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
    #expect(object["dry_run"] as? Bool == true)
    let moves = try #require(object["moves"] as? [[String: Any]])
    let notice = try #require(moves.first { $0["clock"] as? String == "acceptance_notice" })
    #expect(notice["ref"] as? String == item.ref)
    #expect(notice["before"] as? String == "2027-02-19")
    #expect(notice["after"] as? String == "2027-02-20")
    #expect(notice["days"] as? Int == 1)
    let imported = try docket("calendar", "import", file.path)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      imported.stdout.hasPrefix(
        "imported 2027\n1 item(s) with clocks running into 2027 were worked out again; \(moves.count) of "))
    #expect(imported.stdout.contains("by 1 day later"))
    let shown = try docket("show", item.ref)
    #expect(shown.stdout.contains("2027-02-20"))
    #expect(!shown.stdout.contains("（暂定）"))
  }
}
