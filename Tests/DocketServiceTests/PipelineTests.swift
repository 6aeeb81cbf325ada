import Foundation
import Testing

@testable import DocketService

/// The second thread of a handover list (``Pipeline``): checking rows while the next are read,
/// preparing a chunk while the one before is written.
@Suite("A list's next chunk is prepared on a second thread")
struct PipelineTests {
  private func run(_ pipeline: Pipeline<Int, String, Never>, _ inputs: ClosedRange<Int>) -> [String] {
    var consumed: [String] = []
    for input in inputs {
      if let output = pipeline.submit(input) { consumed.append(output) }
    }
    while let output = pipeline.next() { consumed.append(output) }
    return consumed
  }

  @Test("every input is prepared and handed back once, in order, with the state carried along")
  func order() {
    let pipeline = Pipeline(state: 0) { (total, input: Int) -> String in
      total += input
      return "\(input):\(total)"
    }
    #expect(run(pipeline, 1...7) == ["1:1", "2:3", "3:6", "4:10", "5:15", "6:21", "7:28"])
    #expect(pipeline.next() == nil)
  }

  @Test("one input, or none, comes back too")
  func short() {
    #expect(run(Pipeline(state: ()) { (_, input: Int) in "\(input)" }, 1...1) == ["1"])
    #expect(Pipeline(state: ()) { (_, input: Int) in "\(input)" }.next() == nil)
  }

  @Test("an error while preparing is thrown where its output was due, after the outputs before it")
  func prepareFails() {
    let pipeline = Pipeline(state: ()) { (_, input: Int) throws(DocketError) -> Int in
      if input == 4 { throw .invalid("row 4 could not be sealed") }
      return input
    }
    var consumed: [Int] = []
    #expect(throws: DocketError.self) {
      for input in 1...10 {
        if let output = try pipeline.submit(input) { consumed.append(output) }
      }
      while let output = try pipeline.next() { consumed.append(output) }
    }
    #expect(consumed == [1, 2, 3])
    // Nothing after the failure is prepared or handed back.
    do { #expect(try pipeline.next() == nil) } catch { Issue.record("threw again: \(error)") }
  }

  @Test("released early (the writing side failed), the second thread finishes what it has and stops")
  func releasedEarly() {
    let prepared = Counter()
    do {
      let pipeline = Pipeline(state: ()) { (_, input: Int) -> Int in
        prepared.add()
        Thread.sleep(forTimeInterval: 0.01)
        return input
      }
      for input in 1...3 { _ = pipeline.submit(input) }
    }
    // The pipeline was released and its thread joined: what was handed over is finished by now,
    // and nothing is prepared after this point.
    let after = prepared.value
    #expect(after == 3)
    Thread.sleep(forTimeInterval: 0.05)
    #expect(prepared.value == after)
  }
}

/// A count both threads may touch.
private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
