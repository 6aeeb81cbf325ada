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

  public init(exceptions: [CivilDate: DayKind] = [:], years: Set<Int>) {
    self.exceptions = exceptions
    self.years = years
  }

  /// Whether `date` is a working day.
  public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
    guard years.contains(date.year) else { throw CalendarError(missingYear: date.year, asked: date) }
    switch exceptions[date] {
    case .holiday: return false
    case .workday: return true
    case nil: return !date.isWeekend
    }
  }

  /// The day on which `count` working days after `start` end; `start` itself is not counted.
  public func addingWorkingDays(_ count: Int, to start: CivilDate) throws(CalendarError) -> CivilDate {
    var date = start
    var remaining = count
    while remaining > 0 {
      date = date.adding(days: 1)
      if try isWorkingDay(date) { remaining -= 1 }
    }
    return date
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
    var day = date
    while try !isWorkingDay(day) { day = day.adding(days: 1) }
    return day
  }

  /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier.
  public func workingDays(from: CivilDate, to: CivilDate) throws(CalendarError) -> Int {
    if to < from { return -(try workingDays(from: to, to: from)) }
    var count = 0
    var day = from
    while day < to {
      day = day.adding(days: 1)
      if try isWorkingDay(day) { count += 1 }
    }
    return count
  }

  /// Adds or replaces a year's schedule: its exceptions, and the year as covered.
  public mutating func setYear(_ year: Int, exceptions yearExceptions: [CivilDate: DayKind]) {
    exceptions = exceptions.filter { $0.key.year != year }
    for (date, kind) in yearExceptions where date.year == year { exceptions[date] = kind }
    years.insert(year)
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
