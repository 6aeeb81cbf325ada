import Foundation

/// When one clock of an item started, and when it stopped, as its history says.
public struct ClockSpan: Sendable, Equatable {
  public var clock: DeadlineClock
  public var start: Date
  public var stop: Date?
  /// The extension asked for, in the clock's unit; the policy caps it when the clock is read.
  public var extensionDays: Int

  public init(clock: DeadlineClock, start: Date, stop: Date? = nil, extensionDays: Int = 0) {
    self.clock = clock
    self.start = start
    self.stop = stop
    self.extensionDays = extensionDays
  }
}

/// A time an item spent on hold; `until` is nil while it is still on hold.
public struct HoldSpan: Sendable, Equatable {
  public var from: Date
  public var until: Date?

  public init(from: Date, until: Date? = nil) {
    self.from = from
    self.until = until
  }
}

/// What an item's history says about its clocks: which apply, when each started and stopped, how
/// long it was on hold. It depends on the history alone, not on the policy's lengths or the
/// calendar, so it can be kept beside the item and stays true when an office changes either;
/// ``ClockEngine`` turns it into due days and warnings.
public struct ClockFacts: Sendable, Equatable {
  public var spans: [ClockSpan]
  public var holds: [HoldSpan]

  public init(spans: [ClockSpan], holds: [HoldSpan]) {
    self.spans = spans
    self.holds = holds
  }

  /// The facts of `events`, which are in order and are all the history there is to consider.
  public init(subject: ClockSubject, events: [ClockEvent]) {
    spans = DeadlineClock.allCases.compactMap { Self.span($0, subject, events) }
    holds = []
    for event in events {
      guard case .move(_, let from, let to, _) = event.kind else { continue }
      if to == .onHold && from != .onHold {
        holds.append(HoldSpan(from: event.at))
      } else if from == .onHold && to != .onHold, let last = holds.indices.last, holds[last].until == nil {
        holds[last].until = event.at
      }
    }
  }

  private static func span(_ clock: DeadlineClock, _ subject: ClockSubject, _ events: [ClockEvent])
    -> ClockSpan?
  {
    func firstMove(after start: Date, where test: (Move, ItemState, ItemState, Bool) -> Bool) -> Date? {
      events.first { event in
        guard event.at >= start, case .move(let move, let from, let to, let approved) = event.kind else {
          return false
        }
        return test(move, from, to, approved)
      }?.at
    }
    let realName = subject.reporterKind == .realName
    let received = subject.receivedAt
    let becameDuplicate = firstMove(after: .distantPast) { _, _, to, _ in to == .duplicate } != nil
    let ended = firstMove(after: received) { _, _, to, _ in to.isClosedLike || to == .duplicate }
    switch clock {
    case .forward:
      return ClockSpan(
        clock: clock, start: received,
        stop: firstMove(after: received) { _, from, _, _ in from == .registered })
    case .acceptanceNotice:
      // A duplicate gets no new acceptance notice.
      guard realName, !becameDuplicate else { return nil }
      return ClockSpan(clock: clock, start: received, stop: events.first { $0.kind == .notified }?.at)
    case .disposalProposal:
      guard subject.kind.takesDisposal else { return nil }
      let approved = firstMove(after: received) { move, _, _, approved in move == .dispose && approved }
      return ClockSpan(clock: clock, start: received, stop: [approved, ended].compactMap { $0 }.min())
    case .petitionHandling:
      guard subject.kind == .petition,
        let accepted = firstMove(after: received, where: { move, _, _, _ in move == .accept })
      else { return nil }
      let concluded = firstMove(after: accepted) { move, _, to, _ in move == .conclude || to.isClosedLike }
      // One extension: the first one granted counts.
      let asked = events.lazy.compactMap { event -> Int? in
        if case .extended(let days) = event.kind { return days }
        return nil
      }.first
      return ClockSpan(clock: clock, start: accepted, stop: concluded, extensionDays: asked ?? 0)
    case .inspectionReport:
      guard subject.source == .inspection else { return nil }
      return ClockSpan(clock: clock, start: received, stop: ended)
    case .resultFeedback:
      // From the latest closure; a reopened item's feedback waits for its next closure.
      guard realName,
        let last = events.last(where: { if case .move = $0.kind { true } else { false } }),
        case .move(_, _, .closed, _) = last.kind
      else { return nil }
      return ClockSpan(
        clock: clock, start: last.at, stop: events.first { $0.kind == .feedbackGiven && $0.at >= last.at }?.at
      )
    }
  }
}
