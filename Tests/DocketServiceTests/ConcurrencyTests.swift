import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Two people moving the same item: one wins, the other is told to reload")
struct ConcurrencyTests {
  @Test("a move made on a stale version is refused as changed meanwhile, and changes nothing")
  func staleVersion() throws {
    let scene = try Scene.make("stale")
    let item = try scene.register()
    #expect(item.version == 1)
    let accepted = try scene.d.accept(
      item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00"), expectedVersion: 1))
    #expect(accepted.version == 2)
    let error = expectRefusal(.changedMeanwhile) { () throws(DocketError) in
      try scene.d.assign(
        item.ref, unit: "第一纪检监察室", actor: "boss", .init(at: beijing("2021-09-29 10:00"), expectedVersion: 1))
    }
    #expect(
      error?.description
        == "2021-JB-00001 was changed meanwhile by someone else; reload it with 'docket show 2021-JB-00001' and try again."
    )
    let after = try scene.reload(item.ref)
    #expect(after.item == accepted)
    #expect(after.events.map(\.event) == ["registered", "accept"])
    let assigned = try scene.d.assign(
      item.ref, unit: "第一纪检监察室", actor: "boss", .init(at: beijing("2021-09-29 10:00"), expectedVersion: 2))
    #expect(assigned.version == 3)
  }

  @Test("two connections accepting the same item at the same moment: exactly one succeeds, every time")
  func racingAccepts() throws {
    let scene = try Scene.make("race")
    let rounds = 20
    var refs: [String] = []
    for i in 0..<rounds {
      refs.append(
        try scene.register(Office.call(at: beijing("2021-09-28 09:00").addingTimeInterval(Double(i) * 60)))
          .ref)
    }
    let racers = [Handed(scene.d), Handed(try scene.test.second())]
    var failures: [Refusal: Int] = [:]
    for ref in refs {
      let outcomes = Locked([Result<Item, DocketError>]())
      let ready = DispatchGroup()
      let done = DispatchGroup()
      let go = Handed(DispatchSemaphore(value: 0))
      for racer in racers {
        ready.enter()
        done.enter()
        let handedReady = Handed(ready)
        let handedDone = Handed(done)
        Thread {
          handedReady.value.leave()
          go.value.wait()
          let outcome = Result { () throws(DocketError) in try racer.value.accept(ref, actor: "reg") }
          outcomes.withLock { $0.append(outcome) }
          handedDone.value.leave()
        }.start()
      }
      ready.wait()
      go.value.signal()
      go.value.signal()
      done.wait()

      let results = outcomes.withLock { $0 }
      #expect(results.count == 2)
      let won = results.compactMap { try? $0.get() }
      let lost = results.compactMap { result -> DocketError? in
        if case .failure(let error) = result { return error }
        return nil
      }
      #expect(won.count == 1, "\(ref): \(lost.map(\.description))")
      #expect(won.first?.state == .accepted)
      #expect(won.first?.version == 2)
      for error in lost {
        failures[error.refusal, default: 0] += 1
        #expect(
          error.refusal == .changedMeanwhile || error.refusal == .transition, "\(ref): the loser got \(error)"
        )
        if case .transition(_, let transition) = error { #expect(transition.state == .accepted) }
      }
    }
    for ref in refs {
      let history = try scene.reload(ref)
      #expect(history.item.state == .accepted)
      #expect(history.item.version == 2)
      #expect(history.events.filter { $0.event == "accept" }.count == 1, "\(ref)")
    }
    #expect(try scene.d.verifyJournal(actor: "aud").isIntact)
    // Not an assertion on chance, only a record of how the races went.
    print("racing accepts: losers by kind \(failures)")
  }

  @Test("a colleague whose clock is a second behind can still make the next move without --at")
  func clockBehind() throws {
    let scene = try Scene.make("clockbehind")
    let item = try scene.register()
    scene.d.now = { beijing("2021-10-10 12:00:01") }
    let colleague = try scene.test.second()
    colleague.now = { beijing("2021-10-10 12:00:00") }
    _ = try scene.d.accept(item.ref, actor: "reg")
    // Without --at the move means "now"; it follows the accept rather than being refused as earlier.
    let assigned = try colleague.assign(item.ref, unit: "第一纪检监察室", actor: "boss")
    #expect(assigned.state == .assigned)
    let events = try scene.reload(item.ref).events
    #expect(events.map(\.event) == ["registered", "accept", "assign"])
    #expect(
      events.map(\.effectiveAt).suffix(2) == [beijing("2021-10-10 12:00:01"), beijing("2021-10-10 12:00:01")])
    // A time given with --at is still held to the order.
    expectRefusal(.refused) { () throws(DocketError) in
      try colleague.start(item.ref, actor: "h1", .init(at: beijing("2021-10-10 12:00")))
    }
  }
}
