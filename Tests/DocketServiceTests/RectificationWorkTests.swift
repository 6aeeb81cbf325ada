import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// Working the rectification ledger (issue 17, items 3 to 6): the state machine, row-level
/// security, live figures, backdated entries, letters and the report, against the database.
@Suite("Rectification: working the measures, supervising laggards, the report")
struct RectificationWorkTests {
  let scene: Scene
  var d: Docket { scene.d }
  let round: Int

  /// Four measures: 1 due 2021-09-30 with a target, 2 shared by two units, 3 long-term, 4 立行立改
  /// (due on the round's report date, 2021-08-31).
  static let plan = """
    序号,方面,问题,整改措施,牵头领导,责任单位,完成时限,目标
    1,一、方面甲,问题甲,核查移交问题线索,boss,第一纪检监察室,2021-09-30,10件
    2,,,建立问题线索台账,boss2,第二纪检监察室、第一纪检监察室,2021-12-31,
    3,二、方面乙,问题乙,常态化开展警示教育,boss,第二纪检监察室,长期坚持,
    4,,,立即清理违规事项,boss,第一纪检监察室,立行立改,
    """

  init() throws {
    scene = try Scene.make("rectwork", now: beijing("2021-10-08 12:00"))
    _ = try scene.d.addStaff(login: "boss2", name: "另一领导", roles: [.leader], unit: nil, actor: "admin")
    round = try scene.d.addRound(
      name: "落实省委第四巡视组反馈意见整改", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: "2021-08-31",
      actor: "boss"
    ).id
    var plan = PlanRequest(fileName: "清单.csv", bytes: Array(Self.plan.utf8), round: round)
    plan.at = beijing("2021-07-01 09:00")
    _ = try scene.d.importPlan(plan, actor: "cm")
  }

  func ref(_ number: Int) -> String { "\(round)-\(number)" }
  func at(_ text: String) -> MoveOptions { MoveOptions(at: beijing(text)) }

  func measureEvents() throws -> [(MeasureEntryKind, JournalEvent.MeasureRecord)] {
    try d.journalLog(ref: nil, actor: "aud").compactMap {
      if case .measure(let kind, let record) = JournalEvent(name: $0.event, payload: $0.payload) {
        (kind, record)
      } else {
        nil
      }
    }
  }

