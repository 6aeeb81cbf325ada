import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

/// 2027's schedule as the State Council might publish it, with one 调休: the Spring Festival runs from
/// 除夕 to Thursday 11 February, and Saturday 20 February is worked in its place.
let schedule2027 = """
  date,kind,name
  2027-01-01,holiday,元旦
  2027-01-02,holiday,元旦
  2027-01-03,holiday,元旦
  2027-02-05,holiday,春节
  2027-02-06,holiday,春节
  2027-02-07,holiday,春节
  2027-02-08,holiday,春节
  2027-02-09,holiday,春节
  2027-02-10,holiday,春节
  2027-02-11,holiday,春节
  2027-02-20,workday,春节调休上班
  """

@Suite("Deadlines past the last published holiday schedule")
struct ProvisionalDeadlineTests {
  /// A real-name petition received and accepted on 2026-12-03.
  func petition(_ scene: Scene) throws -> Item {
    let item = try scene.register(
      Office.call(subject: "反映拖欠工程款", kind: .petition, at: beijing("2026-12-03 09:00"), accused: nil))
    return try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2026-12-03 10:00")))
  }

  @Test("a petition accepted on 2026-12-03 is due 60 days later, on 2027-02-01, provisionally")
  func petitionDue() throws {
    let scene = try Scene.make("prov60", now: beijing("2026-12-03 12:00"))
    let item = try petition(scene)
    var c = try scene.clocks(item.ref, asOf: "2026-12-03 12:00")
    #expect(c[.petitionHandling]?.due == CivilDate("2027-02-01"))
    #expect(c[.petitionHandling]?.provisional == true)
    #expect(c[.petitionHandling]?.warning == Warning.none)
    // Its 受理告知 ends in 2026, on the published calendar.
    #expect(c[.acceptanceNotice]?.due == CivilDate("2026-12-24"))
    #expect(c[.acceptanceNotice]?.provisional == false)
    // Warnings run on the provisional date: three working days before it is blue, after it red.
    c = try scene.clocks(item.ref, asOf: "2027-01-27 12:00")
    #expect(c[.petitionHandling]?.warning == .blue)
    scene.d.now = { beijing("2027-03-01 09:00") }
    _ = try scene.d.recordNotice(item.ref, actor: "reg", .init(at: beijing("2026-12-04 10:00")))
    let board = try scene.d.overdueBoard(asOf: beijing("2027-02-03 12:00"), actor: "aud")
    let line = try #require(board.first { $0.item.ref == item.ref })
    #expect(line.clock.clock == .petitionHandling)
    #expect(line.clock.warning == .red)
    #expect(line.clock.provisional)
    #expect(line.workingDaysOverdue == 2)
    // And the monthly report counts it overdue at the end of February 2027.
    var request = MonthlyReportRequest(month: ReportMonth("2027-02")!)
    request.kinds = [.petition]
    let report = try scene.d.monthlyReport(request, actor: "aud")
    #expect(report.totals.overdueAtEnd == 1)
  }

  @Test("a 15-working-day clock across the 2027 Spring Festival skips the statutory holidays")
  func springFestival() throws {
    let scene = try Scene.make("provsf", now: beijing("2027-01-25 12:00"))
    let item = try scene.register(Office.call(at: beijing("2027-01-25 09:00")))
    let c = try scene.clocks(item.ref, asOf: "2027-01-25 12:00")
    // 除夕 (5 February) to 初三 and the two days in lieu for the weekend are off: 5–10 February.
    #expect(c[.acceptanceNotice]?.due == CivilDate("2027-02-19"))
    #expect(c[.acceptanceNotice]?.provisional == true)
    #expect(c[.forward]?.due == CivilDate("2027-02-01"))
  }

