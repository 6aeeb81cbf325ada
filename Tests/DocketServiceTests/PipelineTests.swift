import Foundation
import Testing

@testable import DocketService

/// The two threads of a handover batch (``pipeline(state:next:prepare:consume:)``).
@Suite("A batch prepares its next chunk on a second thread")
struct PipelineTests {
  @Test("every input is prepared and consumed once, in order, with the state carried along")
  func order() throws {
    var inputs = (1...7).makeIterator()
    var consumed: [String] = []
    try pipeline(
      state: 0,
      next: { () throws(DocketError) -> Int? in inputs.next() },
      prepare: { (total, input) throws(DocketError) -> String in
        total += input
        return "\(input):\(total)"
      },
      consume: { (output) throws(DocketError) in consumed.append(output) })
    #expect(consumed == ["1:1", "2:3", "3:6", "4:10", "5:15", "6:21", "7:28"])
  }

  @Test("nothing to prepare: nothing consumed")
  func empty() throws {
    var consumed = 0
    try pipeline(
      state: (), next: { () throws(DocketError) -> Int? in nil },
      prepare: { (_, input) throws(DocketError) -> Int in input },
      consume: { (_) throws(DocketError) in consumed += 1 })
    #expect(consumed == 0)
  }

  @Test(
    "an error while preparing is thrown here, after the outputs before it, and nothing after it is consumed")
  func prepareFails() {
    var inputs = (1...10).makeIterator()
    var consumed: [Int] = []
    #expect(throws: DocketError.self) {
      try pipeline(
        state: (),
        next: { () throws(DocketError) -> Int? in inputs.next() },
        prepare: { (_, input) throws(DocketError) -> Int in
          if input == 4 { throw .invalid("row 4 could not be sealed") }
          return input
        },
        consume: { (output) throws(DocketError) in consumed.append(output) })
    }
    #expect(consumed == [1, 2, 3])
  }

  @Test("an error while consuming or making the next input stops the other thread, which finishes first")
  func consumeFails() {
    let prepared = Counter()
    var inputs = (1...10).makeIterator()
    #expect(throws: DocketError.self) {
      try pipeline(
        state: (),
        next: { () throws(DocketError) -> Int? in inputs.next() },
        prepare: { (_, input) throws(DocketError) -> Int in
          prepared.add()
          return input
        },
        consume: { (output) throws(DocketError) in
          if output == 2 { throw .temporary("The database is unavailable at the moment; try again later.") }
        })
    }
    // The worker was joined: nothing it prepares can come after the throw.
    let after = prepared.value
    Thread.sleep(forTimeInterval: 0.05)
    #expect(prepared.value == after)
    #expect(after <= 4)

    var calls = 0
    #expect(throws: DocketError.self) {
      try pipeline(
        state: (),
        next: { () throws(DocketError) -> Int? in
          calls += 1
          if calls == 3 { throw .temporary("The database is unavailable at the moment; try again later.") }
          return calls
        },
        prepare: { (_, input) throws(DocketError) -> Int in input },
        consume: { (_) throws(DocketError) in })
    }
  }
}

/// A count both threads may touch.
private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
