/// Which days are working days: Monday to Friday, minus public holidays, plus the weekend days
/// declared working days (调休), for the years whose schedule the office has.
///
/// Periods are counted as the law counts them (民法典 Arts. 201 and 203): the day a clock starts is
/// not counted, and a period in calendar days or months whose last day is a rest day ends on the next
/// working day. A question about a year whose schedule is missing is an error, never a guess.
public struct WorkingCalendar: Sendable, Equatable {
  public enum DayKind: String, Sendable, Codable, CaseIterable {
    case holiday, workday
  }

  /// The days that differ from the plain Monday-to-Friday week.
  public private(set) var exceptions: [CivilDate: DayKind]
  /// The years whose State Council schedule is known.
  public private(set) var years: Set<Int>
  /// Working days counted from the first known year, so that a question costs a lookup, not a
  /// walk over the days: boards ask it for every open item.
  private var index: DayIndex

  public init(exceptions: [CivilDate: DayKind] = [:], years: Set<Int>) {
    self.exceptions = exceptions
    self.years = years
    self.index = DayIndex(exceptions: exceptions, years: years)
  }

  public static func == (a: WorkingCalendar, b: WorkingCalendar) -> Bool {
    a.exceptions == b.exceptions && a.years == b.years
  }

  /// Whether `date` is a working day.
  public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
    try index.requireCovered(from: date, through: date)
    return index.isWorkingDay(date.ordinal)
  }

  /// The day on which `count` working days after `start` end; `start` itself is not counted.
  public func addingWorkingDays(_ count: Int, to start: CivilDate) throws(CalendarError) -> CivilDate {
    guard count > 0 else { return start }
    // The day after `start` is the first the count looks at, so it is the first that must be known.
    let next = start.adding(days: 1)
    try index.requireCovered(from: next, through: next)
    guard let end = index.ordinal(ofWorkingDay: index.count(through: start.ordinal) + count) else {
      try index.requireCovered(from: next, through: index.lastDay.adding(days: 1))
      preconditionFailure("the day after the calendar's last day is in an unknown year")
    }
    let due = CivilDate(ordinal: end)
    try index.requireCovered(from: next, through: due)
    return due
  }

  /// `count` calendar days after `start`, moved to the next working day if it falls on a rest day.
  public func addingCalendarDays(_ count: Int, to start: CivilDate) throws(CalendarError) -> CivilDate {
    try nextWorkingDay(onOrAfter: start.adding(days: count))
  }

  /// `count` months after `start` (month ends clamp), moved to the next working day if it is a rest day.
  public func addingMonths(_ count: Int, to start: CivilDate) throws(CalendarError) -> CivilDate {
    try nextWorkingDay(onOrAfter: start.adding(months: count))
  }

  /// `date` itself when it is a working day, else the first working day after it.
  public func nextWorkingDay(onOrAfter date: CivilDate) throws(CalendarError) -> CivilDate {
    if try isWorkingDay(date) { return date }
    return try addingWorkingDays(1, to: date)
  }

  /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier.
  public func workingDays(from: CivilDate, to: CivilDate) throws(CalendarError) -> Int {
    if to < from { return -(try workingDays(from: to, to: from)) }
    if to == from { return 0 }
    try index.requireCovered(from: from.adding(days: 1), through: to)
    return index.count(through: to.ordinal) - index.count(through: from.ordinal)
  }

  /// Adds or replaces a year's schedule: its exceptions, and the year as covered.
  public mutating func setYear(_ year: Int, exceptions yearExceptions: [CivilDate: DayKind]) {
    exceptions = exceptions.filter { $0.key.year != year }
    for (date, kind) in yearExceptions where date.year == year { exceptions[date] = kind }
    years.insert(year)
    index = DayIndex(exceptions: exceptions, years: years)
  }
}

/// Running totals of working days over the span of the known years.
private struct DayIndex: Sendable {
  /// The first year known; day 0 of the index is its 1 January.
  let firstYear: Int
  let firstOrdinal: Int
  /// Whether each year from `firstYear` on is known.
  let covered: [Bool]
  /// `totals[i]`: working days from day 0 through day i.
  let totals: [Int32]

  init(exceptions: [CivilDate: WorkingCalendar.DayKind], years: Set<Int>) {
    firstYear = years.min() ?? 0
    let lastYear = years.max() ?? -1
    firstOrdinal = CivilDate(year: max(firstYear, 1), month: 1, day: 1)!.ordinal
    covered = years.isEmpty ? [] : (firstYear...lastYear).map(years.contains)
    let days = years.isEmpty ? 0 : CivilDate(year: lastYear + 1, month: 1, day: 1)!.ordinal - firstOrdinal
    var totals = [Int32](repeating: 0, count: days)
    var running: Int32 = 0
    for i in 0..<days {
      let date = CivilDate(ordinal: firstOrdinal + i)
      let working =
        switch exceptions[date] {
        case .holiday: false
        case .workday: true
        case nil: !date.isWeekend
        }
      if working { running += 1 }
      totals[i] = running
    }
    self.totals = totals
  }

  var lastDay: CivilDate { CivilDate(ordinal: firstOrdinal + totals.count - 1) }

  /// Throws for the first year from `from` through `through` whose schedule is missing.
  func requireCovered(from: CivilDate, through: CivilDate) throws(CalendarError) {
    for year in from.year...max(from.year, through.year) {
      let slot = year - firstYear
      if slot < 0 || slot >= covered.count || !covered[slot] {
        let asked = year == from.year ? from : CivilDate(year: year, month: 1, day: 1)!
        throw CalendarError(missingYear: year, asked: asked)
      }
    }
  }

  /// Working days from day 0 through `ordinal`; the ordinal must be before the index's end, and
  /// may be before its start (a clock started on the last day of an unknown year).
  func count(through ordinal: Int) -> Int {
    ordinal < firstOrdinal ? 0 : Int(totals[ordinal - firstOrdinal])
  }

  func isWorkingDay(_ ordinal: Int) -> Bool {
    let i = ordinal - firstOrdinal
    return totals[i] != (i == 0 ? 0 : totals[i - 1])
  }

  /// The day on which the running total first reaches `total`, or nil past the index's end.
  func ordinal(ofWorkingDay total: Int) -> Int? {
    var low = 0
    var high = totals.count
    while low < high {
      let mid = (low + high) / 2
      if Int(totals[mid]) < total { low = mid + 1 } else { high = mid }
    }
    return low < totals.count ? firstOrdinal + low : nil
  }
}

/// A date the calendar cannot answer for, because its year's schedule is missing.
public struct CalendarError: Error, Sendable, Equatable, CustomStringConvertible {
  public let missingYear: Int
  public let asked: CivilDate

  public var description: String {
    "The working-day calendar has no schedule for \(missingYear) (needed for \(asked)); import the State Council's holiday schedule for \(missingYear) with 'docket calendar import FILE'."
  }
}
