/// A day in the office's calendar, without a time or a time zone (a 民法典 period counts days).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Nil when the day does not exist (2021-02-30).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= Self.length(ofMonth: month, in: year) else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses `2021-09-28`.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  public var ordinal: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
    return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
  }

  public init(ordinal: Int) {
    let z = ordinal + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    day = doy - (153 * mp + 2) / 5 + 1
    month = mp < 10 ? mp + 3 : mp - 9
    year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// ISO weekday: 1 Monday … 7 Sunday.
  public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }

  public var isWeekend: Bool { weekday >= 6 }

  public func adding(days: Int) -> CivilDate { CivilDate(ordinal: ordinal + days) }

  /// The same day `count` months later; a day the later month lacks becomes its last day
  /// (31 January + 1 month = 28 or 29 February), as 民法典 Art. 202 counts a month.
  public func adding(months count: Int) -> CivilDate {
    let index = year * 12 + (month - 1) + count
    let newYear = index / 12
    let newMonth = index % 12 + 1
    return CivilDate(
      year: newYear, month: newMonth, day: min(day, Self.length(ofMonth: newMonth, in: newYear)))!
  }

  public static func length(ofMonth month: Int, in year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool { a.ordinal < b.ordinal }

  public var description: String {
    let m = month < 10 ? "0\(month)" : "\(month)"
    let d = day < 10 ? "0\(day)" : "\(day)"
    return "\(year)-\(m)-\(d)"
  }
}