  @Test(
    "planned → in progress → completed → signed off (recorded, then approved by the lead leader) → reopened")
  func stateMachine() throws {
    let measure = ref(1)
    #expect(
      try d.recordProgress(measure, note: "已核查6件", done: 6, actor: "h1", at("2021-07-10 09:00")).to
        == .inProgress)
    expectRefusal(.refused) { () throws(DocketError) in
      try d.signOffMeasure(measure, actor: "cm", at("2021-07-11 09:00"))
    }
    #expect(
      try d.completeMeasure(measure, note: "10件全部核查", actor: "h1", at("2021-07-20 09:00")).to == .completed)
    // The rectification office signs off, not the handler; the lead leader approves, no other leader.
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.signOffMeasure(measure, actor: "h1", at("2021-07-21 08:00"))
    }
    let recorded = try d.signOffMeasure(measure, actor: "cm", at("2021-07-21 09:00"))
    #expect(recorded.awaitingApproval && recorded.to == .completed)
    expectRefusal(.refused) { () throws(DocketError) in
      try d.signOffMeasure(measure, actor: "cm", at("2021-07-21 10:00"))
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.signOffMeasure(measure, approve: true, actor: "boss2", at("2021-07-22 08:00"))
    }
    #expect(
      try d.signOffMeasure(measure, approve: true, actor: "boss", at("2021-07-22 09:00")).to == .signedOff)
    expectRefusal(.refused) { () throws(DocketError) in
      try d.recordProgress(measure, note: "再报", actor: "h1", at("2021-07-23 09:00"))
    }
    // Changes are entered in order, never in the future, and a reopening says why.
    expectRefusal(.refused) { () throws(DocketError) in
      try d.reopenMeasure(measure, reason: "回头看", actor: "cm", at("2021-07-15 09:00"))
    }
    expectRefusal(.invalid) { () throws(DocketError) in
      try d.reopenMeasure(measure, reason: "回头看", actor: "cm", at("2021-10-09 09:00"))
    }
    expectRefusal(.invalid) { () throws(DocketError) in try d.reopenMeasure(measure, reason: " ", actor: "cm")
    }
    #expect(
      try d.reopenMeasure(measure, reason: "回头看发现2件未办结", actor: "cm", at("2021-08-01 09:00")).to == .reopened)
    #expect(
      try d.recordProgress(measure, note: "补办2件", actor: "h1", at("2021-08-05 09:00")).to == .inProgress)
    expectRefusal(.forbidden) { () throws(DocketError) in try d.claimMeasure(measure, actor: "h1") }
    _ = try d.claimMeasure(measure, actor: "boss", at("2021-08-06 09:00"))
    expectRefusal(.refused) { () throws(DocketError) in try d.claimMeasure(measure, actor: "boss") }

    let detail = try d.measureDetail(measure, actor: "aud")
    #expect(detail.snapshot.standing.claimed && detail.snapshot.measure.state == .inProgress)
    let kinds: [MeasureEntryKind] = [
      .progress, .completed, .signOffRecorded, .signedOff, .reopened, .progress, .claimed,
    ]
    #expect(detail.entries.map(\.kind) == kinds)
    expectRefusal(.changedMeanwhile) { () throws(DocketError) in
      try d.recordProgress(
        measure, note: "旧版本", actor: "h1",
        MoveOptions(at: beijing("2021-08-07 09:00"), expectedVersion: detail.version - 1))
    }
    // Every change is a journal event in the one hash chain.
    let events = try measureEvents()
    #expect(events.map(\.0) == kinds)
    #expect(events.allSatisfy { $0.1.measure == measure })
    #expect(events.first { $0.0 == .signedOff }?.1.approvedBy == "boss")
    #expect(events.first { $0.0 == .reopened }?.1.reason == "回头看发现2件未办结")
    #expect(events.first?.1.done == 6 && events.first?.1.unit == "第一纪检监察室")
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("from a raw SQL session, a handler sees only their unit's measures, entries and measure events")
  func rowSecurity() throws {
    _ = try d.recordProgress(ref(1), note: "一室进展", actor: "h1", at("2021-07-10 09:00"))
    _ = try d.recordProgress(ref(3), note: "二室进展", actor: "h2", at("2021-07-11 09:00"))
    // Through docket too: a handler of another unit cannot even find measure 1.
    expectRefusal(.notFound) { () throws(DocketError) in
      try d.recordProgress(ref(1), note: "越权", actor: "h2", at("2021-07-12 09:00"))
    }
    #expect(try d.measures(actor: "h2").map(\.number) == [2, 3])
    let db = try Connection(
      conninfo: try scene.test.staffOnOwnRole("p.h2", name: "承办二乙", roles: [.handler], unit: "第二纪检监察室"))
    #expect(
      try db.query("SELECT number FROM measures ORDER BY number").map { try $0.decode("number") as Int } == [
        2, 3,
      ])
    #expect(
      try db.query("SELECT note FROM measure_entries").map { try $0.decode("note") as String } == ["二室进展"])
    let events = try db.query("SELECT event, payload FROM journal WHERE item_id IS NULL").map {
      JournalEvent(name: try $0.decode("event"), payload: try $0.decode("payload"))
    }
    #expect(events.count == 1)
    if case .measure(.progress, let record) = events.first {
      #expect(record.measure == ref(3))
    } else {
      Issue.record("expected measure 3's progress event, got \(events)")
    }
    // Nor can they write around docket: no entry or state without its journal event.
    for statement in [
      "INSERT INTO measure_entries (measure_id, kind, effective_at, recorded_at, actor, note, state) SELECT id, 'completed', now(), now(), 'p.h2', '绕过', 'completed' FROM measures WHERE number = 3",
      "UPDATE measures SET state = 'signed_off' WHERE number = 3",
    ] {
      #expect(throws: DatabaseError.self, "\(statement)") { try db.query(statement) }
    }
    #expect(try d.measureDetail(ref(3), actor: "aud").snapshot.measure.state == .inProgress)
  }

  /// Closes a clue being handled in 第一纪检监察室 at `time`.
  func close(_ item: String, at time: String) throws {
    let when = beijing(time)
    _ = try d.dispose(
      item, disposal: .closeOff, approve: true, actor: "boss", .init(at: when.addingTimeInterval(-7200)))
    _ = try d.conclude(
      item, finding: .unsubstantiated, actor: "h1", .init(at: when.addingTimeInterval(-3600)))
    _ = try d.close(item, actor: "cm", .init(at: when))
  }

  func figure(_ number: Int, asOf: String) throws -> LiveFigure? {
    try d.progressReport(round: round, asOf: beijing(asOf), actor: "aud").measures.first {
      $0.measure.number == number
    }?
    .figure
  }

  @Test("a linked measure's figure is counted from the case ledger at the as-of time, never typed")
  func liveFigure() throws {
    let first = try scene.handling(.clue, subject: "线索甲")
    let second = try scene.handling(.clue, subject: "线索乙")
    _ = try d.linkMeasure(ref(1), to: .items([first.ref, second.ref]), actor: "cm", at("2021-09-30 12:00"))
    expectRefusal(.notFound) { () throws(DocketError) in
      try d.linkMeasure(ref(2), to: .items(["2021-JB-99999"]), actor: "cm", at("2021-09-30 12:00"))
    }
    #expect(try figure(1, asOf: "2021-10-05 12:00") == LiveFigure(total: 2, closed: 0))
    try close(first.ref, at: "2021-10-06 10:00")
    #expect(try figure(1, asOf: "2021-10-06 09:59") == LiveFigure(total: 2, closed: 0))
    #expect(try figure(1, asOf: "2021-10-06 10:00") == LiveFigure(total: 2, closed: 1))
    try close(second.ref, at: "2021-10-07 10:00")
    #expect(try figure(1, asOf: "2021-10-08 12:00") == LiveFigure(total: 2, closed: 2))
    // The report shows the ledger's figure, against the measure's target.
    let snapshot = try #require(
      try d.progressReport(round: round, asOf: beijing("2021-10-08 12:00"), actor: "aud").targets.first)
    #expect(snapshot.progress?.done == 2 && snapshot.progress?.of == 2)

    // A handover batch: every letter of the list, closed or not, from the day it was received.
    let list = handoverCSV([
      ["1", "2021-09-20", "", "", "", "巡视移交", "反映甲"], ["2", "2021-09-21", "", "", "", "巡视移交", "反映乙"],
      ["3", "2021-09-22", "", "", "", "巡视移交", "反映丙"],
    ])
    var request = HandoverRequest(fileName: "移交清单.csv", bytes: list, handedOverBy: "省委第四巡视组")
    request.kind = .petition
    request.handoverDate = CivilDate("2021-09-25")
    guard case .imported(let batch) = try d.importHandover(request, actor: "reg").outcome else {
      Issue.record("the list was not imported")
      return
    }
    _ = try d.linkMeasure(ref(2), to: .batch(batch), actor: "cm", at("2021-09-30 12:00"))
    #expect(try figure(2, asOf: "2021-09-21 12:00") == LiveFigure(total: 2, closed: 0))
    #expect(try figure(2, asOf: "2021-10-08 12:00") == LiveFigure(total: 3, closed: 0))
    // A filter over the ledger takes in what matches, the clues above and none of the petitions.
    _ = try d.linkMeasure(
      ref(4), to: .filter(try CaseFilter.parse("kind=clue")), actor: "cm", at("2021-09-30 12:00"))
    #expect(try figure(4, asOf: "2021-10-08 12:00") == LiveFigure(total: 2, closed: 2))
    #expect(
      try measureEvents().filter { $0.0 == .linked }.map(\.1.link) == [
        "items \(first.ref) \(second.ref)", "batch \(batch)", "filter kind=clue",
      ])
  }

  /// Measure 1 completed (awaiting sign-off) after its progress; 2 in progress; 3 long-term,
  /// behind its milestone of 2021-08-02; 4 signed off.
  func workTheRound() throws {
    _ = try d.recordProgress(ref(4), note: "已清理", actor: "h1", at("2021-07-05 09:00"))
    _ = try d.completeMeasure(ref(4), note: "清理完毕", actor: "h1", at("2021-07-06 09:00"))
    _ = try d.signOffMeasure(ref(4), actor: "cm", at("2021-07-07 09:00"))
    _ = try d.signOffMeasure(ref(4), approve: true, actor: "boss", at("2021-07-08 09:00"))
    _ = try d.setMilestone(
      ref(3), by: CivilDate("2021-08-02")!, actor: "cm",
      MoveOptions(at: beijing("2021-07-05 09:00"), note: "首次警示教育"))
    _ = try d.recordProgress(ref(1), note: "已核查6件", done: 6, actor: "h1", at("2021-07-10 09:00"))
    _ = try d.recordProgress(ref(2), note: "台账初稿", actor: "h2", at("2021-08-01 09:00"))
    _ = try d.completeMeasure(ref(1), note: "10件全部核查", actor: "h1", at("2021-09-20 09:00"))
  }

  @Test(
    "the report's totals, groups and targets as computed by hand, and a backdated entry counted from its time"
  )
  func report() throws {
    try workTheRound()
    let report = try d.progressReport(round: round, asOf: beijing("2021-10-08 12:00"), actor: "aud")
    let t = report.totals
    #expect((t.measures, t.signedOff, t.awaitingSignOff, t.inProgress, t.planned) == (4, 1, 1, 1, 1))
    // 1 is past its due day awaiting sign-off; 3 is behind its milestone.
    #expect((t.overdue, t.longTerm) == (2, 1))
    #expect(report.measures.filter(\.standing.lagging).map(\.measure.number) == [1, 3])
    #expect(
      report.measures.first { $0.measure.number == 3 }?.standing.missedMilestone?.day
        == CivilDate("2021-08-02"))
    let units = report.byUnit.map { ($0.name, $0.totals.measures, $0.totals.signedOff, $0.totals.overdue) }
    #expect(units.count == 2)
    #expect(units[0] == ("第一纪检监察室", 3, 1, 1))
    #expect(units[1] == ("第二纪检监察室", 2, 0, 1))
    #expect(
      report.byLead.map { ($0.name, $0.totals.measures) }.elementsEqual([("分管领导", 3), ("另一领导", 1)], by: ==))
    #expect(report.byAspect.map(\.name) == ["一、方面甲", "二、方面乙"])
    #expect(report.targets.map(\.measure.number) == [1])
    #expect(report.targets.first?.progress?.done == 6 && report.targets.first?.progress?.of == 10)
    #expect(report.totalsSentence == "提出整改措施4条，已完成2条（已对账销号1条），正在推进2条（其中长期坚持1条）。")

    // Entered today, effective 2021-09-10: a report as of September counts it from then.
    _ = try d.recordProgress(ref(3), note: "9月开展警示教育", actor: "h2", at("2021-09-10 09:00"))
    let early = try d.progressReport(round: round, asOf: beijing("2021-09-09 17:00"), actor: "aud")
    #expect(early.measures.first { $0.measure.number == 3 }?.standing.state == .planned)
    #expect(early.measures.filter(\.standing.lagging).map(\.measure.number) == [3])
    let later = try d.progressReport(round: round, asOf: beijing("2021-09-10 17:00"), actor: "aud")
    #expect(later.measures.first { $0.measure.number == 3 }?.standing.state == .inProgress)
    #expect(later.totals.overdue == 0 && later.totals.awaitingSignOff == 0 && later.totals.inProgress == 3)
    #expect(
      try d.progressReport(round: round, asOf: beijing("2021-10-08 12:00"), actor: "aud").totals.overdue == 1)
    // Before the plan was imported, the round had no measures.
    #expect(
      try d.progressReport(round: round, asOf: beijing("2021-06-30 12:00"), actor: "aud").totals.measures == 0
    )
  }

  @Test("one letter per lagging unit listing its lagging measures, numbered per kind and journaled")
  func letters() throws {
    try workTheRound()
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.issueRectificationLetters(round: round, asOf: beijing("2021-10-08 12:00"), actor: "h1")
    }
    let letters = try d.issueRectificationLetters(
      round: round, asOf: beijing("2021-10-08 12:00"), actor: "cm")
    #expect(letters.map(\.unit) == ["第一纪检监察室", "第二纪检监察室"])
    #expect(letters.map { $0.measures.map(\.measure.number) } == [[1], [3]])
    // Measure 1 is a few working days late: a reminder. Measure 3 missed its milestone of
    // 2021-08-02 by far more than supervision_after_working_days: a 督办函.
    #expect(letters.map(\.kind) == [.reminder, .supervision])
    #expect(letters.map(\.title) == ["整改提醒函〔2021〕第1号", "整改督办函〔2021〕第1号"])
    let again = try d.issueRectificationLetters(
      round: round, asOf: beijing("2021-10-08 12:00"), kind: .reminder, actor: "cm")
    #expect(again.map(\.title) == ["整改提醒函〔2021〕第2号", "整改提醒函〔2021〕第3号"])
    let journaled = try d.journalLog(ref: nil, actor: "aud").filter { $0.event == "rectification_letter" }
    #expect(journaled.count == 4)
    // Signed off, a measure is no longer anyone's letter.
    _ = try d.signOffMeasure(ref(1), approve: true, actor: "boss", at("2021-10-08 10:00"))
    let after = try d.issueRectificationLetters(round: round, asOf: beijing("2021-10-08 12:00"), actor: "cm")
    #expect(after.map(\.unit) == ["第二纪检监察室"])
    // The board groups the lagging measures by unit and by lead leader.
    let board = try d.measureBoard(round: round, asOf: beijing("2021-10-08 12:00"), actor: "aud")
    #expect(board.byUnit.map(\.unit) == ["第二纪检监察室"])
    #expect(board.byLead.map(\.lead) == ["分管领导"])
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("the weekly dispatch sheet lists every lagging measure with what changed in the week before")
  func dispatch() throws {
    try workTheRound()
    let sheet = try d.dispatchSheet(round: round, asOf: beijing("2021-09-24 17:00"), actor: "boss")
    // 1 completed on 2021-09-20 is not yet due; 3 is behind its milestone.
    #expect(sheet.byLead.map(\.lead) == ["分管领导"])
    #expect(sheet.byLead.first?.lines.map(\.measure.measure.number) == [3])
    // The office records measure 1's sign-off on 2021-10-05; it lags until the lead leader approves.
    _ = try d.signOffMeasure(ref(1), actor: "cm", at("2021-10-05 09:00"))
    let october = try d.dispatchSheet(round: round, asOf: beijing("2021-10-08 12:00"), actor: "boss")
    #expect(october.byLead.first?.lines.map(\.measure.measure.number) == [1, 3])
    let one = october.byLead.first?.lines.first { $0.measure.measure.number == 1 }
    #expect(one?.changes.map(\.kind) == [.signOffRecorded])
    #expect(october.byLead.first?.lines.first { $0.measure.measure.number == 3 }?.changes.isEmpty == true)
  }
}
