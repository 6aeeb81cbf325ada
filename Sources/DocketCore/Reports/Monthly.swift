import Foundation

/// A calendar month, `2021-11`.
public struct ReportMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int

  public init?(year: Int, month: Int) {
    guard (1...12).contains(month), (1900...9999).contains(year) else { return nil }
    self.year = year
    self.month = month
  }

  /// Parses `2021-11`.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
      let month = Int(parts[1])
    else { return nil }
    self.init(year: year, month: month)
  }

  public func adding(months count: Int) -> ReportMonth {
    let index = year * 12 + (month - 1) + count
    return ReportMonth(year: index / 12, month: index % 12 + 1)!
  }

  public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }

  /// The first instant of the month in `office`.
  public func start(in office: OfficeTime) -> Date { office.start(of: firstDay) }
  /// The first instant after the month in `office`: figures are "as of" this moment.
  public func end(in office: OfficeTime) -> Date { adding(months: 1).start(in: office) }

  public static func < (a: ReportMonth, b: ReportMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

  public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

/// Which items a closure rate is about.
public enum Cohort: Sendable, Equatable, CustomStringConvertible {
  /// Received from 1 January of the month's year to the end of the month (the default).
  case yearToDate
  /// Everything received before the end of the month.
  case all
  /// Received from this day to the end of the month.
  case since(CivilDate)

  /// Parses `ytd`, `all` or `since:2021-01-01`.
  public init?(_ text: String) {
    switch text.lowercased() {
    case "ytd": self = .yearToDate
    case "all": self = .all
    default:
      guard text.lowercased().hasPrefix("since:"), let day = CivilDate(String(text.dropFirst(6))) else {
        return nil
      }
      self = .since(day)
    }
  }

  /// The first instant of the cohort for `month`, or nil for no lower bound.
  public func start(for month: ReportMonth, in office: OfficeTime) -> Date? {
    switch self {
    case .yearToDate: office.start(of: CivilDate(year: month.year, month: 1, day: 1)!)
    case .all: nil
    case .since(let day): office.start(of: day)
    }
  }

  public var description: String {
    switch self {
    case .yearToDate: "ytd"
    case .all: "all"
    case .since(let day): "since:\(day)"
    }
  }
}

/// The figures of one month (DESIGN.md's table), for the whole scope or one group.
public struct MonthlyFigures: Sendable, Equatable {
  public var received = 0
  public var closed = 0
  public var cohortReceived = 0
  public var cohortClosed = 0
  public var openAtEnd = 0
  public var overdueAtEnd = 0
  public var duplicates = 0
  /// Of `closed`: those whose closing stopped a deadline, and those of them on time.
  public var closedWithDeadline = 0
  public var closedOnTime = 0
  public var medianDaysToClose: Double?

  public init() {}

  /// 办结率: nil when the cohort is empty.
  public var closureRate: Double? {
    cohortReceived == 0 ? nil : Double(cohortClosed) / Double(cohortReceived)
  }

  /// 按期办结率: nil when nothing closed had a deadline.
  public var onTimeRate: Double? {
    closedWithDeadline == 0 ? nil : Double(closedOnTime) / Double(closedWithDeadline)
  }
}

/// 同比: this month against the same month a year before.
public struct YearOverYear: Sendable, Equatable {
  /// Fraction change of received items (0.25 = 25% more); nil when last year had none.
  public var received: Double?
  public var closed: Double?
  /// The closure rate's change in percentage points; nil when either rate is.
  public var closureRatePP: Double?

  public init(current: MonthlyFigures, previous: MonthlyFigures) {
    func change(_ now: Int, _ then: Int) -> Double? {
      then == 0 ? nil : Double(now - then) / Double(then)
    }
    received = change(current.received, previous.received)
    closed = change(current.closed, previous.closed)
    if let now = current.closureRate, let then = previous.closureRate {
      closureRatePP = (now - then) * 100
    }
  }
}

/// An item as the monthly report reads it: what it is, and its history as ``ReportPeriod``s.
public struct ReportItem: Sendable {
  public var receivedAt: Date
  public var kind: Kind
  public var source: Source
  public var channel: Channel
  public var category: String?
  public var periods: [ReportPeriod]

  public init(
    receivedAt: Date, kind: Kind, source: Source, channel: Channel, category: String?, periods: [ReportPeriod]
  ) {
    self.receivedAt = receivedAt
    self.kind = kind
    self.source = source
    self.channel = channel
    self.category = category
    self.periods = periods
  }

  /// The period in force just before `moment`.
  public func period(before moment: Date) -> ReportPeriod? { periods.last { $0.from < moment } }
}

extension MonthlyFigures {
  /// Counts one month's figures over `items`, judged as of the end of the month. Every item
  /// passed is counted: filter the scope first.
  public init(
    month: ReportMonth, office: OfficeTime, cohort: Cohort, items: some Sequence<ReportItem>
  ) {
    self.init()
    let start = month.start(in: office)
    let end = month.end(in: office)
    let cohortStart = cohort.start(for: month, in: office)
    var days: [Double] = []
    for item in items where item.receivedAt < end {
      guard let period = item.period(before: end) else { continue }
      let inMonth = item.receivedAt >= start
      let inCohort = cohortStart.map { item.receivedAt >= $0 } ?? true
      switch period.status {
      case .duplicate:
        if inMonth { duplicates += 1 }
        continue
      case .open: openAtEnd += 1
      case .overdue:
        openAtEnd += 1
        overdueAtEnd += 1
      case .closed:
        if inCohort { cohortClosed += 1 }
        if let closedAt = period.closedAt, closedAt >= start {
          closed += 1
          days.append(closedAt.timeIntervalSince(item.receivedAt) / 86_400)
          if let onTime = period.onTime {
            closedWithDeadline += 1
            if onTime { closedOnTime += 1 }
          }
        }
      }
      if inMonth { received += 1 }
      if inCohort { cohortReceived += 1 }
    }
    medianDaysToClose = Self.median(days)
  }

  /// The median, to a tenth of a day; nil for none.
  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    let value = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    return (value * 10).rounded() / 10
  }
}

/// What a report can be broken down by (`--by`).
public enum ReportDimension: String, Term {
  case unit, kind, source, channel, category

  public var chinese: String {
    switch self {
    case .unit: "承办单位"
    case .kind: "种类"
    case .source: "来源"
    case .channel: "渠道"
    case .category: "问题类别"
    }
  }
}

/// Which items a report covers (`--scope`); an empty list means any.
public struct ReportScope: Sendable, Equatable {
  public var kinds: [Kind] = []
  public var sources: [Source] = []
  public var channels: [Channel] = []
  public var categories: [String] = []
  /// Responsible units (by id) at the end of the month.
  public var unitIDs: [Int] = []
  public init() {}

  public var isEmpty: Bool {
    kinds.isEmpty && sources.isEmpty && channels.isEmpty && categories.isEmpty && unitIDs.isEmpty
  }

  /// Whether `item`, with `unitID` responsible at the moment judged, is in scope.
  public func contains(_ item: ReportItem, unitID: Int?) -> Bool {
    (kinds.isEmpty || kinds.contains(item.kind)) && (sources.isEmpty || sources.contains(item.source))
      && (channels.isEmpty || channels.contains(item.channel))
      && (categories.isEmpty || item.category.map(categories.contains) == true)
      && (unitIDs.isEmpty || unitID.map(unitIDs.contains) == true)
  }
}
