import Foundation

/// Runs `prepare` on a second thread one step ahead of `consume` on this one.
///
/// A batch's client work (sealing identities, chaining journal events, working out clocks, encoding
/// rows) and the server's work on what was sent before take about as long as each other; on two
/// cores they can overlap. This thread makes each input with `next` (which may use the connection),
/// hands it over, and consumes the outputs in order; the other thread prepares them in order,
/// carrying `state` from one to the next, and never touches the connection. At most two inputs are
/// in flight, so memory stays a couple of chunks whatever the batch's length.
///
/// An error from either side stops both and is thrown here, after the other thread has finished
/// what it was preparing.
func pipeline<Input: Sendable, Output: Sendable, State: Sendable>(
  state: State,
  next: () throws(DocketError) -> Input?,
  prepare: @escaping @Sendable (inout State, Input) throws(DocketError) -> Output,
  consume: (Output) throws(DocketError) -> Void
) throws(DocketError) {
  let inputs = Handoff<Input>()
  let outputs = Handoff<Result<Output, DocketError>>()
  let worker = Thread {
    var state = state
    while let input = inputs.take() {
      do throws(DocketError) {
        outputs.put(.success(try prepare(&state, input)))
      } catch {
        outputs.put(.failure(error))
        break
      }
    }
    outputs.close()
  }
  worker.stackSize = 8 << 20
  worker.start()
  defer {
    inputs.close()
    while outputs.take() != nil {}
  }
  var inFlight = 0
  while let input = try next() {
    inputs.put(input)
    inFlight += 1
    if inFlight == 2 {
      try consume(outputs.take()!.get())
      inFlight -= 1
    }
  }
  while inFlight > 0 {
    try consume(outputs.take()!.get())
    inFlight -= 1
  }
}

/// A queue between two threads: `take` waits for a value, or returns nil once the queue is closed
/// and empty.
private final class Handoff<Value: Sendable>: @unchecked Sendable {
  // Every access to `values` and `closed` holds `condition`'s lock.
  private let condition = NSCondition()
  private var values: [Value] = []
  private var closed = false

  func put(_ value: Value) {
    condition.lock()
    defer { condition.unlock() }
    values.append(value)
    condition.signal()
  }

  func take() -> Value? {
    condition.lock()
    defer { condition.unlock() }
    while values.isEmpty && !closed { condition.wait() }
    return values.isEmpty ? nil : values.removeFirst()
  }

  func close() {
    condition.lock()
    defer { condition.unlock() }
    closed = true
    condition.broadcast()
  }
}
