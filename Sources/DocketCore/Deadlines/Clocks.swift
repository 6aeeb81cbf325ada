import Foundation

/// How close a running clock is to its due day.
public enum Warning: String, Term, Comparable {
  case none, blue, amber, red

  public var chinese: String {
    switch self {
    case .none: "正常"
    case .blue: "蓝色预警"
    case .amber: "黄色预警"
    case .red: "红色预警"
    }
  }

  public var aliases: [String] {
    switch self {
    case .none: []
    case .blue: ["蓝"]
    case .amber: ["黄", "yellow"]
    case .red: ["红", "overdue"]
    }
  }

  public static func < (a: Warning, b: Warning) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// When warnings turn on: blue within `blue` working days of the due day, amber within `amber`,
/// red once it has passed.
public struct WarningThresholds: Sendable, Equatable {
  public var blue: Int
  public var amber: Int
  public static let standard = WarningThresholds(blue: 5, amber: 2)
  public init(blue: Int, amber: Int) {
    self.blue = blue
    self.amber = amber
  }
}

/// One event of an item's history as the clocks read it.
public struct ClockEvent: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A lifecycle move from one state to another (possibly the same).
    case move(Move, from: ItemState, to: ItemState, disposalApproved: Bool)
    /// The real-name reporter was told whether the item was accepted (受理告知).
    case notified
    /// The real-name reporter was told the result (结果反馈).
    case feedbackGiven
    /// A petition's handling period was extended by this many days.
    case extended(days: Int)
  }
  public var kind: Kind
  public var at: Date

  public init(_ kind: Kind, at: Date) {
    self.kind = kind
    self.at = at
  }
}

/// The facts of an item that decide which clocks run.
public struct ClockSubject: Sendable {
  public var kind: Kind
  public var source: Source
  public var reporterKind: ReporterKind
  public var receivedAt: Date
  public init(kind: Kind, source: Source, reporterKind: ReporterKind, receivedAt: Date) {
    self.kind = kind
    self.source = source
    self.reporterKind = reporterKind
    self.receivedAt = receivedAt
  }
}

/// One clock of one item, as of a moment.
public struct ItemClock: Sendable, Equatable {
  public var clock: DeadlineClock
  public var startedAt: Date
  /// Nil when the calendar lacks the year the period ends in; `problem` then says which.
  public var due: CivilDate?
  public var stoppedAt: Date?
  public var warning: Warning
  public var problem: String?
}

/// Works out an item's clocks from its history: which apply, when each started, paused (on hold),
/// was extended and stopped, when it is due, and how it stands as of a moment.
public struct ClockEngine: Sendable {
  public var rules: [ClockRule]
  public var calendar: WorkingCalendar
  public var office: OfficeTime
  public var thresholds: WarningThresholds

  public init(
    rules: [ClockRule], calendar: WorkingCalendar, office: OfficeTime, thresholds: WarningThresholds
  ) {
    self.rules = rules
    self.calendar = calendar
    self.office = office
    self.thresholds = thresholds
  }

  public func clocks(for subject: ClockSubject, events: [ClockEvent], asOf: Date) -> [ItemClock] {
    let past = events.filter { $0.at <= asOf }
    return rules.compactMap { rule in
      guard let (start, stop, extra) = span(rule, subject, past) else { return nil }
      return clock(rule, start: start, stop: stop, extra: extra, events: past, asOf: asOf)
    }
  }

