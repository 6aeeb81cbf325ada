import Foundation

/// How an item counts in a report at a moment (DESIGN.md, "The monthly closure-rate report").
public enum ReportStatus: String, Term {
  /// Open and within every running deadline.
  case open
  /// Open with a running clock past its due day.
  case overdue
  /// Closed, forwarded or not accepted (办结).
  case closed
  /// A duplicate: counted in its own column, never as received.
  case duplicate

  public var chinese: String {
    switch self {
    case .open: "在办"
    case .overdue: "超期在办"
    case .closed: "已办结"
    case .duplicate: "重复件"
    }
  }
}

/// A stretch of an item's history during which it counts the same way in every report: the same
/// status, responsible unit and, once closed, the same closing.
public struct ReportPeriod: Sendable, Equatable {
  public var from: Date
  public var status: ReportStatus
  public var unitID: Int?
  /// When closed: the effective time of the latest move into a closed-like state.
  public var closedAt: Date?
  /// When closed: whether the item met its handling deadline (see
  /// ``ClockEngine/timeline(for:events:)``); nil when it had none.
  public var onTime: Bool?

  public init(from: Date, status: ReportStatus, unitID: Int?, closedAt: Date? = nil, onTime: Bool? = nil) {
    self.from = from
    self.status = status
    self.unitID = unitID
    self.closedAt = closedAt
    self.onTime = onTime
  }

  /// Whether two periods count the same (so that the later one changes nothing).
  func countsLike(_ other: ReportPeriod) -> Bool {
    status == other.status && unitID == other.unitID && closedAt == other.closedAt && onTime == other.onTime
  }
}

/// One event of an item's history as reports read it: what the clocks read, and a new
/// responsible unit when the event assigned one.
public struct TimelineEvent: Sendable {
  public var event: ClockEvent
  /// Set when the event made this unit responsible.
  public var assignedUnit: Int?

  public init(_ event: ClockEvent, assignedUnit: Int? = nil) {
    self.event = event
    self.assignedUnit = assignedUnit
  }
}

extension ClockEngine {
  /// An item's history cut into ``ReportPeriod``s, each running until the next one starts.
  ///
  /// An open item turns overdue at the start of the day after the earliest due day of its running
  /// clocks; an item put on hold stays as it was when the hold began (time on hold does not
  /// count). A closing is on time (按期) when the item's handling deadline was met: the first
  /// of its clocks that applies among petition handling, the inspection team's report, the
  /// disposal proposal and forwarding stopped (or, still running, the item closed) on or before
  /// its due day.
  public func timeline(for subject: ClockSubject, events: [TimelineEvent]) -> [ReportPeriod] {
    var periods: [ReportPeriod] = []
    func add(_ period: ReportPeriod) {
      // Events at the same instant: the last one decides.
      if let last = periods.last, last.from == period.from { periods.removeLast() }
      if let last = periods.last, last.countsLike(period) { return }
      periods.append(period)
    }
    var state = ItemState.registered
    var unit: Int?
    var closedAt: Date?
    var onTime: Bool?
    var past: [ClockEvent] = []
    // The change points: receipt, then every event; each starts a stretch that lasts to the next.
    let points = [(subject.receivedAt, nil as TimelineEvent?)] + events.map { ($0.event.at, $0) }
    for (index, (at, event)) in points.enumerated() {
      if let event {
        if case .move(_, _, let to, _) = event.event.kind {
          if to.isClosedLike && !state.isClosedLike {
            closedAt = at
            onTime = metDeadline(subject, past + [event.event], closedAt: at)
          } else if !to.isClosedLike {
            closedAt = nil
            onTime = nil
          }
          state = to
        }
        if let assigned = event.assignedUnit { unit = assigned }
        past.append(event.event)
      }
      let until = index + 1 < points.count ? points[index + 1].0 : nil
      if state == .duplicate {
        add(ReportPeriod(from: at, status: .duplicate, unitID: unit))
      } else if state.isClosedLike {
        add(ReportPeriod(from: at, status: .closed, unitID: unit, closedAt: closedAt, onTime: onTime))
      } else if let overdueFrom = overdueFrom(subject, past, at: at, held: state == .onHold) {
        if overdueFrom > at, until.map({ overdueFrom < $0 }) ?? true {
          add(ReportPeriod(from: at, status: .open, unitID: unit))
          add(ReportPeriod(from: overdueFrom, status: .overdue, unitID: unit))
        } else {
          add(ReportPeriod(from: at, status: overdueFrom <= at ? .overdue : .open, unitID: unit))
        }
      } else {
        add(ReportPeriod(from: at, status: .open, unitID: unit))
      }
    }
    return periods
  }

  /// When the item turns overdue if nothing else happens after `at`; nil when no clock runs. On hold the clocks are paused: overdue already, or not at all.
  private func overdueFrom(_ subject: ClockSubject, _ past: [ClockEvent], at: Date, held: Bool) -> Date? {
    let running = clocks(for: subject, events: past, asOf: at).filter { $0.stoppedAt == nil }
    guard let due = running.map(\.due).min() else { return nil }
    let overdueFrom = office.start(of: due.adding(days: 1))
    if held { return overdueFrom <= at ? at : nil }
    return overdueFrom
  }

  /// The clocks that are an item's handling deadline, the first that applies.
  static let handlingDeadlines: [DeadlineClock] = [
    .petitionHandling, .inspectionReport, .disposalProposal, .forward,
  ]

  /// Whether the item met its handling deadline by its closing; nil when it has none.
  private func metDeadline(_ subject: ClockSubject, _ events: [ClockEvent], closedAt: Date) -> Bool? {
    let all = clocks(for: subject, events: events, asOf: closedAt)
    guard
      let clock = Self.handlingDeadlines.lazy.compactMap({ name in all.first { $0.clock == name } }).first
    else { return nil }
    return office.civilDate(of: clock.stoppedAt ?? closedAt) <= clock.due
  }
}

extension OfficeTime {
  /// The first instant of `day` in the office.
  public func start(of day: CivilDate) -> Date {
    let midnightUTC = Date(timeIntervalSince1970: TimeInterval(day.ordinal) * 86_400)
    // The offset at local midnight can differ from the one at UTC midnight only across a change
    // of offset; asking twice settles it.
    let guess = midnightUTC.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: midnightUTC)))
    return midnightUTC.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess)))
  }
}
