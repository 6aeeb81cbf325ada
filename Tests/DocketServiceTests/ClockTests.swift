import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Deadline clocks of an item")
struct ClockTests {
  @Test("a real-name accusation runs the forward, notice and disposal clocks from receipt")
  func fromReceipt() throws {
    let scene = try Scene.make("clocks", now: beijing("2021-12-01 12:00"))
    let item = try scene.register()  // received Tuesday 2021-09-28 09:00
    var c = try scene.clocks(item.ref, asOf: "2021-09-28 12:00")
    #expect(Set(c.keys) == [.forward, .acceptanceNotice, .disposalProposal])
    #expect(c[.forward]?.due == CivilDate("2021-10-11"))
    #expect(c[.forward]?.warning == .blue)  // 5 working days left
    #expect(c[.acceptanceNotice]?.due == CivilDate("2021-10-25"))
    #expect(c[.acceptanceNotice]?.warning == Warning.none)
    #expect(c[.disposalProposal]?.due == CivilDate("2021-10-28"))

    // Accepting stops the forward clock; the notice clock runs until the reporter is told.
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-29 10:00")))
    c = try scene.clocks(item.ref, asOf: "2021-10-21 12:00")
    #expect(c[.forward]?.stoppedAt == beijing("2021-09-29 10:00"))
    #expect(c[.forward]?.warning == Warning.none)
    #expect(c[.acceptanceNotice]?.warning == .amber)  // 2 working days left: 22nd and 25th
    c = try scene.clocks(item.ref, asOf: "2021-10-26 09:00")
    #expect(c[.acceptanceNotice]?.warning == .red)
    _ = try scene.d.recordNotice(item.ref, actor: "reg", .init(at: beijing("2021-10-26 10:00")))
    c = try scene.clocks(item.ref, asOf: "2021-10-26 11:00")
    #expect(c[.acceptanceNotice]?.stoppedAt == beijing("2021-10-26 10:00"))
    #expect(c[.acceptanceNotice]?.warning == Warning.none)
  }

