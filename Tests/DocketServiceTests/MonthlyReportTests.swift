import DocketCore
import DocketService
import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// The monthly report's definitions (DESIGN.md), one scenario with every figure written out.
@Suite("The monthly closure-rate report")
struct MonthlyReportTests {
  /// Closes a clue or accusation being handled: disposal approved two hours before `at`,
  /// concluded one hour before, closed at `at`.
  func close(_ scene: Scene, _ ref: String, at: String, disposedAt: String? = nil) throws {
    let time = beijing(at)
    _ = try scene.d.dispose(
      ref, disposal: .closeOff, approve: true, actor: "boss",
      .init(at: disposedAt.map(beijing) ?? time.addingTimeInterval(-7200)))
    _ = try scene.d.conclude(
      ref, finding: .unsubstantiated, actor: "h1", .init(at: time.addingTimeInterval(-3600)))
    _ = try scene.d.close(ref, actor: "cm", .init(at: time))
  }

  /// Registers and moves an item to handling in 第一纪检监察室 on the day after receipt.
  func handled(_ scene: Scene, _ subject: String, _ kind: Kind = .clue, received: String) throws -> Item {
    let at = beijing(received)
    let item = try scene.register(Office.call(subject: subject, kind: kind, at: at))
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: at.addingTimeInterval(3600)))
    _ = try scene.d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: at.addingTimeInterval(86_400)))
    return try scene.d.start(item.ref, actor: "h1", .init(at: at.addingTimeInterval(86_400 + 3600)))
  }

  /// A: not accepted in November. B: closed at 23:30 on 30 November, Beijing time. C: received at
  /// 23:50 on 30 November. D: received ten minutes into December. E: closed in October, reopened in
  /// November. F: closed in November, reopened in December. G: a duplicate of A. H: forwarded in
  /// November. I: received and closed in November 2020.
  func scenario() throws -> Scene {
    let scene = try Scene.make("monthly", now: beijing("2021-12-15 12:00"))
    let a = try scene.register(Office.call(subject: "甲", kind: .accusation, at: beijing("2021-11-03 09:00")))
    _ = try scene.d.notAccept(a.ref, reason: "不属于受理范围", actor: "reg", .init(at: beijing("2021-11-05 10:00")))
    let b = try handled(scene, "乙", received: "2021-10-20 09:00")
    try close(scene, b.ref, at: "2021-11-30 23:30", disposedAt: "2021-11-30 21:00")
    _ = try scene.register(Office.call(subject: "丙", kind: .accusation, at: beijing("2021-11-30 23:50")))
    _ = try scene.register(Office.call(subject: "丁", kind: .accusation, at: beijing("2021-12-01 00:10")))
    let e = try handled(scene, "戊", received: "2021-09-01 09:00")
    try close(scene, e.ref, at: "2021-10-15 10:00")
    _ = try scene.d.reopen(e.ref, reason: "新证据", actor: "boss", .init(at: beijing("2021-11-10 10:00")))
    let f = try handled(scene, "己", received: "2021-10-05 09:00")
    try close(scene, f.ref, at: "2021-11-12 10:00")
    _ = try scene.d.reopen(f.ref, reason: "异议", actor: "boss", .init(at: beijing("2021-12-03 10:00")))
    let g = try scene.register(Office.call(subject: "甲", kind: .accusation, at: beijing("2021-11-08 09:00")))
    _ = try scene.d.markDuplicate(g.ref, of: a.ref, actor: "reg", .init(at: beijing("2021-11-09 10:00")))
    let h = try scene.register(Office.call(subject: "辛", kind: .accusation, at: beijing("2021-11-02 09:00")))
    _ = try scene.d.accept(h.ref, actor: "reg", .init(at: beijing("2021-11-02 10:00")))
    _ = try scene.d.forward(h.ref, to: "市人民检察院", actor: "reg", .init(at: beijing("2021-11-20 10:00")))
    let i = try handled(scene, "壬", received: "2020-11-10 09:00")
    try close(scene, i.ref, at: "2020-11-20 10:00")
    return scene
  }

  @Test("every figure of November 2021, as the definitions put each item")
  func november() throws {
    let scene = try scenario()
    let report = try scene.d.monthlyReport(.init(month: ReportMonth("2021-11")!), actor: "aud")
    let t = report.totals
    // A, C and H; G is a duplicate, B, E and F came earlier, D in December.
    #expect(t.received == 3)
    #expect(t.duplicates == 1)
    // A (not accepted), B (23:30 Beijing is still November), F (reopened only in December), H
    // (forwarded); E was reopened in November.
    #expect(t.closed == 4)
    // Received in 2021 to the end of November, duplicates excluded: A, B, C, E, F, H.
    #expect(t.cohortReceived == 6)
    #expect(t.cohortClosed == 4)
    #expect(t.closureRate.map { ($0 * 10_000).rounded() } == 6667)
    // C and E are open; E's real-name reporter was never told of acceptance (due in September).
    #expect(t.openAtEnd == 2)
    #expect(t.overdueAtEnd == 1)
    // Disposal proposals due: A 12-03 (met), B 11-22 (approved 11-30: late), F 11-05 (approved
    // 11-12: late), H 12-02 (forwarded 11-20: met).
    #expect(t.closedWithDeadline == 4)
    #expect(t.onTimeRate == 0.5)
    // Days to close: A 2.04, H 18.04, F 38.04, B 41.6; the median of the middle two is 28.04.
    #expect(t.medianDaysToClose == 28.0)
    // November 2020: I alone, received and closed.
    #expect(report.yoy.received == 2.0)
    #expect(report.yoy.closed == 3.0)
    #expect(report.yoy.closureRatePP.map { ($0 * 10).rounded() } == -333)
    #expect(report.history.count == 12)
    #expect(report.history.last?.month == ReportMonth("2021-11"))
  }

  @Test("a past month reads as of its end: October, and the months the reopened items went back")
  func asOfTheEnd() throws {
    let scene = try scenario()
    let october = try scene.d.monthlyReport(.init(month: ReportMonth("2021-10")!), actor: "aud").totals
    // E closed in October and was still closed at its end; B and F were received.
    #expect(october.closed == 1)
    #expect(october.received == 2)
    #expect(october.cohortReceived == 3)
    #expect(october.cohortClosed == 1)
    #expect(october.openAtEnd == 2)
    let december = try scene.d.monthlyReport(.init(month: ReportMonth("2021-12")!), actor: "aud").totals
    // F reopened, D received; nothing closed in December.
    #expect(december.closed == 0)
    #expect(december.received == 1)
    #expect(december.cohortClosed == 3)
    #expect(december.openAtEnd == 4)
  }

  @Test("the month's boundaries follow the time zone asked for")
  func timeZone() throws {
    let scene = try scenario()
    var request = MonthlyReportRequest(month: ReportMonth("2021-11")!)
    request.timeZone = "UTC"
    let utc = try scene.d.monthlyReport(request, actor: "aud").totals
    // In UTC, B closed at 15:30 on 30 November and C arrived at 15:50; D, ten minutes into
    // December in Beijing, is 16:10 on 30 November in UTC.
    #expect(utc.received == 4)
    #expect(utc.closed == 4)
    request.timeZone = "Mars/Olympus"
    expectRefusal(.invalid) { () throws(DocketError) in try scene.d.monthlyReport(request, actor: "aud") }
  }

  @Test("breakdowns add up to the totals, and the scope filters before counting")
  func breakdown() throws {
    let scene = try scenario()
    var request = MonthlyReportRequest(month: ReportMonth("2021-11")!)
    request.dimensions = [.unit, .kind]
    let report = try scene.d.monthlyReport(request, actor: "aud")
    #expect(report.groups.map(\.figures.received).reduce(0, +) == report.totals.received)
    #expect(report.groups.map(\.figures.cohortClosed).reduce(0, +) == report.totals.cohortClosed)
    let unit = report.groups.first { $0.key == ["第一纪检监察室", "clue"] }?.figures
    // B, E and F: E open, B and F closed in November.
    #expect(unit?.cohortReceived == 3)
    #expect(unit?.closed == 2)
    request.dimensions = []
    request.kinds = [.accusation]
    let accusations = try scene.d.monthlyReport(request, actor: "aud").totals
    #expect(accusations.received == 3)
    #expect(accusations.closed == 2)
    #expect(accusations.duplicates == 1)
    request.units = ["不存在的单位"]
    expectRefusal(.notFound) { () throws(DocketError) in try scene.d.monthlyReport(request, actor: "aud") }
  }

  @Test("an empty cohort has no rate, and a year without last year's data has no change")
  func empty() throws {
    let scene = try Scene.make("monthlyempty", now: beijing("2021-12-15 12:00"))
    var request = MonthlyReportRequest(month: ReportMonth("2021-11")!)
    request.cohort = .since(CivilDate("2021-11-01")!)
    let report = try scene.d.monthlyReport(request, actor: "aud")
    #expect(report.totals.cohortReceived == 0)
    #expect(report.totals.closureRate == nil)
    #expect(report.totals.onTimeRate == nil)
    #expect(report.totals.medianDaysToClose == nil)
    #expect(report.yoy.received == nil)
    #expect(report.yoy.closureRatePP == nil)
  }

  @Test("closed and reopened within the month is not closed; closed twice counts once")
  func reopenWithinMonth() throws {
    let scene = try Scene.make("monthlyreopen", now: beijing("2021-12-15 12:00"))
    let once = try handled(scene, "甲", received: "2021-10-11 09:00")
    try close(scene, once.ref, at: "2021-11-15 10:00")
    _ = try scene.d.reopen(once.ref, reason: "异议", actor: "boss", .init(at: beijing("2021-11-20 10:00")))
    let twice = try handled(scene, "乙", received: "2021-10-11 09:00")
    try close(scene, twice.ref, at: "2021-11-10 10:00")
    _ = try scene.d.reopen(twice.ref, reason: "异议", actor: "boss", .init(at: beijing("2021-11-12 10:00")))
    try close(scene, twice.ref, at: "2021-11-25 10:00")
    let t = try scene.d.monthlyReport(.init(month: ReportMonth("2021-11")!), actor: "aud").totals
    #expect(t.closed == 1)
    #expect(t.cohortClosed == 1)
    #expect(t.openAtEnd == 1)
    // From receipt to the latest closing: 10-11 09:00 to 11-25 10:00.
    #expect(t.medianDaysToClose == 45.0)
  }

  @Test("the rollup gives what counting item by item gives, for every month, breakdown and scope")
  func rollupAgrees() throws {
    let scene = try scenario()
    func check(_ request: MonthlyReportRequest) throws {
      var exact = request
      exact.fromPeriods = true
      let fast = try scene.d.monthlyReport(request, actor: "aud")
      let slow = try scene.d.monthlyReport(exact, actor: "aud")
      let label = "\(request.month) by \(request.dimensions) cohort \(request.cohort)"
      #expect(fast.totals == slow.totals, "\(label)")
      #expect(fast.yoy == slow.yoy, "\(label)")
      #expect(fast.history.map(\.figures) == slow.history.map(\.figures), "\(label)")
      #expect(fast.groups.map(\.key) == slow.groups.map(\.key), "\(label)")
      #expect(fast.groups.map(\.figures) == slow.groups.map(\.figures), "\(label)")
      #expect(fast.groups.map(\.yoy) == slow.groups.map(\.yoy), "\(label)")
    }
    // Months reaching back two years read a year's-end standing for the rest.
    for month in ["2020-11", "2021-09", "2021-10", "2021-11", "2021-12", "2022-06", "2023-02"] {
      for dimensions: [ReportDimension] in [[], [.unit], [.kind, .channel], [.category]] {
        for cohort: Cohort in [
          .yearToDate, .all, .since(CivilDate("2021-10-01")!), .since(CivilDate("2020-11-15")!),
        ] {
          var request = MonthlyReportRequest(month: ReportMonth(month)!)
          request.dimensions = dimensions
          request.cohort = cohort
          try check(request)
        }
      }
    }
    var scoped = MonthlyReportRequest(month: ReportMonth("2021-11")!)
    scoped.kinds = [.clue]
    scoped.units = ["第一纪检监察室"]
    try check(scoped)
    // After a backdated move, and after a change of policy that redoes every item's periods.
    let c = try scene.d.list(LedgerQuery(), actor: "aud").first { $0.subject == "丙" }!
    _ = try scene.d.forward(c.ref, to: "市监察委员会", actor: "reg", .init(at: beijing("2021-11-30 23:55")))
    try check(MonthlyReportRequest(month: ReportMonth("2021-11")!))
    _ = try scene.d.setDeadline(.disposalProposal, length: 2, actor: "admin")
    try check(MonthlyReportRequest(month: ReportMonth("2021-11")!))
    try scene.d.setSetting("office_timezone", "UTC", actor: "admin")
    try check(MonthlyReportRequest(month: ReportMonth("2021-11")!))
    // The units' table is the full rollup summed over the other dimensions, cell for cell.
    let db = try Connection(conninfo: scene.test.conninfo)
    let differing: Int = try db.first(
      """
      SELECT count(*) AS n FROM (
        (SELECT month, received_month, unit_id, status, closed_month, on_time, sum(n) FROM report_rollup
         GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
         EXCEPT SELECT month, received_month, unit_id, status, closed_month, on_time, n FROM report_rollup_by_unit
         WHERE n <> 0)
        UNION ALL
        (SELECT month, received_month, unit_id, status, closed_month, on_time, n FROM report_rollup_by_unit
         WHERE n <> 0
         EXCEPT SELECT month, received_month, unit_id, status, closed_month, on_time, sum(n) FROM report_rollup
         GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0)) d
      """)!.decode("n")
    #expect(differing == 0)
  }

  @Test("a move entered late but dated in the month counts in the month")
  func backdated() throws {
    let scene = try scenario()
    let before = try scene.d.monthlyReport(.init(month: ReportMonth("2021-11")!), actor: "aud").totals
    // C, received on the last evening of November, is found in December to have been forwarded
    // on 30 November.
    let c = try scene.d.list(LedgerQuery(), actor: "aud").first { $0.subject == "丙" }!
    _ = try scene.d.forward(c.ref, to: "市监察委员会", actor: "reg", .init(at: beijing("2021-11-30 23:55")))
    let after = try scene.d.monthlyReport(.init(month: ReportMonth("2021-11")!), actor: "aud").totals
    #expect(after.closed == before.closed + 1)
    #expect(after.cohortClosed == before.cohortClosed + 1)
    #expect(after.openAtEnd == before.openAtEnd - 1)
  }
}