  @Test("importing the real 2027 schedule reworks the open items, after a dry run that writes nothing")
  func importReworks() throws {
    let scene = try Scene.make("provimp", now: beijing("2027-01-25 12:00"))
    let spring = try scene.register(Office.call(subject: "反映违规发放津贴", at: beijing("2027-01-25 09:00")))
    _ = try scene.d.accept(spring.ref, actor: "reg", .init(at: beijing("2027-01-25 10:00")))
    let before = try scene.clocks(spring.ref, asOf: "2027-02-20 12:00")
    #expect(before[.acceptanceNotice]?.warning == .red)  // due the day before

    let dry = try scene.d.importCalendar(csv: schedule2027, file: "2027.csv", dryRun: true, actor: "admin")
    #expect(dry.dryRun)
    #expect(dry.years == [2027])
    let moved = try #require(dry.moves.first { $0.ref == spring.ref && $0.clock == .acceptanceNotice })
    #expect(moved.before == CivilDate("2027-02-19"))
    #expect(moved.after == CivilDate("2027-02-20"))
    #expect(moved.days == 1)
    // Nothing was written: still provisional, and no journal event.
    #expect(try scene.clocks(spring.ref, asOf: "2027-01-25 12:00")[.acceptanceNotice]?.provisional == true)
    #expect(try scene.d.journalLog(ref: nil, actor: "admin").allSatisfy { $0.event != "calendar_imported" })

    let done = try scene.d.importCalendar(csv: schedule2027, file: "2027.csv", actor: "admin")
    #expect(!done.dryRun)
    #expect(done.moves.map(\.ref) == dry.moves.map(\.ref))
    #expect(done.moves.map(\.after) == dry.moves.map(\.after))
    #expect(done.itemsReworked == 1)
    let after = try scene.clocks(spring.ref, asOf: "2027-02-20 12:00")
    #expect(after[.acceptanceNotice]?.due == CivilDate("2027-02-20"))
    #expect(after[.acceptanceNotice]?.provisional == false)
    #expect(after[.acceptanceNotice]?.warning == .amber)
    // The stored clock facts were worked out again in the import's transaction: the board, which
    // reads them, agrees with the replayed journal.
    let board = try scene.d.overdueBoard(asOf: beijing("2027-02-20 12:00"), actor: "aud")
    #expect(board.first { $0.item.ref == spring.ref }?.clock.warning == .amber)
    let event = try #require(try scene.d.journalLog(ref: nil, actor: "admin").last)
    #expect(event.event == "calendar_imported")
    #expect(event.payload.contains("\"due_dates_moved\":\"\(done.moves.count)\""))
  }

  @Test("from 1 November the next year's missing schedule is announced; importing it ends that")
  func notices() throws {
    let scene = try Scene.make("provnote", now: beijing("2026-10-31 12:00"))
    #expect(try scene.d.calendarNotices().isEmpty)
    scene.d.now = { beijing("2026-11-01 09:00") }
    #expect(try scene.d.calendarNotices().map(\.year) == [2027])
    let notice = try scene.d.calendarNotices()[0].description
    #expect(notice.contains("2027"))
    #expect(notice.contains("docket calendar import"))
    // In 2027 itself, without its schedule, the year is still named (and 2028 from November).
    scene.d.now = { beijing("2027-01-04 09:00") }
    #expect(try scene.d.calendarNotices().map(\.year) == [2027])
    _ = try scene.d.importCalendar(csv: schedule2027, file: "2027.csv", actor: "admin")
    #expect(try scene.d.calendarNotices().isEmpty)
    scene.d.now = { beijing("2027-11-01 09:00") }
    #expect(try scene.d.calendarNotices().map(\.year) == [2028])
  }

  @Test("calendar show gives a provisional year's statutory holidays, marked provisional")
  func showProvisional() throws {
    let scene = try Scene.make("provshow")
    let year = try scene.d.calendarYear(2027, actor: "aud")
    #expect(year.provisional)
    #expect(year.days.first?.date == CivilDate("2027-01-01"))
    #expect(year.days.contains { $0.date == CivilDate("2027-02-09") && $0.name == "春节补假" })
    #expect(year.days.allSatisfy { $0.kind == .holiday })
    let published = try scene.d.calendarYear(2026, actor: "aud")
    #expect(!published.provisional)
    #expect(published.days.contains { $0.kind == .workday })
  }
}
