import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Lifecycle moves through the service layer")
struct LifecycleServiceTests {
  @Test("an accusation goes from registration to closure, each move journaled")
  func fullPath() throws {
    let test = try TestDocket.make("full")
    let d = test.docket
    try Office.staff(d)
    let item = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    #expect(item.ref == "2021-JB-00001")
    #expect(item.state == .registered)
    #expect(item.reporterKind == .realName)
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    _ = try d.start(item.ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
    _ = try d.dispose(item.ref, disposal: .preliminaryVerification, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    _ = try d.dispose(item.ref, disposal: nil, approve: true, actor: "boss", .init(at: beijing("2021-10-09 10:00")))
    _ = try d.conclude(item.ref, finding: .partlySubstantiated, actor: "h1", .init(at: beijing("2021-11-01 10:00")))
    let closed = try d.close(item.ref, actor: "cm", .init(at: beijing("2021-11-30 23:30")))
    #expect(closed.state == .closed)
    #expect(closed.stateSince == beijing("2021-11-30 23:30"))
    #expect(closed.finding == .partlySubstantiated)
    let history = try d.show(item.ref, actor: "aud")
    #expect(history.events.map(\.event) == [
      "registered", "accept", "assign", "start", "dispose", "dispose", "conclude", "close",
    ])
    #expect(history.events.map(\.actor) == ["reg", "reg", "boss", "h1", "h1", "boss", "h1", "cm"])
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }
}
