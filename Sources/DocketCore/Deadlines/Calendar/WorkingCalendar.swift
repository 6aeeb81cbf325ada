import Foundation

/// Which days are working days: Monday to Friday, minus public holidays, plus the weekend days
/// declared working days (调休).
///
/// A year whose State Council schedule the office has imported (a *published* year) is counted by
/// that schedule. Any other year is *provisional*: counted by the statutory holidays alone
/// (``StatutoryHolidays``), without 调休, which cannot be known before it is published. Every
/// question has an answer; ``isProvisional(from:through:)`` says whether it rests on a provisional
/// year, so that a due date can be shown as provisional until the schedule is imported.
///
/// Periods are counted as the law counts them (民法典 Arts. 201 and 203): the day a clock starts is
/// not counted, and a period in calendar days or months whose last day is a rest day ends on the next
/// working day.
public struct WorkingCalendar: Sendable, Equatable {
  public enum DayKind: String, Sendable, Codable, CaseIterable {
    case holiday, workday
  }

  /// The days of the published schedules that differ from the plain Monday-to-Friday week.
  public private(set) var exceptions: [CivilDate: DayKind]
  /// The years whose State Council schedule is known.
  public private(set) var publishedYears: Set<Int>
  /// Running totals of working days, built for the years asked about and kept: a board asks for
  /// every open item, and a provisional year costs a few calls into the Chinese calendar.
  private var cache: IndexCache

  public init(exceptions: [CivilDate: DayKind] = [:], publishedYears: Set<Int>) {
    self.exceptions = exceptions
    self.publishedYears = publishedYears
    self.cache = IndexCache(exceptions: exceptions, publishedYears: publishedYears)
  }

  public static func == (a: WorkingCalendar, b: WorkingCalendar) -> Bool {
    a.exceptions == b.exceptions && a.publishedYears == b.publishedYears
  }

  /// Whether `year` is counted by the statutory holidays only, its schedule not yet imported.
  public func isProvisional(year: Int) -> Bool { !publishedYears.contains(year) }

  /// Whether any day from `from` through `through` is in a provisional year.
  public func isProvisional(from: CivilDate, through: CivilDate) -> Bool {
    (min(from.year, through.year)...max(from.year, through.year)).contains(where: isProvisional(year:))
  }

  /// Whether `date` is a working day.
  public func isWorkingDay(_ date: CivilDate) -> Bool {
    cache.index(covering: date.year...date.year).isWorkingDay(date.ordinal)
  }

  /// The day on which `count` working days after `start` end; `start` itself is not counted.
  public func addingWorkingDays(_ count: Int, to start: CivilDate) -> CivilDate {
    guard count > 0 else { return start }
    // About 250 working days a year; a year more than that estimate, widened if still short.
    var span = count / 240 + 1
    while true {
      let index = cache.index(covering: start.year...(start.year + span))
      if let end = index.ordinal(ofWorkingDay: index.count(through: start.ordinal) + count) {
        return CivilDate(ordinal: end)
      }
      span *= 2
    }
  }

  /// `count` calendar days after `start`, moved to the next working day if it falls on a rest day.
  public func addingCalendarDays(_ count: Int, to start: CivilDate) -> CivilDate {
    nextWorkingDay(onOrAfter: start.adding(days: count))
  }

  /// `count` months after `start` (month ends clamp), moved to the next working day if it is a rest day.
  public func addingMonths(_ count: Int, to start: CivilDate) -> CivilDate {
    nextWorkingDay(onOrAfter: start.adding(months: count))
  }

  /// `date` itself when it is a working day, else the first working day after it.
  public func nextWorkingDay(onOrAfter date: CivilDate) -> CivilDate {
    isWorkingDay(date) ? date : addingWorkingDays(1, to: date)
  }

  /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier.
  public func workingDays(from: CivilDate, to: CivilDate) -> Int {
    if to < from { return -workingDays(from: to, to: from) }
    if to == from { return 0 }
    let index = cache.index(covering: from.year...to.year)
    return index.count(through: to.ordinal) - index.count(through: from.ordinal)
  }

  /// Adds or replaces a year's published schedule: its exceptions, and the year as published.
  public mutating func setYear(_ year: Int, exceptions yearExceptions: [CivilDate: DayKind]) {
    exceptions = exceptions.filter { $0.key.year != year }
    for (date, kind) in yearExceptions where date.year == year { exceptions[date] = kind }
    publishedYears.insert(year)
    cache = IndexCache(exceptions: exceptions, publishedYears: publishedYears)
  }
}

/// The widest ``DayIndex`` built so far for one calendar. Shared by the copies of a calendar
/// (`setYear` gives the changed one a cache of its own), and by the threads a handover batch runs on.
private final class IndexCache: @unchecked Sendable {
  private let exceptions: [CivilDate: WorkingCalendar.DayKind]
  private let publishedYears: Set<Int>
  private let lock = NSLock()
  private var built: DayIndex?

  init(exceptions: [CivilDate: WorkingCalendar.DayKind], publishedYears: Set<Int>) {
    self.exceptions = exceptions
    self.publishedYears = publishedYears
  }

  /// An index that covers at least `years`; days before the first year it covers count as none.
  func index(covering years: ClosedRange<Int>) -> DayIndex {
    lock.lock()
    defer { lock.unlock() }
    if let built, built.firstYear <= years.lowerBound, built.lastYear >= years.upperBound { return built }
    // The published years are cheap to include (no lunar dates to work out) and are what most
    // questions are about; a provisional year is built only once something asks about it.
    let first = min(years.lowerBound, built?.firstYear ?? .max, publishedYears.min() ?? .max)
    let last = max(years.upperBound, built?.lastYear ?? .min, publishedYears.max() ?? .min)
    let index = DayIndex(years: first...last, exceptions: exceptions, publishedYears: publishedYears)
    built = index
    return index
  }
}

/// Running totals of working days over a span of whole years.
private struct DayIndex: Sendable {
  let firstYear: Int
  let lastYear: Int
  /// Day 0 of the index: 1 January of `firstYear`.
  let firstOrdinal: Int
  /// `totals[i]`: working days from day 0 through day i.
  let totals: [Int32]

  init(years: ClosedRange<Int>, exceptions: [CivilDate: WorkingCalendar.DayKind], publishedYears: Set<Int>) {
    firstYear = years.lowerBound
    lastYear = years.upperBound
    firstOrdinal = CivilDate(year: firstYear, month: 1, day: 1)!.ordinal
    var provisional: Set<CivilDate> = []
    for year in years where !publishedYears.contains(year) {
      for day in StatutoryHolidays.days(in: year) { provisional.insert(day.date) }
    }
    let days = CivilDate(year: lastYear + 1, month: 1, day: 1)!.ordinal - firstOrdinal
    var totals = [Int32](repeating: 0, count: days)
    var running: Int32 = 0
    var year = firstYear
    var published = publishedYears.contains(year)
    for i in 0..<days {
      let date = CivilDate(ordinal: firstOrdinal + i)
      if date.year != year {
        year = date.year
        published = publishedYears.contains(year)
      }
      let working =
        published
        ? (exceptions[date].map { $0 == .workday } ?? !date.isWeekend)
        : !date.isWeekend && !provisional.contains(date)
      if working { running += 1 }
      totals[i] = running
    }
    self.totals = totals
  }

  /// Working days from day 0 through `ordinal`, which must not be after the index's last day; a
  /// day before the index counts none.
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
