import Foundation

/// The days of the Chinese lunisolar calendar that fall holidays are fixed to, for one Gregorian
/// year, from Foundation's Chinese calendar (ICU's, which follows the Purple Mountain Observatory's
/// rules and reckons the day in UTC+8, as GB/T 33661-2017 does).
struct LunarDates: Sendable {
  /// 正月初一, the lunar new year that falls in the year (between 21 January and 20 February).
  let newYear: CivilDate
  /// 五月初五, 端午.
  let dragonBoat: CivilDate
  /// 八月十五, 中秋.
  let midAutumn: CivilDate

  init(_ year: Int) {
    var chinese = Calendar(identifier: .chinese)
    chinese.timeZone = Self.chinaStandardTime
    let january1 = Self.instant(CivilDate(year: year, month: 1, day: 1)!)
    func next(month: Int, day: Int, after start: Date) -> Date {
      var wanted = DateComponents(month: month, day: day)
      // A leap month repeats a month's number after it: 端午 and 中秋 are in the ordinary one.
      wanted.isLeapMonth = false
      guard let found = chinese.nextDate(after: start, matching: wanted, matchingPolicy: .strict) else {
        preconditionFailure("Foundation's Chinese calendar has no month \(month) day \(day) after \(start)")
      }
      return found
    }
    let newYear = next(month: 1, day: 1, after: january1)
    self.newYear = Self.day(of: newYear)
    dragonBoat = Self.day(of: next(month: 5, day: 5, after: newYear))
    midAutumn = Self.day(of: next(month: 8, day: 15, after: newYear))
  }

  private static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600)!

  private static func instant(_ day: CivilDate) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day.ordinal) * 86_400 - 8 * 3600)
  }

  private static func day(of instant: Date) -> CivilDate {
    CivilDate(ordinal: Int(((instant.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)))
  }
}
