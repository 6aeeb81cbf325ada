import Foundation

/// One cell of the report rollup: the items with these attributes whose report status changed in
/// `month`, counted +1 for the period that starts and −1 for the one that ends. Summing every
/// cell up to a month's end counts the items standing that way at that moment, so a monthly
/// report reads a few thousand cells instead of every item, and a move dated in the past changes
/// exactly the cells of the months it affects.
public struct RollupKey: Hashable, Sendable, Comparable {
  /// The first day of the office month in which the change takes effect.
  public var month: CivilDate
  public var receivedMonth: CivilDate
  public var kind: Kind
  public var source: Source
  public var channel: Channel
  /// Empty for none.
  public var category: String
  /// 0 for none.
  public var unitID: Int
  public var status: ReportStatus
  /// The first day of the month the item closed in; nil unless closed.
  public var closedMonth: CivilDate?
  public var onTime: Bool?

  public init(
    month: CivilDate, receivedMonth: CivilDate, kind: Kind, source: Source, channel: Channel,
    category: String,
    unitID: Int, status: ReportStatus, closedMonth: CivilDate?, onTime: Bool?
  ) {
    self.month = month
    self.receivedMonth = receivedMonth
    self.kind = kind
    self.source = source
    self.channel = channel
    self.category = category
    self.unitID = unitID
    self.status = status
    self.closedMonth = closedMonth
    self.onTime = onTime
  }

  /// A total order, so that concurrent writers touch cells in the same order. Field by field,
  /// without building anything: a rebuild sorts millions of cells.
  public static func < (a: RollupKey, b: RollupKey) -> Bool {
    if a.month != b.month { return a.month < b.month }
    if a.receivedMonth != b.receivedMonth { return a.receivedMonth < b.receivedMonth }
    if a.unitID != b.unitID { return a.unitID < b.unitID }
    if a.status != b.status { return a.status.rawValue < b.status.rawValue }
    if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
    if a.source != b.source { return a.source.rawValue < b.source.rawValue }
    if a.channel != b.channel { return a.channel.rawValue < b.channel.rawValue }
    if a.category != b.category { return a.category < b.category }
    if a.closedMonth != b.closedMonth {
      return (a.closedMonth?.ordinal ?? .min) < (b.closedMonth?.ordinal ?? .min)
    }
    return (a.onTime.map { $0 ? 1 : 0 } ?? -1) < (b.onTime.map { $0 ? 1 : 0 } ?? -1)
  }
}

extension ReportItem {
  /// What this item adds to the rollup, with months in `office`'s time.
  public func rollup(in office: OfficeTime) -> [RollupKey: Int] {
    func month(_ date: Date) -> CivilDate {
      let day = office.civilDate(of: date)
      return CivilDate(year: day.year, month: day.month, day: 1)!
    }
    let received = month(receivedAt)
    var out: [RollupKey: Int] = [:]
    for (index, period) in periods.enumerated() {
      var key = RollupKey(
        month: month(period.from), receivedMonth: received, kind: kind, source: source, channel: channel,
        category: category ?? "", unitID: period.unitID ?? 0, status: period.status,
        closedMonth: period.closedAt.map(month), onTime: period.onTime)
      out[key, default: 0] += 1
      if index + 1 < periods.count {
        key.month = month(periods[index + 1].from)
        out[key, default: 0] -= 1
      }
    }
    return out.filter { $0.value != 0 }
  }
}

/// The difference between two contributions to the rollup: `new` minus `old`, zeros dropped.
public func rollupChange(from old: [RollupKey: Int], to new: [RollupKey: Int]) -> [RollupKey: Int] {
  var out = new
  for (key, count) in old { out[key, default: 0] -= count }
  return out.filter { $0.value != 0 }
}

/// The rollup summed over everything but what a month's totals need.
public struct RollupCell: Sendable {
  public var month: CivilDate
  public var receivedMonth: CivilDate
  public var status: ReportStatus
  public var closedMonth: CivilDate?
  public var onTime: Bool?
  public var count: Int

  public init(
    month: CivilDate, receivedMonth: CivilDate, status: ReportStatus, closedMonth: CivilDate?, onTime: Bool?,
    count: Int
  ) {
    self.month = month
    self.receivedMonth = receivedMonth
    self.status = status
    self.closedMonth = closedMonth
    self.onTime = onTime
    self.count = count
  }
}

extension MonthlyFigures {
  /// The counted figures of `month` (its first day) from rollup cells, with the cohort from
  /// `cohortStart` (a first day of a month; nil for everything). The median is not a count and is
  /// left out.
  ///
  /// `standing` counts items by status at the end of a year before the cells' first month; they
  /// count as open, overdue or closed at the month's end, and in the cohort only when
  /// `standingInCohort` (the cohort reaches back before them).
  public init(
    cells: [RollupCell], month: CivilDate, cohortStart: CivilDate?, standing: [ReportStatus: Int] = [:],
    standingInCohort: Bool = false
  ) {
    self.init()
    for (status, n) in standing {
      switch status {
      case .duplicate: continue
      case .open: openAtEnd += n
      case .overdue:
        openAtEnd += n
        overdueAtEnd += n
      case .closed: if standingInCohort { cohortClosed += n }
      }
      if standingInCohort { cohortReceived += n }
    }
    for cell in cells where cell.month <= month {
      let n = cell.count
      let inCohort = cohortStart.map { cell.receivedMonth >= $0 } ?? true
      switch cell.status {
      case .duplicate:
        if cell.receivedMonth == month { duplicates += n }
        continue
      case .open: openAtEnd += n
      case .overdue:
        openAtEnd += n
        overdueAtEnd += n
      case .closed:
        if inCohort { cohortClosed += n }
        if cell.closedMonth == month {
          closed += n
          if let onTime = cell.onTime {
            closedWithDeadline += n
            if onTime { closedOnTime += n }
          }
        }
      }
      if cell.receivedMonth == month { received += n }
      if inCohort { cohortReceived += n }
    }
  }
}