  /// When a clock started and stopped, and the extension granted, or nil when it does not apply.
  private func span(_ rule: ClockRule, _ subject: ClockSubject, _ events: [ClockEvent]) -> (Date, Date?, Int)?
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
    let becameDuplicate = firstMove(after: .distantPast) { _, _, to, _ in to == .duplicate } != nil
    let ended = firstMove(after: subject.receivedAt) { _, _, to, _ in to.isClosedLike || to == .duplicate }
    switch rule.clock {
    case .forward:
      return (
        subject.receivedAt, firstMove(after: subject.receivedAt) { _, from, _, _ in from == .registered }, 0
      )
    case .acceptanceNotice:
      // A duplicate gets no new acceptance notice.
      guard realName, !becameDuplicate else { return nil }
      return (subject.receivedAt, events.first { $0.kind == .notified }?.at, 0)
    case .disposalProposal:
      guard subject.kind.takesDisposal else { return nil }
      let approved = firstMove(after: subject.receivedAt) { move, _, _, approved in
        move == .dispose && approved
      }
      return (subject.receivedAt, [approved, ended].compactMap { $0 }.min(), 0)
    case .petitionHandling:
      guard subject.kind == .petition,
        let accepted = firstMove(after: subject.receivedAt, where: { move, _, _, _ in move == .accept })
      else { return nil }
      let concluded = firstMove(after: accepted) { move, _, to, _ in move == .conclude || to.isClosedLike }
      // One extension, of at most the rule's longest.
      let granted =
        events.compactMap { event -> Int? in
          if case .extended(let days) = event.kind { return days }
          return nil
        }.first.map { min($0, rule.extensionLength ?? 0) } ?? 0
      return (accepted, concluded, granted)
    case .inspectionReport:
      guard subject.source == .inspection else { return nil }
      return (subject.receivedAt, ended, 0)
    case .resultFeedback:
      // From the latest closure; a reopened item's feedback waits for its next closure.
      guard realName,
        let last = events.last(where: { if case .move = $0.kind { true } else { false } }),
        case .move(_, _, .closed, _) = last.kind
      else { return nil }
      return (last.at, events.first { $0.kind == .feedbackGiven && $0.at >= last.at }?.at, 0)
    }
  }

  private func clock(
    _ rule: ClockRule, start: Date, stop: Date?, extra: Int, events: [ClockEvent], asOf: Date
  ) -> ItemClock {
    let startDay = office.civilDate(of: start)
    do {
      let paused = try pausedDays(rule, from: start, to: stop ?? asOf, events: events, asOf: asOf)
      let due = try rule.due(from: startDay, calendar: calendar, extraDays: paused + extra)
      var warning = Warning.none
      if stop == nil {
        let today = office.civilDate(of: asOf)
        if today > due {
          warning = .red
        } else {
          let left = try calendar.workingDays(from: today, to: due)
          warning = left <= thresholds.amber ? .amber : left <= thresholds.blue ? .blue : .none
        }
      }
      return ItemClock(
        clock: rule.clock, startedAt: start, due: due, stoppedAt: stop, warning: warning, problem: nil)
    } catch {
      return ItemClock(
        clock: rule.clock, startedAt: start, due: nil, stoppedAt: stop, warning: .none,
        problem: error.description)
    }
  }

  /// Days spent on hold while the clock ran, in the clock's unit (calendar days for a month clock):
  /// time on hold does not count.
  private func pausedDays(
    _ rule: ClockRule, from start: Date, to end: Date, events: [ClockEvent], asOf: Date
  ) throws(CalendarError) -> Int {
    var total = 0
    var heldSince: Date?
    for event in events {
      guard case .move(_, let from, let to, _) = event.kind else { continue }
      if to == .onHold && from != .onHold {
        heldSince = event.at
      } else if from == .onHold && to != .onHold, let since = heldSince {
        total += try days(rule, max(since, start), min(event.at, end))
        heldSince = nil
      }
    }
    if let since = heldSince { total += try days(rule, max(since, start), min(asOf, end)) }
    return total
  }

  private func days(_ rule: ClockRule, _ from: Date, _ to: Date) throws(CalendarError) -> Int {
    guard to > from else { return 0 }
    let a = office.civilDate(of: from)
    let b = office.civilDate(of: to)
    return rule.unit == .workingDays ? try calendar.workingDays(from: a, to: b) : b.ordinal - a.ordinal
  }
}

extension OfficeTime {
  /// The day `date` falls on in the office.
  public func civilDate(of date: Date) -> CivilDate {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
    return CivilDate(ordinal: Int((Double(seconds) / 86_400).rounded(.down)))
  }
}
