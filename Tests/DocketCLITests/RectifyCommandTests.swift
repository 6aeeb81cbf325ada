import DocketService
import DocketTestSupport
import Foundation
import Testing

/// `docket rectify` as the rectification office and the responsible units use it (issue 17).
@Suite("docket rectify")
struct RectifyCommandTests {
  static let plan = """
    序号,方面,问题,整改措施,牵头领导,责任单位,完成时限,目标
    1,一、方面甲,问题甲,核查移交问题线索,boss,第一纪检监察室,2021-09-30,10件
    2,,,建立问题线索台账,boss,第二纪检监察室,2021-12-31,
    """

  func json(_ result: CommandResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test(
    "a round is added, its plan imported and one measure worked to 对账销号, with evidence, from the command line"
  )
  func workOneMeasure() throws {
    let test = try TestDocket.make("rectifycli")
    try Office.staff(test.docket)
    let env = test.environment
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rectify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let planFile = directory.appendingPathComponent("整改任务清单.csv")
    try Data(Self.plan.utf8).write(to: planFile)
    let evidence = directory.appendingPathComponent("核查报告.pdf")
    try Data("%PDF-1.4 核查报告".utf8).write(to: evidence)

    let round = try CLI.run(
      [
        "rectify", "round", "add", "落实省委第四巡视组反馈意见整改", "--team", "省委第四巡视组", "--feedback-date",
        "2021-06-28", "--as", "boss",
      ], environment: env)
    #expect(round.status == 0, "\(round.stderr)")
    #expect(round.stdout == "1\n")
    let dry = try CLI.run(
      ["rectify", "import", planFile.path, "--round", "1", "--as", "cm", "--dry-run"], environment: env)
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(try CLI.run(["rectify", "list", "--json"], environment: env).stdout.contains("1-1") == false)
    let imported = try CLI.run(
      ["rectify", "import", planFile.path, "--round", "1", "--as", "cm", "--at", "2021-07-01 09:00"],
      environment: env)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("1 aspect(s), 1 problem(s) and 2 measure(s)"), "\(imported.stdout)")

    // A handler of another unit does not see the measure: row-level security, as for items.
    let stranger = try CLI.run(
      ["rectify", "progress", "1-1", "--as", "h2", "--note", "已核查", "--at", "2021-07-10 09:00"],
      environment: env)
    #expect(stranger.status == 1)
    #expect(stranger.stderr.contains("1-1"), "\(stranger.stderr)")
    let future = try CLI.run(
      ["rectify", "progress", "1-1", "--as", "h1", "--note", "已核查", "--at", "2099-01-01 09:00"],
      environment: env)
    #expect(future.status != 0 && future.stderr.contains("future"), "\(future.stderr)")
    let progress = try CLI.run(
      [
        "rectify", "progress", "1-1", "--as", "h1", "--note", "已核查6件", "--done", "6", "--evidence",
        evidence.path,
        "--at", "2021-07-10 09:00",
      ], environment: env)
    #expect(progress.status == 0, "\(progress.stderr)")
    let milestone = try CLI.run(
      [
        "rectify", "milestone", "1-1", "--by", "2021-08-31", "--done", "8", "--as", "cm", "--at",
        "2021-07-11 09:00",
      ],
      environment: env)
    #expect(milestone.status == 0, "\(milestone.stderr)")
    // By 2021-09-01 it is behind its own milestone (8 by 2021-08-31, 6 reported), though not yet due.
    let board = try json(
      try CLI.run(["rectify", "board", "--as-of", "2021-09-01 12:00", "--json"], environment: env))
    let lagging = try #require((board["by_unit"] as? [[String: Any]])?.first?["measures"] as? [[String: Any]])
    #expect(lagging.first?["ref"] as? String == "1-1")
    #expect(lagging.first?["missed_milestone"] as? String == "2021-08-31")
    #expect(lagging.first?["lagging"] as? Bool == true)

    for (arguments, to) in [
      (["complete", "1-1", "--as", "h1", "--note", "10件全部核查", "--at", "2021-09-20 09:00"], "completed"),
      (["sign-off", "1-1", "--as", "cm", "--at", "2021-09-21 09:00"], "completed"),
      (["sign-off", "1-1", "--approve", "--as", "boss", "--at", "2021-09-22 09:00"], "signed_off"),
    ] {
      let moved = try CLI.run(["rectify"] + arguments + ["--json"], environment: env)
      #expect(moved.status == 0, "\(arguments): \(moved.stderr)")
      #expect(try json(moved)["state"] as? String == to, "\(arguments): \(moved.stdout)")
    }
    let shown = try json(try CLI.run(["rectify", "show", "1-1", "--json"], environment: env))
    #expect(shown["state"] as? String == "signed_off")
    let entries = try #require(shown["entries"] as? [[String: Any]])
    #expect(
      entries.map { $0["kind"] as? String } == [
        "progress", "milestone", "completed", "sign_off_recorded", "signed_off",
      ])