  @Test("warning thresholds are the office's to set, amber never before blue")
  func thresholds() throws {
    let scene = try Scene.make("clockwarn", now: beijing("2021-12-01 12:00"))
    let item = try scene.register()
    try scene.d.setSetting("warning_blue_working_days", "10", actor: "admin")
    let c = try scene.clocks(item.ref, asOf: "2021-10-11 09:00")  // 10 working days before 10-25
    #expect(c[.acceptanceNotice]?.warning == .blue)
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.setSetting("warning_amber_working_days", "12", actor: "admin")
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.setSetting("warning_amber_working_days", "1", actor: "boss")
    }
    #expect(try scene.d.settings(actor: "aud")["warning_amber_working_days"] == "2")
  }

  @Test("the ledger lists items by their worst running warning, and the overdue ones")
  func listByWarning() throws {
    let scene = try Scene.make("clocklist", now: beijing("2021-12-01 12:00"))
    let fresh = try scene.register(Office.call(subject: "甲", at: beijing("2021-10-20 09:00")))
    let older = try scene.register(Office.call(subject: "乙", at: beijing("2021-09-28 09:00")))
    var anonymous = Office.call(subject: "丙", at: beijing("2021-10-08 09:00"), name: nil, phone: nil)
    anonymous.accused = []
    let quiet = try scene.register(anonymous)
    _ = try scene.d.accept(quiet.ref, actor: "reg", .init(at: beijing("2021-10-08 10:00")))
    func refs(_ warnings: [Warning], overdue: Bool = false, limit: Int? = nil) throws -> [String] {
      var query = LedgerQuery()
      query.warnings = warnings
      query.overdue = overdue
      query.limit = limit
      query.asOf = beijing("2021-10-22 12:00")
      return try scene.d.list(query, actor: "aud").map(\.ref)
    }
    // As of 10-22: 乙's forward clock (due 10-11) is overdue; 甲's forward clock is due 10-27 (3 working
    // days: blue); 丙 was accepted, and as an anonymous accusation only its disposal clock runs (due 11-08).
    #expect(try refs([.red]) == [older.ref])
    #expect(try refs([], overdue: true) == [older.ref])
    #expect(try refs([.blue]) == [fresh.ref])
    #expect(try refs([.none]) == [quiet.ref])
    #expect(try refs([.blue, .red], limit: 1) == [older.ref])
  }

  @Test("the overdue board lists warned open items by unit, worst first, with working days overdue")
  func board() throws {
    let scene = try Scene.make("board", now: beijing("2021-12-01 12:00"))
    let assigned = try scene.handling(.clue, subject: "线索甲")  // received 09-28, with 第一纪检监察室 from 09-29
    let waiting = try scene.register(Office.call(subject: "乙", at: beijing("2021-10-20 09:00")))
    let closed = try scene.handling(.clue, subject: "线索丙")
    _ = try scene.d.dispose(
      closed.ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.conclude(
      closed.ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    _ = try scene.d.close(closed.ref, actor: "cm", .init(at: beijing("2021-10-11 10:00")))
    _ = try scene.d.recordFeedback(closed.ref, actor: "reg", .init(at: beijing("2021-10-12 10:00")))
    let lines = try scene.d.overdueBoard(asOf: beijing("2021-11-03 12:00"), actor: "aud")
    #expect(lines.map(\.item.ref) == [waiting.ref, assigned.ref])
    // 乙 was never screened: its forward clock was due 10-27, five working days before 11-03.
    #expect(lines[0].item.unitName == nil)
    #expect(lines[0].clock.clock == .forward)
    #expect(lines[0].clock.due == CivilDate("2021-10-27"))
    #expect(lines[0].workingDaysOverdue == 5)
    // 甲's real-name reporter was never told it was accepted (due 10-25): worse than its disposal
    // proposal (due 10-28), both red.
    #expect(lines[1].item.unitName == "第一纪检监察室")
    #expect(lines[1].clock.clock == .acceptanceNotice)
    #expect(lines[1].clock.due == CivilDate("2021-10-25"))
    #expect(lines[1].clock.warning == .red)
    #expect(lines[1].workingDaysOverdue == 7)
  }

  @Test("supervision letters: one per unit, numbered per kind and year, journaled on each item")
  func letters() throws {
    let scene = try Scene.make("letters", now: beijing("2021-12-01 12:00"))
    let assigned = try scene.handling(.clue, subject: "线索甲")
    _ = try scene.register(Office.call(subject: "乙", at: beijing("2021-10-20 09:00")))  // no unit: no letter
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.issueLetters(asOf: beijing("2021-11-03 12:00"), actor: "h1")
    }
    // 甲 is 7 working days overdue: a chaser (催办函); the office's limit for formal supervision is 10.
    let first = try scene.d.issueLetters(asOf: beijing("2021-11-03 12:00"), actor: "cm")
    #expect(first.map(\.title) == ["催办函〔2021〕第1号"])
    #expect(first.first?.unit == "第一纪检监察室")
    #expect(first.first?.lines.map(\.item.ref) == [assigned.ref])
    let second = try scene.d.issueLetters(asOf: beijing("2021-11-04 12:00"), actor: "cm")
    #expect(second.map(\.title) == ["催办函〔2021〕第2号"])
    try scene.d.setSetting("supervision_after_working_days", "5", actor: "admin")
    let third = try scene.d.issueLetters(asOf: beijing("2021-11-05 12:00"), actor: "boss")
    #expect(third.map(\.title) == ["督办函〔2021〕第1号"])
    let events = try scene.reload(assigned.ref).events.filter { $0.event == "supervision_letter" }
    #expect(events.count == 3)
    #expect(
      events.last?.payload
        == #"{"entered_by":"admin","kind":"supervision","letter":"督办函〔2021〕第1号","unit":"第一纪检监察室"}"#)
  }

  @Test("time on hold does not count")
  func hold() throws {
    let scene = try Scene.make("clockhold", now: beijing("2021-12-01 12:00"))
    let item = try scene.handling(.clue)  // received 09-28, handling from 09-30
    _ = try scene.d.hold(item.ref, until: "2021-10-20", actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.resume(item.ref, actor: "h1", .init(at: beijing("2021-10-15 10:00")))
    let c = try scene.clocks(item.ref, asOf: "2021-10-16 12:00")
    // One month from 09-28 is 10-28; seven days on hold move it to Thursday 11-04.
    #expect(c[.disposalProposal]?.due == CivilDate("2021-11-04"))
  }

  @Test("a petition runs 60 days from acceptance, extended once by a leader")
  func petition() throws {
    let scene = try Scene.make("clockpet", now: beijing("2021-12-01 12:00"))
    var request = Office.call(subject: "反映拖欠工资", kind: .petition, at: beijing("2021-07-30 09:00"))
    request.accused = []
    let item = try scene.register(request)
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-08-02 10:00")))
    var c = try scene.clocks(item.ref, asOf: "2021-08-03 12:00")
    // 60 days from 08-02 is 10-01, National Day: it ends on Friday 10-08.
    #expect(c[.petitionHandling]?.due == CivilDate("2021-10-08"))
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.extendPetition(
        item.ref, days: 45, reason: "情况复杂", actor: "boss", .init(at: beijing("2021-09-01 10:00")))
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.extendPetition(
        item.ref, days: 30, reason: "情况复杂", actor: "reg", .init(at: beijing("2021-09-01 10:00")))
    }
    _ = try scene.d.extendPetition(
      item.ref, days: 30, reason: "情况复杂", actor: "boss", .init(at: beijing("2021-09-01 10:00")))
    c = try scene.clocks(item.ref, asOf: "2021-09-02 12:00")
    #expect(c[.petitionHandling]?.due == CivilDate("2021-11-01"))
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.extendPetition(
        item.ref, days: 10, reason: "再延", actor: "boss", .init(at: beijing("2021-09-03 10:00")))
    }
  }

  @Test("result feedback runs from closure until the reporter is told")
  func feedback() throws {
    let scene = try Scene.make("clockfb", now: beijing("2021-12-31 12:00"))
    let item = try scene.handling()
    _ = try scene.d.dispose(
      item.ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.conclude(
      item.ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-10-20 10:00")))
    _ = try scene.d.close(item.ref, actor: "cm", .init(at: beijing("2021-10-21 10:00")))
    var c = try scene.clocks(item.ref, asOf: "2021-10-22 12:00")
    #expect(c[.resultFeedback]?.due == CivilDate("2021-11-11"))
    #expect(c[.resultFeedback]?.stoppedAt == nil)
    _ = try scene.d.recordFeedback(item.ref, actor: "reg", .init(at: beijing("2021-11-01 10:00")))
    c = try scene.clocks(item.ref, asOf: "2021-11-02 12:00")
    #expect(c[.resultFeedback]?.stoppedAt == beijing("2021-11-01 10:00"))
  }

  @Test("a deadline in a year the calendar lacks gets a provisional date")
  func missingYear() throws {
    let scene = try Scene.make("clockyear", now: beijing("2026-12-21 12:00"))
    let item = try scene.register(Office.call(at: beijing("2026-12-21 09:00")))
    let c = try scene.clocks(item.ref, asOf: "2026-12-21 12:00")
    // 15 working days: 8 left in 2026, New Year's Day off, 4–8 and 11–12 January 2027.
    #expect(c[.acceptanceNotice]?.due == CivilDate("2027-01-12"))
    #expect(c[.acceptanceNotice]?.provisional == true)
    #expect(c[.forward]?.due == CivilDate("2026-12-28"))
    #expect(c[.forward]?.provisional == false)
  }
}
