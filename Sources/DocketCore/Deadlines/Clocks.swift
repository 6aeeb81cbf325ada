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

  /// Higher is more urgent.
  public var severity: Int {
    switch self {
    case .none: 0
    case .blue: 1
    case .amber: 2
    case .red: 3
    }
  }

  public static func < (a: Warning, b: Warning) -> Bool { a.severity < b.severity }
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
  public var due: CivilDate
  /// Whether the due day was counted over a year whose holiday schedule is not yet published
  /// (statutory holidays only, no 调休): it may move when the schedule is imported.
  public var provisional: Bool
  public var stoppedAt: Date?
  public var warning: Warning

  public init(
    clock: DeadlineClock, startedAt: Date, due: CivilDate, provisional: Bool = false, stoppedAt: Date? = nil,
    warning: Warning = .none
  ) {
    self.clock = clock
    self.startedAt = startedAt
    self.due = due
    self.provisional = provisional
    self.stoppedAt = stoppedAt
    self.warning = warning
  }
}

extension ItemClock {
  /// The due day as a table shows it: `2027-02-01`, or `2027-02-01（暂定）` when provisional.
  public func dueLabel(_ language: Language) -> String {
    guard provisional else { return due.description }
    return language == .chinese ? "\(due)（暂定）" : "\(due) (provisional)"
  }
}

/// Works out when an item's clocks are due and how each stands as of a moment, from its
/// ``ClockFacts``, the policy, the working-day calendar and the warning thresholds.
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

  /// An item's clocks as of `asOf`, from its whole history (events after `asOf` are not counted).
  public func clocks(for subject: ClockSubject, events: [ClockEvent], asOf: Date) -> [ItemClock] {
    clocks(ClockFacts(subject: subject, events: events.filter { $0.at <= asOf }), asOf: asOf)
  }

  /// The clocks `facts` describe, as of `asOf`, which must not be earlier than the last event the
  /// facts were worked out from. In the policy's order.
  public func clocks(_ facts: ClockFacts, asOf: Date) -> [ItemClock] {
    rules.compactMap { rule in
      guard let span = facts.spans.first(where: { $0.clock == rule.clock }) else { return nil }
      return clock(rule, span, holds: facts.holds, asOf: asOf)
    }
  }

  private func clock(_ rule: ClockRule, _ span: ClockSpan, holds: [HoldSpan], asOf: Date) -> ItemClock {
    let startDay = office.civilDate(of: span.start)
    let extra = min(span.extensionDays, rule.extensionLength ?? 0)
    let end = span.stop ?? asOf
    let paused = pausedDays(rule, from: span.start, to: end, holds: holds, asOf: asOf)
    let due = rule.due(from: startDay, calendar: calendar, extraDays: paused + extra)
    var warning = Warning.none
    if span.stop == nil {
      let today = office.civilDate(of: asOf)
      if today > due {
        warning = .red
      } else {
        let left = calendar.workingDays(from: today, to: due)
        warning = left <= thresholds.amber ? .amber : left <= thresholds.blue ? .blue : .none
      }
    }
    // The days counted run from the day after the start to the due day, and through the time on
    // hold when that reaches further.
    let counted = paused > 0 ? max(due, office.civilDate(of: end)) : due
    return ItemClock(
      clock: rule.clock, startedAt: span.start, due: due,
      provisional: calendar.isProvisional(from: startDay.adding(days: 1), through: counted),
      stoppedAt: span.stop, warning: warning)
  }

  /// Days spent on hold while the clock ran, in the clock's unit (calendar days for a month clock):
  /// time on hold does not count.
  private func pausedDays(_ rule: ClockRule, from start: Date, to end: Date, holds: [HoldSpan], asOf: Date)
    -> Int
  {
    holds.reduce(0) { total, hold in total + days(rule, max(hold.from, start), min(hold.until ?? asOf, end)) }
  }

  private func days(_ rule: ClockRule, _ from: Date, _ to: Date) -> Int {
    guard to > from else { return 0 }
    let a = office.civilDate(of: from)
    let b = office.civilDate(of: to)
    return rule.unit == .workingDays ? calendar.workingDays(from: a, to: b) : b.ordinal - a.ordinal
  }
}

extension OfficeTime {
  /// The day `date` falls on in the office.
  public func civilDate(of date: Date) -> CivilDate {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
    return CivilDate(ordinal: Int((Double(seconds) / 86_400).rounded(.down)))
  }
}
