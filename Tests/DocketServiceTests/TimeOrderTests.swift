import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Moves are entered in time order, and effective and recorded times are kept apart")
struct TimeOrderTests {
  @Test("a move dated before the item's latest event is refused and changes nothing")
  func earlierThanLatest() throws {
    let scene = try Scene.make("timeorder")
    let item = try scene.register()
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 08:59")))
    }
    #expect(
      error?.description
        == "The effective time 2021-09-28 08:59 is earlier than 2021-JB-00001's latest event at 2021-09-28 09:00; changes are entered in order."
    )
    #expect(try scene.reload(item.ref).item == item)
    // The same moment as the latest event is in order.
    let accepted = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 09:00")))
    #expect(accepted.state == .accepted)
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.assign(item.ref, unit: "第一纪检监察室", actor: "boss", .init(at: beijing("2021-09-27 10:00")))
    }
  }

  @Test("a move dated in the future is bad input")
  func future() throws {
    let scene = try Scene.make("timefuture", now: beijing("2021-10-10 12:00"))
    let item = try scene.register()
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-10-10 13:00")))
    }
    #expect(error?.description == "The effective time 2021-10-10 13:00 is in the future.")
    #expect(error?.isBadInput == true)
    #expect(try scene.reload(item.ref).item.state == .registered)
    // Without --at the move happens now, by the docket's clock.
    let accepted = try scene.d.accept(item.ref, actor: "reg")
    #expect(accepted.stateSince == beijing("2021-10-10 12:00"))
  }

  @Test(
    "the state's start and the journal's effective time are the time given; the recorded time is the real one"
  )
  func effectiveAndRecorded() throws {
    let scene = try Scene.make("timerecorded", now: beijing("2021-12-01 09:00"))
    let item = try scene.handling()
    #expect(item.stateSince == beijing("2021-09-30 10:00"))
    #expect(item.lastEventAt == beijing("2021-09-30 10:00"))
    // A move that keeps the state keeps the time the state began.
    let disposed = try scene.d.dispose(
      item.ref, disposal: .talkInquiry, actor: "h1", .init(at: beijing("2021-10-08 10:30")))
    #expect(disposed.state == .handling)
    #expect(disposed.stateSince == beijing("2021-09-30 10:00"))
    #expect(disposed.lastEventAt == beijing("2021-10-08 10:30"))

    let events = try scene.reload(item.ref).events
    #expect(
      events.map(\.effectiveAt) == [
        beijing("2021-09-28 09:00"), beijing("2021-09-28 10:00"), beijing("2021-09-29 10:00"),
        beijing("2021-09-30 10:00"), beijing("2021-10-08 10:30"),
      ])
    let realNow = Date()
    for event in events {
      #expect(abs(event.recordedAt.timeIntervalSince(realNow)) < 300, "recorded at \(event.recordedAt)")
    }
    #expect(zip(events, events.dropFirst()).allSatisfy { $0.recordedAt <= $1.recordedAt })
  }
}
