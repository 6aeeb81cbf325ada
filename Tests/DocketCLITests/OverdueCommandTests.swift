import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("docket overdue")
struct OverdueCommandTests {
  @Test("the board as JSON, and letters written as Markdown and HTML that never name the reporter")
  func boardAndLetters() throws {
    let test = try TestDocket.make("overdue")
    try Office.staff(test.docket)
    let d = test.docket
    let item = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    let board = try CLI.run(
      ["overdue", "--as-of", "2021-11-03 12:00", "--json"], environment: test.environment)
    #expect(board.status == 0, "\(board.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [String: Any])
    #expect(object["as_of"] as? String == "2021-11-03T04:00:00Z")
    let lines = try #require(object["items"] as? [[String: Any]])
    #expect(lines.first?["provisional"] as? Bool == false)
    #expect(lines.count == 1)
    #expect(lines.first?["unit"] as? String == "第一纪检监察室")
    #expect(lines.first?["warning"] as? String == "red")
    #expect(lines.first?["working_days_overdue"] as? Int == 7)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "letters-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let issued = try CLI.run(
      ["overdue", "--as-of", "2021-11-03 12:00", "--letters", directory.path, "--as", "cm"],
      environment: test.environment)
    #expect(issued.status == 0, "\(issued.stderr)")
    #expect(issued.stdout.hasPrefix("催办函〔2021〕第1号  第一纪检监察室  1 件"))
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(files == ["2021-催办函-001-第一纪检监察室.html", "2021-催办函-001-第一纪检监察室.md"])
    for file in files {
      let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      #expect(text.contains(item.ref))
      #expect(text.contains("2021年11月3日"))
      #expect(!text.contains("张三丰"))
      #expect(!text.contains("13800138000"))
    }
  }

  @Test(
    "a petition accepted today in December shows its provisional due date, and the board names the missing year"
  )
  func provisional() throws {
    let test = try TestDocket.make("overprov")
    try Office.staff(test.docket)
    let d = test.docket
    let item = try d.intake(
      Office.call(subject: "反映拖欠工程款", kind: .petition, at: beijing("2026-12-03 09:00"), accused: nil),
      actor: "reg")
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2026-12-03 10:00")))
    _ = try d.recordNotice(item.ref, actor: "reg", .init(at: beijing("2026-12-03 11:00")))
    let shown = try CLI.run(["show", item.ref], environment: test.environment)
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains("2027-02-01（暂定）"))
    let json = try CLI.run(["show", item.ref, "--json"], environment: test.environment)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let clocks = try #require(object["clocks"] as? [[String: Any]])
    let petition = try #require(clocks.first { $0["clock"] as? String == "petition_handling" })
    #expect(petition["due"] as? String == "2027-02-01")
    #expect(petition["provisional"] as? Bool == true)

    // Overdue at the start of February 2027, on the provisional date.
    let board = try CLI.run(["overdue", "--as-of", "2027-02-03 12:00"], environment: test.environment)
    #expect(board.status == 0, "\(board.stderr)")
    #expect(board.stdout.contains(item.ref))
    #expect(board.stdout.contains("2027-02-01（暂定）"))
    // The line about the missing schedule goes to standard error, naming the year and the command.
    // Which year depends on today: this year, or from 1 November the next, whichever is missing.
    let missing = try d.calendarNotices().map(\.year)
    #expect(!missing.isEmpty)
    for year in missing {
      #expect(board.stderr.contains("no published holiday schedule for \(year)"))
      #expect(board.stderr.contains("docket calendar import"))
    }
    #expect(!board.stdout.contains("docket calendar import"))
    for arguments in [
      ["overdue", "--json"], ["db", "status", "--json"],
      ["report", "monthly", "--month", "2026-11", "--json"],
    ] {
      let result = try CLI.run(arguments, environment: test.environment)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(arguments)")
      let warnings = try #require(document["warnings"] as? [[String: Any]], "\(arguments)")
      #expect(warnings.map { $0["year"] as? Int } == missing.map { $0 }, "\(arguments)")
      #expect(warnings.allSatisfy { ($0["message"] as? String)?.contains("docket calendar import") == true })
    }
    for arguments in [["db", "status"], ["report", "monthly", "--month", "2026-11"]] {
      let result = try CLI.run(arguments, environment: test.environment)
      #expect(result.stderr.contains("no published holiday schedule for \(missing[0])"), "\(arguments)")
    }
  }
}
