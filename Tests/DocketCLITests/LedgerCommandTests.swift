import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// The command line against a configured database (DOCKET_DATABASE_URL), as staff use it.
@Suite("Registering and moving items from the command line")
struct LedgerCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("cli")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String...) throws -> CommandResult {
    try CLI.run(arguments, environment: environment)
  }

  func json(_ result: CommandResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test("intake phone prints the new reference number, and --json the item without the reporter")
  func intakePhone() throws {
    let plain = try docket(
      "intake", "phone", "--as", "reg", "--kind", "检举控告", "--subject", "反映某所长违规收费",
      "--caller", "0759-8814115", "--reporter-name", "李四", "--at", "2021-09-28 10:00")
    #expect(plain.status == 0, "\(plain.stderr)")
    // The reference number first; then, once only, the receipt code the reporter follows it up with.
    #expect(plain.stdout.hasPrefix("2021-JB-00001\n回执码 receipt code: "))
    let result = try docket(
      "intake", "letter", "--as", "reg", "--subject", "意见建议", "--envelope-note", "对雷州市巡视整改情况的意见建议",
      "--postcode", "524200", "--postmark", "2021-09-26", "--at", "2021-09-28", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let item = try json(result)
    #expect(item["ref"] as? String == "2021-JY-00001")
    #expect(item["kind"] as? String == "suggestion")
    #expect(item["reporter"] as? String == "anonymous")
    #expect(item["received_at"] as? String == "2021-09-27T16:00:00Z")
    let shown = try docket("show", "2021-JB-00001", "--json")
    #expect(!shown.stdout.contains("李四"))
    #expect(!shown.stdout.contains("8814115"))
    #expect(shown.stdout.contains("\"reporter\" : \"real_name\""))
    // Every clock of the item, with when it started, when it is due and how it stands.
    let document = try json(shown)
    let clocks = try #require(document["clocks"] as? [[String: Any]])
    #expect(clocks.map { $0["clock"] as? String } == ["forward", "acceptance_notice", "disposal_proposal"])
    #expect(clocks.first?["due"] as? String == "2021-10-11")
    #expect(clocks.first?["started_at"] as? String == "2021-09-28T02:00:00Z")
    #expect(clocks.allSatisfy { $0["warning"] as? String == "red" && $0["stopped_at"] is NSNull })
    let overdue = try docket("list", "--overdue", "--json")
    let late = try #require(
      try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]])
    #expect(late.map { $0["ref"] as? String } == ["2021-JY-00001", "2021-JB-00001"])
    let early = try docket("list", "--warning", "蓝", "--as-of", "2021-09-28 12:00", "--json")
    #expect(early.status == 0, "\(early.stderr)")
    #expect(early.stdout.contains("2021-JB-00001"))
    // The registrar's screening list: no email text here that may identify anyone.
    let screening = try docket("list", "--warning", "may_identify", "--json")
    #expect(screening.status == 0, "\(screening.stderr)")
    #expect(try JSONSerialization.jsonObject(with: Data(screening.stdout.utf8)) as? [Any] != nil)
    #expect(!screening.stdout.contains("2021-JB-00001"))
    let unknown = try docket("list", "--warning", "purple")
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("may_identify"), "\(unknown.stderr)")
  }

  @Test("an intake sent again with its --request-id finds the item instead of registering a second")
  func requestID() throws {
    let arguments = [
      "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "反映某所长违规收费",
      "--caller", "13800138000", "--request-id", "hotline-0007", "--at", "2021-09-28 10:00",
    ]
    let first = try CLI.run(arguments, environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("receipt") || first.stdout.contains("回执"))
    let again = try CLI.run(arguments, environment: environment)
    #expect(again.status == 0, "\(again.stderr)")
    let ref = try #require(first.stdout.split(separator: "\n").first.map(String.init))
    #expect(again.stdout == ref + "\n")
    #expect(again.stderr.contains("registered by this request id before"))
    #expect(try docket("list", "--json").stdout.components(separatedBy: "\"ref\"").count == 2)
  }

  @Test("the reporter can come from standard input, so it never shows in the process list")
  func reporterFromStandardInput() throws {
    let result = try CLI.run(
      [
        "intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "线索", "--reporter-from", "-",
        "--json",
      ],
      environment: environment, input: #"{"name": "王五", "phone": "13900139000"}"#)
    #expect(result.status == 0, "\(result.stderr)")
    let item = try json(result)
    #expect(item["reporter"] as? String == "real_name")
    let ref = try #require(item["ref"] as? String)
    let identity = try test.person("boss").reveal(ref, reason: "核实", actor: nil)
    #expect(identity.name == "王五")
    #expect(identity.phone == "13900139000")
    let broken = try CLI.run(
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "线索", "--reporter-from", "-"],
      environment: environment, input: "王五 13900139000")
    #expect(broken.status == 65)
    #expect(!broken.stderr.contains("王五"))
  }

  @Test("bad input data exits 65 with a sentence that names the field but not the number")
  func badPhone() throws {
    let result = try docket(
      "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "x", "--caller", "0759-123")
    #expect(result.status == 65)
    #expect(result.stderr.contains("phone"))
    #expect(!result.stderr.contains("0759-123"))
    #expect(result.stdout.isEmpty)
    let future = try docket(
      "intake", "visit", "--as", "reg", "--kind", "petition", "--subject", "x", "--at", "2099-01-01")
    #expect(future.status == 65)
    #expect(future.stderr.contains("future"))
  }

  @Test("bad usage exits 64")
  func badUsage() throws {
    #expect(try docket("accept").status == 64)
    #expect(try docket("intake", "phone", "--kind", "nonsense", "--subject", "x").status == 64)
  }

  @Test("a move the state machine does not allow exits 1 naming the state and the allowed moves")
  func refusedMove() throws {
    let ref = try docket("intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "线索").stdout
      .prefix { $0 != "\n" }.description
    let result = try docket("close", ref, "--as", "boss")
    #expect(result.status == 1)
    #expect(result.stderr.contains("registered"))
    #expect(result.stderr.contains("accept, not-accept, duplicate, forward"))
    let accepted = try docket("accept", ref, "--as", "reg", "--json")
    #expect(try json(accepted)["state"] as? String == "accepted")
    #expect(try json(accepted)["version"] as? Int == 2)
  }

  @Test("two people moving the same item at once: one wins, the other is told to reload")
  func concurrentMove() throws {
    for round in 0..<5 {
      let ref = try docket(
        "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "并发\(round)"
      ).stdout
        .prefix { $0 != "\n" }.description
      let results = CLI.runConcurrently(
        [
          ["accept", ref, "--as", "reg", "--if-version", "1"],
          ["not-accept", ref, "--as", "boss", "--reason", "不属于受理范围", "--if-version", "1"],
        ], environment: environment)
      let winners = results.filter { $0.status == 0 }
      #expect(winners.count == 1, "\(results.map(\.stderr))")
      let loser = try #require(results.first { $0.status != 0 })
      #expect(loser.status == 1)
      #expect(loser.stderr.contains("changed meanwhile"))
      let events = try test.docket.journalLog(ref: ref, actor: "aud")
      #expect(events.count == 2)
    }
  }

  @Test("list and show print the ledger as aligned tables and as JSON")
  func listAndShow() throws {
    for subject in ["反映甲问题", "反映乙问题", "反映丙问题"] {
      _ = try docket("intake", "online", "--as", "reg", "--kind", "suggestion", "--subject", subject)
    }
    let table = try docket("list", "--lang", "zh")
    #expect(table.status == 0)
    let lines = table.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 6)
    #expect(lines.last == "共 3 件")
    // Every row's subject column starts at the same display column as the header's.
    let starts = lines.dropLast().filter { !$0.hasPrefix("─") }.map { line in
      DisplayColumns.start(of: line.split(separator: " ").last.map(String.init) ?? "", in: line)
    }
    #expect(Set(starts).count == 1, "\(table.stdout)")
    let limited = try docket("list", "--json", "--limit", "2", "--kind", "suggestion")
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [[String: Any]])
    #expect(items.map { $0["subject"] as? String } == ["反映甲问题", "反映乙问题"])
    let none = try docket("list", "--json", "--state", "closed")
    #expect((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [Any])?.isEmpty == true)
    let show = try docket("show", items[0]["ref"] as! String, "--json")
    let journal = try #require(try json(show)["journal"] as? [[String: Any]])
    #expect(journal.map { $0["event"] as? String } == ["registered"])
    #expect(journal.first?["actor"] as? String == "reg")
  }

  @Test("the database comes from the PG* environment when nothing else is configured")
  func pgEnvironment() throws {
    let cluster = TestCluster.shared
    var environment = self.environment
    environment["DOCKET_DATABASE_URL"] = nil
    environment["PGHOST"] = cluster.cluster.socketDirectory.path
    environment["PGDATABASE"] = test.database
    environment["PGUSER"] = "docket"
    let status = try CLI.run(["db", "status", "--json"], environment: environment)
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("PGDATABASE"))
    let list = try CLI.run(["list", "--json"], environment: environment)
    #expect(list.status == 0, "\(list.stderr)")
  }

  @Test("connection failures say what the server said; an unreachable server exits 75")
  func connectionFailures() throws {
    var environment = self.environment
    environment["DOCKET_DATABASE_URL"] = TestCluster.shared.conninfo(database: "no_such_database")
    let missing = try CLI.run(["list"], environment: environment)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("database \"no_such_database\" does not exist"))
    environment["DOCKET_DATABASE_URL"] = "host=/nonexistent/socket/dir dbname=docket"
    let down = try CLI.run(["list"], environment: environment)
    #expect(down.status == 75)
    #expect(down.stderr.contains("No such file or directory"))
  }

  @Test("audit verify passes, and names the first event after someone edits the journal")
  func auditVerify() throws {
    _ = try docket("intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "甲")
    _ = try docket("intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "乙")
    let intact = try docket("audit", "verify")
    #expect(intact.status == 0)
    #expect(intact.stdout.contains("intact"))
    let db = try Connection(conninfo: test.conninfo)
    let seq: Int64 = try #require(try db.first("SELECT max(seq) - 1 AS seq FROM journal")).decode("seq")
    try db.run(script: "SET session_replication_role = replica")
    try db.query("UPDATE journal SET actor = 'someone-else' WHERE seq = $1", [seq])
    let broken = try docket("audit", "verify", "--json")
    #expect(broken.status == 1)
    #expect(try json(broken)["first_broken_seq"] as? Int == Int(seq))
    #expect(broken.stderr.contains("event \(seq)"))
  }
}

/// Where a piece of text starts in a line, counted in terminal columns.
enum DisplayColumns {
  static func start(of piece: String, in line: String) -> Int {
    guard let range = line.range(of: piece, options: .backwards) else { return -1 }
    return line[..<range.lowerBound].unicodeScalars.reduce(0) { width, scalar in
      width
        + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
          || (0xAC00...0xD7A3).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
    }
  }
}