    let copy = directory.appendingPathComponent("copy.pdf")
    let got = try CLI.run(
      ["rectify", "evidence", "1-1", "1", "--out", copy.path, "--as", "boss"], environment: env)
    #expect(got.status == 0, "\(got.stderr)")
    #expect(try Data(contentsOf: copy) == (try Data(contentsOf: evidence)))
    #expect(try CLI.run(["audit", "verify"], environment: env).status == 0)
  }

  @Test(
    "the seed's round: the public progress report, the board, one letter per lagging unit, the dispatch sheet"
  )
  func seedRound() throws {
    let test = try TestDocket.make("rectifyseed")
    let env = test.environment
    #expect(try CLI.run(["demo"], environment: env).status == 0)
    let asOf = "2021-11-30 23:59"
    let report = try CLI.run(
      ["rectify", "report", "--round", "1", "--as-of", asOf, "--public"], environment: env)
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("提出整改措施62条，已完成33条（已对账销号26条），正在推进29条（其中长期坚持9条）。"))
    #expect(report.stdout.contains("应覆盖事项1232项，现已覆盖955项"))
    for name in ["反映人", "来电人", "群众1", "1392759"] { #expect(!report.stdout.contains(name)) }

    let figures = try json(
      try CLI.run(
        ["rectify", "report", "--round", "1", "--as-of", asOf, "--format", "json"], environment: env))
    #expect(figures["measures"] as? Int == 62)
    #expect(figures["signed_off"] as? Int == 26)
    #expect(figures["long_term"] as? Int == 9)

    // The handed-over letters' measure counts its figure from the ledger: the batch, all closed.
    let measure = try json(try CLI.run(["rectify", "show", "1-35", "--json"], environment: env))
    #expect(measure["linked_total"] as? Int == 251 && measure["linked_closed"] as? Int == 251)

    let board = try json(try CLI.run(["rectify", "board", "--as-of", asOf, "--json"], environment: env))
    let units = try #require(board["by_unit"] as? [[String: Any]])
    #expect(units.count == 18)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rletters-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let letters = try CLI.run(
      ["rectify", "letters", "--as-of", asOf, "--out", directory.path, "--as", "ag.wang"], environment: env)
    #expect(letters.status == 0, "\(letters.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(
      files.filter { $0.hasSuffix(".html") }.count == 18 && files.filter { $0.hasSuffix(".md") }.count == 18)
    #expect(files.allSatisfy { $0.contains("整改提醒函") || $0.contains("整改督办函") }, "\(files)")

    let dispatch = try json(
      try CLI.run(["rectify", "dispatch", "--as-of", asOf, "--json"], environment: env))
    let leads = try #require(dispatch["by_lead"] as? [[String: Any]])
    #expect(leads.reduce(0) { $0 + (($1["measures"] as? [Any])?.count ?? 0) } == 11)
    #expect(try CLI.run(["audit", "verify"], environment: env).status == 0)
  }
}
