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

  @Test("a year without a schedule is an error that says how to add it")
  func missingYear() throws {
    let result = try docket("calendar", "show", "--year", "2027")
    #expect(result.status == 1)
    #expect(result.stderr.contains("2027"))
    #expect(result.stderr.contains("docket calendar import"))
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
    #expect(try docket("calendar", "show", "--year", "2027").status == 1)

    let good = directory.appendingPathComponent("2027.csv")
    try "\u{FEFF}date,kind,name\r\n2027-01-01,holiday,元旦\r\n2027-02-06,workday,春节调休上班\r\n".write(
      to: good, atomically: true, encoding: .utf8)
    let imported = try docket("calendar", "import", good.path)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout == "imported 2027\n")
    let shown = try docket("calendar", "show", "--year", "2027", "--lang", "en")
    #expect(shown.stdout.contains("2027-02-06  Sat  working day  春节调休上班"))
    let journal = try test.docket.journalLog(ref: nil, actor: "admin")
    #expect(journal.last?.event == "calendar_imported")
  }
}
