import Foundation

/// Runs `prepare` on a second thread one step ahead of the thread that submits the inputs.
///
/// A handover list's client work and the work it waits for take about as long as each other, and
/// on two cores they can overlap: checking a chunk of rows while the next is parsed, sealing and
/// encoding a chunk while the server writes the one before. The submitting thread hands each input
/// over and gets the outputs back in order; the second thread prepares them in order, carrying
/// `state` from one to the next, and never touches the caller's connection. At most two inputs
/// are in flight, so memory stays a couple of chunks whatever the list's length.
///
///     let pipeline = Pipeline(state: checker) { checker, rows in rows.map { checker.check($0) } }
///     for chunk in chunks { if let done = try pipeline.submit(chunk) { use(done) } }
///     while let done = try pipeline.next() { use(done) }
///
/// An error from `prepare` is thrown by the `submit` or `next` that would have returned its output;
/// nothing after it is prepared. The second thread ends when the pipeline is released, after
/// finishing what it was preparing, so that an error on the submitting side stops it too.
final class Pipeline<Input: Sendable, Output: Sendable, Failure: Error> {
  private let inputs = Handoff<Input>()
  private let outputs = Handoff<Result<Output, Failure>>()
  private var inFlight = 0

  init<State: Sendable>(
    state: State, prepare: @escaping @Sendable (inout State, Input) throws(Failure) -> Output
  ) {
    let (inputs, outputs) = (inputs, outputs)
    let worker = Thread {
      var state = state
      while let input = inputs.take() {
        do throws(Failure) {
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
  }

  /// Hands `input` over; once two are in flight, waits for the older one and returns its output.
  func submit(_ input: Input) throws(Failure) -> Output? {
    inputs.put(input)
    inFlight += 1
    return inFlight == 2 ? try next() : nil
  }

  /// Waits for the oldest input in flight and returns its output; nil when none is in flight.
  func next() throws(Failure) -> Output? {
    guard inFlight > 0, let result = outputs.take() else { return nil }
    inFlight -= 1
    return try result.get()
  }

  deinit {
    inputs.close()
    while outputs.take() != nil {}
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
