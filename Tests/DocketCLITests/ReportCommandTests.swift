import DocketTestSupport
import Foundation
import Testing

@Suite("docket report monthly")
struct ReportCommandTests {
  /// The environment of a database with the demo's ledger, loaded once for every format.
  static let demo: [String: String] = {
    let test = try! TestDocket.make("reportcli")
    let loaded = try! CLI.run(["demo"], environment: test.environment)
    precondition(loaded.status == 0, loaded.stderr)
    return test.environment
  }()

  func report(_ arguments: [String]) throws -> CommandResult {
    let result = try CLI.run(
      ["report", "monthly", "--month", "2021-11"] + arguments, environment: Self.demo)
    #expect(result.status == 0, "\(result.stderr)")
    return result
  }

  @Test("--scope narrows the report: the police clues handed over by the inspection team")
  func scope() throws {
    let out = try report(["--scope", "category:涉警问题", "--scope", "source:inspection", "--json"]).stdout
    let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let totals = try #require(object["totals"] as? [String: Any])
    // Two of every three of the 152 police clues came from the inspection team (the rest by letter).
    #expect(totals["cohort_received"] as? Int == 101)
  }

  @Test("JSON uses the design's keys, with one group per ledger")
  func json() throws {
    let out = try report(["--by", "category", "--json"]).stdout
    let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    #expect(object["month"] as? String == "2021-11")
    #expect(object["timezone"] as? String == "Asia/Shanghai")
    #expect(object["cohort"] as? String == "ytd")
    let totals = try #require(object["totals"] as? [String: Any])
    for key in [
      "received", "closed", "cohort_received", "cohort_closed", "closure_rate", "on_time_rate", "open_at_end",
      "overdue_at_end", "duplicates", "median_days_to_close", "yoy",
    ] {
      #expect(totals.keys.contains(key), "totals lack \(key)")
    }
    #expect(
      Set((totals["yoy"] as? [String: Any])?.keys.map { $0 } ?? []) == [
        "received", "closed", "closure_rate_pp",
      ])
    let groups = try #require(object["groups"] as? [[String: Any]])
    let police = try #require(groups.first { $0["key"] as? String == "涉警问题" })
    #expect(police["cohort_received"] as? Int == 152)
    #expect(police["cohort_closed"] as? Int == 137)
    #expect(police["closure_rate"] as? Double == 0.9013)
  }

  @Test("CSV opens in Excel: a byte-order mark, RFC 4180 quoting, CRLF")
  func csv() throws {
    let out = try report(["--by", "category", "--format", "csv"]).stdout
    #expect(out.hasPrefix("\u{FEFF}问题类别,收件,办结,"))
    #expect(out.contains("\r\n涉警问题,"))
    #expect(out.contains(",152,137,90.1%,"))
    let english = try report(["--format", "csv", "--lang", "en"]).stdout
    #expect(english.hasPrefix("\u{FEFF}Received,Closed,Cohort,Cohort closed,Closure rate,"))
  }

  @Test("Markdown and the terminal table mark a rate below the office's target")
  func markdown() throws {
    let md = try report(["--by", "category", "--format", "md"]).stdout
    #expect(md.contains("| 涉黑涉恶 |"))
    #expect(md.contains("82.4%*"))
    #expect(md.contains("* 办结率低于目标 90.0%"))
    let table = try report(["--by", "category"]).stdout
    #expect(table.contains("82.4%*"))
    #expect(!table.contains("90.1%*"))
  }

  @Test("the HTML page prints on A4 with the chart and the table, as Chromium renders it")
  func html() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docket-report-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let page = directory.appendingPathComponent("report.html")
    _ = try report(["--by", "category", "--format", "html", "--out", page.path])
    let html = try String(contentsOf: page, encoding: .utf8)
    // Self-contained: nothing fetched from elsewhere.
    // The SVG namespace is the only address in it.
    #expect(html.components(separatedBy: "http://").count == 2)
    #expect(!html.contains("https://"))
    let pdf = directory.appendingPathComponent("report.pdf")
    let printed = try CLI.runProgram(
      "chromium",
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        "--print-to-pdf=\(pdf.path)", page.absoluteString,
      ])
    #expect(printed.status == 0, "\(printed.stderr)")
    let text = try CLI.runProgram("pdftotext", ["-layout", pdf.path, "-"])
    #expect(text.status == 0, "\(text.stderr)")
    // What a reader sees: the title, the chart's legend and months, the police ledger's row.
    #expect(text.stdout.contains("2021年11月信访举报办结情况"))
    #expect(text.stdout.contains("办结率"))
    #expect(text.stdout.contains("12月") && text.stdout.contains("11月"))
    let police = text.stdout.split(separator: "\n").first { $0.contains("涉警问题") }
    #expect(police?.contains("152") == true && police?.contains("90.1%") == true)
    let info = try CLI.runProgram("pdfinfo", [pdf.path])
    #expect(info.stdout.contains("Pages:           1"))
    #expect(info.stdout.contains("842 x 595") || info.stdout.contains("841.92 x 594.96"))  // A4 landscape
  }

  @Test("the weekly bulletin in JSON and CSV")
  func weekly() throws {
    let json = try CLI.run(["report", "weekly", "--week", "2021-W44", "--json"], environment: Self.demo)
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["from"] as? String == "2021-10-31T16:00:00Z")
    #expect(Set(object.keys) == ["from", "to", "timezone", "intake", "closures", "warnings"])
    let warnings = try #require(object["warnings"] as? [[String: Any]])
    #expect(warnings.contains { $0["warning"] as? String == "red" })
    let csv = try CLI.run(
      ["report", "weekly", "--from", "2021-11-01", "--to", "2021-11-07", "--format", "csv"],
      environment: Self.demo)
    #expect(csv.stdout.hasPrefix("\u{FEFF}信访举报工作周通报（2021-11-01 — 2021-11-07）"))
    #expect(csv.stdout.contains("\r\n二、本周办结（按承办单位）\r\n承办单位,办结\r\n"))
    let neither = try CLI.run(["report", "weekly"], environment: Self.demo)
    #expect(neither.status == 64)
    #expect(neither.stderr.contains("--week"))
    let backwards = try CLI.run(
      ["report", "weekly", "--from", "2021-11-07", "--to", "2021-11-01"], environment: Self.demo)
    #expect(backwards.status == 65)
    #expect(backwards.stderr.contains("--from 2021-11-07 is after --to 2021-11-01"))
    let notDay = try CLI.run(
      ["report", "weekly", "--from", "2021-11-01 10:00", "--to", "2021-11-07"], environment: Self.demo)
    #expect(notDay.status == 65)
    #expect(notDay.stderr.contains("--from: '2021-11-01 10:00' is not a day; write 2021-09-20."))
  }

  @Test("bad arguments are named")
  func errors() throws {
    let month = try CLI.run(["report", "monthly", "--month", "2021-13"], environment: Self.demo)
    #expect(month.status != 0)
    #expect(month.stderr.contains("2021-13"))
    let by = try CLI.run(
      ["report", "monthly", "--month", "2021-11", "--by", "colour"], environment: Self.demo)
    #expect(by.status != 0)
    #expect(by.stderr.contains("colour"))
    let scope = try CLI.run(
      ["report", "monthly", "--month", "2021-11", "--scope", "source:nowhere"], environment: Self.demo)
    #expect(scope.status != 0)
    #expect(scope.stderr.contains("nowhere"))
  }
}
