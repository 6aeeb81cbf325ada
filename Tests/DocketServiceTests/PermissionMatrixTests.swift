import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// Every role against every command of the README's matrix (``CommandMatrix``), each person on a
/// database role of their own: what the matrix allows succeeds, what it does not is refused as
/// forbidden. The items are in the handler's unit, so a handler's ✓¹ holds too.
@Suite("The permission matrix: every role against every command")
struct PermissionMatrixTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("matrix", now: beijing("2021-10-08 12:00"))
  }

  /// An item of `kind` brought to `stage` by the small office's staff, in 第一纪检监察室 once assigned.
  func item(_ stage: Stage, kind: Kind = .accusation) throws -> Item {
    let item = try scene.register(Office.call(kind: kind, at: beijing("2021-09-28 09:00")))
    if stage == .registered { return item }
    _ = try d.accept(item.ref, actor: "reg")
    if stage == .accepted { return item }
    _ = try d.assign(item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss")
    if stage == .assigned { return item }
    _ = try d.start(item.ref, actor: "h1")
    if stage == .handling { return item }
    if stage == .onHold { return try d.hold(item.ref, until: "2021-12-01", actor: "h1") }
    _ = try d.dispose(item.ref, disposal: .talkInquiry, actor: stage == .proposed ? "h1" : "boss")
    if stage == .proposed || stage == .approved { return item }
    _ = try d.conclude(item.ref, finding: .unsubstantiated, actor: "h1")
    if stage == .concluded { return item }
    return try d.close(item.ref, actor: "cm")
  }

  enum Stage { case registered, accepted, assigned, handling, onHold, proposed, approved, concluded, closed }

  /// One attempt at each command of the matrix by `me`, with what it needs set up beforehand.
  func attempts(_ me: Docket, _ role: Role) throws -> [String: () throws -> Void] {
    let registered = try (0..<5).map { _ in try item(.registered) }
    let accepted = try (0..<2).map { _ in try item(.accepted) }
    let assigned = try item(.assigned)
    let handling = try (0..<3).map { _ in try item(.handling) }
    let onHold = try item(.onHold)
    let proposed = try item(.proposed)
    let approved = try (0..<2).map { _ in try item(.approved) }
    let concluded = try item(.concluded)
    let closed = try item(.closed)
    let petition = try item(.handling, kind: .petition)
    // A code for an item in the handler's unit, so that a handler's lookup can find it too.
    let public_ = try d.intakeWithReceipt(
      Office.call(kind: .suggestion, at: beijing("2021-09-28 09:00")), actor: "reg")
    _ = try d.accept(public_.item.ref, actor: "reg")
    _ = try d.assign(public_.item.ref, unit: "第一纪检监察室", actor: "boss")
    let code = try #require(public_.receiptCode).grouped
    var withScan = Office.call(subject: "反映某所长收受购物卡", at: beijing("2021-09-28 09:00"))
    withScan.attachments = [IntakeAttachment(filename: "扫描件.pdf", bytes: Array("%PDF-1.4 扫描件".utf8))]
    let attached = try d.intake(withScan, actor: "reg")
    _ = try d.accept(attached.ref, actor: "reg")
    _ = try d.assign(attached.ref, unit: "第一纪检监察室", actor: "boss")
    let toRedact = try d.intake(Office.call(subject: "证人赵某知情", at: beijing("2021-09-28 09:00")), actor: "reg")
    let month = MonthlyReportRequest(month: ReportMonth(year: 2021, month: 10)!)
    var handover = HandoverRequest(
      fileName: "移交清单-\(role.rawValue).csv",
      bytes: handoverCSV([["1", "2021-09-20", "", "", "信访", role.rawValue, "反映某派出所乱收费"]]),
      handedOverBy: "省委第一巡视组")
    handover.handoverDate = CivilDate("2021-09-25")
    // Two measures of 第一纪检监察室, led by the leader under test (a sign-off is approved by the
    // measure's own lead leader); the second completed and its sign-off recorded, due and lagging.
    let lead = role == .leader ? "m.leader" : "boss"
    let round = try d.addRound(
      name: "矩阵整改", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: "2021-08-31", actor: "boss"
    ).id
    var plan = PlanRequest(
      fileName: "清单.csv",
      bytes: Array(
        """
        序号,方面,问题,整改措施,牵头领导,责任单位,完成时限,目标
        1,一、方面,问题,核查移交问题线索,\(lead),第一纪检监察室,2021-09-30,
        2,,,建立问题线索台账,\(lead),第一纪检监察室,2021-09-30,
        """.utf8), round: round)
    plan.at = beijing("2021-07-01 09:00")
    _ = try d.importPlan(plan, actor: "cm")
    _ = try d.recordProgress("\(round)-2", note: "台账已建立", actor: "h1")
    _ = try d.completeMeasure("\(round)-2", note: "台账已建立", actor: "h1")
    _ = try d.signOffMeasure("\(round)-2", actor: "cm")
    return [
      "demo": {
        // Loading the demo is thousands of use cases; DemoTests runs it as an administrator.
        if role == .admin { return }
        _ = try me.loadDemo(custodianPassphrase: TestDocket.passphrase)
      },
      "intake phone / letter / visit / online / email": {
        _ = try me.intake(Office.call(at: beijing("2021-10-08 09:00")), actor: nil)
      },
      "intake quarantine list / retry / drop": { _ = try me.quarantined(actor: nil) },
      "import handover": { _ = try me.importHandover(handover, actor: nil) },
      "export items": { _ = try me.list(LedgerQuery(), actor: nil) },
      "export items --with-identity": {
        _ = try me.revealForExport([handling[0]], reason: "移送", actor: nil)
      },
      "list · show": { _ = try me.show(handling[0].ref, actor: nil) },
      "search": { _ = try me.search(SearchRequest("红包"), actor: nil) },
      "accept": { _ = try me.accept(registered[0].ref, actor: nil) },
      "not-accept": { _ = try me.notAccept(registered[1].ref, reason: "不属于受理范围", actor: nil) },
      "duplicate": { _ = try me.markDuplicate(registered[2].ref, of: registered[3].ref, actor: nil) },
      "forward": { _ = try me.forward(registered[4].ref, to: "市信访局", actor: nil) },
      "assign": { _ = try me.assign(accepted[0].ref, unit: "第一纪检监察室", actor: nil) },
      "assign --override-reason": {
        _ = try me.assign(accepted[1].ref, unit: "市公安局", overrideReason: "回避后无其他承办单位", actor: nil)
      },
      "start": { _ = try me.start(assigned.ref, actor: nil) },
      "dispose": { _ = try me.dispose(handling[1].ref, disposal: .talkInquiry, actor: nil) },
      "dispose --approve": { _ = try me.dispose(proposed.ref, disposal: nil, approve: true, actor: nil) },
      "hold": { _ = try me.hold(handling[2].ref, until: "2021-12-01", actor: nil) },
      "resume": { _ = try me.resume(onHold.ref, actor: nil) },
      "conclude": { _ = try me.conclude(approved[0].ref, finding: .unsubstantiated, actor: nil) },
      "conclude --false-accusation": {
        _ = try me.conclude(approved[1].ref, finding: .unsubstantiated, falseAccusation: true, actor: nil)
      },
      "close": { _ = try me.close(concluded.ref, actor: nil) },
      "reopen": { _ = try me.reopen(closed.ref, reason: "复查发现新情况", actor: nil) },
      "notify · feedback": { _ = try me.recordNotice(accepted[0].ref, actor: nil) },
      "receipt reissue / note": { try me.setPublicNote(public_.item.ref, note: "已转有关部门办理", actor: nil) },
      "status --receipt": { _ = try me.receiptStatus(code, actor: nil) },
      "extend": { _ = try me.extendPetition(petition.ref, days: 10, reason: "情况复杂", actor: nil) },
      "overdue": { _ = try me.overdueBoard(actor: nil) },
      "overdue --letters": { _ = try me.issueLetters(actor: nil) },
      "report monthly / weekly": { _ = try me.monthlyReport(month, actor: nil) },
      "reveal": { _ = try me.reveal(handling[0].ref, reason: "约谈前核实", actor: nil) },
      "key rotate / custodian add / remove / passphrase · policy set reveal_quorum": {
        _ = try me.rotateOfficeKey(unlockedBy: try me.testCustodians(nil), actor: nil)
      },
      "key status": { _ = try me.keyStatus(actor: nil) },
      "attachment list · get (released)": { _ = try me.attachments(attached.ref, actor: nil) },
      "attachment release · get --reason (unreleased)": {
        _ = try me.releaseAttachment(
          attached.ref, number: 1, reason: "交承办部门核查", custodians: try me.testCustodians(nil), actor: nil)
      },
      "redact": { _ = try me.redact(toRedact.ref, value: "赵某", reason: "证人姓名", actor: nil) },
      "rectify round add · import · link · milestone · sign-off · reopen": {
        _ = try me.addRound(
          name: "整改\(role.rawValue)", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: nil, actor: nil)
      },
      "rectify list · show · evidence · board · dispatch · report": {
        _ = try me.measureDetail("\(round)-1", actor: nil)
      },
      "rectify progress · complete": { _ = try me.recordProgress("\(round)-1", note: "已核查3件", actor: nil) },
      "rectify claim · sign-off --approve": {
        _ = try me.signOffMeasure("\(round)-2", approve: true, actor: nil)
      },
      "rectify letters": { _ = try me.issueRectificationLetters(actor: nil) },
      "audit verify / log": { _ = try me.verifyJournal(actor: nil) },
      "staff list · unit list · config show · calendar show · policy show": { _ = try me.staff(actor: nil) },
      "staff add / map / disable · unit add": { _ = try me.addUnit("市\(role.rawValue)局", actor: nil) },
      "config set · calendar import · policy set": {
        try me.setSetting("closure_rate_target_percent", "90", actor: nil)
      },
    ]
  }

  @Test("each role may run exactly the commands the matrix gives it", arguments: CommandMatrix.roles)
  func matrix(_ role: Role) throws {
    let login = "m.\(role.rawValue)"
    let conninfo = try scene.test.staffOnOwnRole(
      login, name: "矩阵\(role.chinese)", roles: [role], unit: role == .handler ? "第一纪检监察室" : nil)
    // A leader reveals as a custodian of the office key, which leaders are made.
    if role == .leader { try scene.test.makeCustodian(login) }
    let me = try scene.test.open(as: conninfo)
    let attempts = try attempts(me, role)
    let rules = CommandMatrix.rules.filter { $0.requirement != .databaseOwner }
    #expect(Set(attempts.keys) == Set(rules.map(\.command)), "every command of the matrix is tried")
    for rule in rules {
      guard let attempt = attempts[rule.command] else { continue }
      let allowed = rule.requirement.allows([role])
      do {
        try attempt()
        #expect(allowed, "\(role.rawValue) ran '\(rule.command)', which the matrix refuses")
      } catch DocketError.forbidden(let actor, let action) {
        #expect(!allowed, "\(role.rawValue) was refused '\(rule.command)': \(actor) may not \(action)")
      } catch {
        Issue.record("\(role.rawValue) '\(rule.command)' failed for another reason: \(error)")
      }
    }
  }
}
