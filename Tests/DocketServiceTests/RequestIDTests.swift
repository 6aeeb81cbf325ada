import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("An intake sent twice registers one item")
struct RequestIDTests {
  func call(_ requestID: String?, subject: String = "反映某局长收受红包") -> IntakeRequest {
    var request = Office.call(subject: subject, at: beijing("2021-09-28 09:00"))
    request.requestID = requestID
    return request
  }

  @Test("the same request id again finds the item, writes nothing and gives no second receipt code")
  func retry() throws {
    let scene = try Scene.make("reqid", now: beijing("2021-10-01 12:00"))
    let first = try scene.d.intakeWithReceipt(call("hotline-20210928-0007"), actor: "reg")
    #expect(!first.registeredBefore)
    #expect(first.receiptCode != nil)
    let events = try scene.d.journalLog(ref: nil, actor: "aud").count
    let again = try scene.d.intakeWithReceipt(call("hotline-20210928-0007"), actor: "reg")
    #expect(again.registeredBefore)
    #expect(again.item.ref == first.item.ref)
    #expect(again.receiptCode == nil)
    #expect(try scene.d.journalLog(ref: nil, actor: "aud").count == events)
    #expect(try scene.d.list(LedgerQuery(), actor: "aud").count == 1)
    // Without a request id, or with another, each intake is an item of its own.
    _ = try scene.d.intake(call(nil), actor: "reg")
    _ = try scene.d.intake(call("hotline-20210928-0008"), actor: "reg")
    #expect(try scene.d.list(LedgerQuery(), actor: "aud").count == 3)
  }

  @Test("a request id reused for something else is refused, naming the item it registered")
  func reused() throws {
    let scene = try Scene.make("reqid2", now: beijing("2021-10-01 12:00"))
    let first = try scene.d.intake(call("form-1"), actor: "reg")
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.intake(call("form-1", subject: "反映另一件事"), actor: "reg")
    }
    #expect(error?.description.contains(first.ref) == true)
  }

  @Test("two tries of one request at the same moment register it once")
  func racing() throws {
    let scene = try Scene.make("reqid3", now: beijing("2021-10-01 12:00"))
    let racers = try (0..<4).map { _ in Handed(try scene.test.second()) }
    let refs = Locked([String]())
    let done = DispatchGroup()
    let go = Handed(DispatchSemaphore(value: 0))
    let request = call("double-click")
    for racer in racers {
      done.enter()
      let finished = Handed(done)
      Thread {
        go.value.wait()
        if let item = try? racer.value.intake(request, actor: "reg") { refs.withLock { $0.append(item.ref) } }
        finished.value.leave()
      }.start()
    }
    for _ in racers { go.value.signal() }
    done.wait()
    let all = refs.withLock { $0 }
    #expect(all.count == racers.count)
    #expect(Set(all).count == 1)
    #expect(try scene.d.list(LedgerQuery(), actor: "aud").count == 1)
  }
}
