import Foundation

/// The days of the Chinese lunisolar calendar that fall holidays are fixed to, for one Gregorian
/// year: Foundation's Chinese calendar (ICU's, which follows the Purple Mountain Observatory's rules
/// and reckons the day in UTC+8, as GB/T 33661-2017 does).
///
/// For 1901–2100 the dates come from a table worked out with that calendar, because opening ICU's
/// Chinese calendar costs a command about ten milliseconds and every intake asks for next year's
/// holidays while it is provisional; a test checks every year of the table against Foundation.
/// Other years ask Foundation.
struct LunarDates: Sendable, Equatable {
  /// 正月初一, the lunar new year that falls in the year (between 21 January and 20 February).
  let newYear: CivilDate
  /// 五月初五, 端午.
  let dragonBoat: CivilDate
  /// 八月十五, 中秋.
  let midAutumn: CivilDate

  init(_ year: Int) {
    guard Self.tabled.contains(year) else {
      self = Self.computed(year)
      return
    }
    let january1 = CivilDate(year: year, month: 1, day: 1)!
    let row = (year - Self.tabled.lowerBound) * 3
    newYear = january1.adding(days: Int(Self.table[row]))
    dragonBoat = january1.adding(days: Int(Self.table[row + 1]))
    midAutumn = january1.adding(days: Int(Self.table[row + 2]))
  }

  private init(newYear: CivilDate, dragonBoat: CivilDate, midAutumn: CivilDate) {
    self.newYear = newYear
    self.dragonBoat = dragonBoat
    self.midAutumn = midAutumn
  }

  /// The years of ``table``.
  static let tabled = 1901...2100

  /// The dates as Foundation's Chinese calendar gives them, read day by day off the year: its
  /// `nextDate(after:matching:)` skips a year where the sixty-year cycle turns (2044), and a day's
  /// own components do not.
  static func computed(_ year: Int) -> LunarDates {
    var chinese = Calendar(identifier: .chinese)
    chinese.timeZone = chinaStandardTime
    var found: [Int: CivilDate] = [:]
    var day = CivilDate(year: year, month: 1, day: 1)!
    while day.year == year {
      // Noon, well inside the day in UTC+8.
      let parts = chinese.dateComponents(
        [.month, .day, .isLeapMonth], from: instant(day).addingTimeInterval(12 * 3600))
      // A leap month repeats a month's number after it: 端午 and 中秋 are in the ordinary one.
      if parts.isLeapMonth != true, let month = parts.month, let dayOfMonth = parts.day {
        switch (month, dayOfMonth) {
        case (1, 1): found[1] = day
        case (5, 5): found[5] = day
        case (8, 15): found[8] = day
        default: break
        }
      }
      day = day.adding(days: 1)
    }
    guard let newYear = found[1], let dragonBoat = found[5], let midAutumn = found[8] else {
      preconditionFailure("Foundation's Chinese calendar gives no new year, 端午 or 中秋 in \(year)")
    }
    return LunarDates(newYear: newYear, dragonBoat: dragonBoat, midAutumn: midAutumn)
  }

  private static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600)!

  private static func instant(_ day: CivilDate) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day.ordinal) * 86_400 - 8 * 3600)
  }

  /// For each year of ``tabled``: days from 1 January to 正月初一, 端午 and 中秋 (generated with
  /// ``computed(_:)``, day by day).
  private static let table: [UInt16] = [
    49, 170, 269, 38, 160, 258, 28, 150, 277, 46, 169, 267, 34, 157, 255, 24, 176, 274, 43, 165, 264,
    32, 154, 253, 21, 172, 270, 40, 161, 260, 29, 151, 278, 48, 170, 268, 36, 159, 257, 25, 148, 276,
    44, 167, 265, 34, 156, 255, 22, 173, 272, 41, 163, 261, 31, 152, 280, 50, 171, 269, 38, 160, 258,
    27, 150, 277, 46, 168, 267, 35, 157, 256, 23, 175, 274, 43, 164, 263, 32, 154, 252, 22, 173, 271,
    40, 161, 259, 29, 151, 278, 47, 170, 268, 36, 159, 258, 25, 147, 276, 44, 166, 265, 34, 155, 254,
    23, 174, 273, 41, 163, 261, 30, 152, 280, 49, 171, 269, 38, 161, 259, 26, 149, 277, 45, 168, 266,
    35, 157, 256, 24, 176, 274, 43, 164, 262, 32, 154, 252, 21, 173, 271, 40, 162, 260, 28, 151, 278,
    47, 169, 268, 36, 159, 257, 26, 148, 276, 44, 165, 264, 33, 155, 253, 23, 174, 272, 42, 164, 262,
    30, 152, 250, 48, 171, 269, 38, 160, 259, 27, 149, 278, 45, 167, 266, 35, 156, 255, 24, 175, 274,
    43, 165, 263, 32, 154, 252, 20, 173, 271, 39, 162, 260, 29, 151, 279, 47, 169, 268, 36, 158, 257,
    26, 147, 275, 45, 166, 265, 33, 155, 253, 22, 174, 272, 41, 164, 262, 30, 153, 251, 48, 171, 269,
    37, 160, 259, 27, 149, 277, 46, 168, 266, 35, 156, 254, 24, 175, 273, 43, 165, 263, 32, 155, 253,
    50, 172, 271, 39, 161, 260, 28, 150, 279, 47, 169, 268, 36, 158, 256, 26, 147, 275, 45, 166, 264,
    34, 156, 254, 22, 174, 272, 40, 163, 262, 30, 152, 251, 49, 171, 270, 37, 159, 258, 27, 149, 277,
    46, 168, 266, 35, 157, 255, 23, 175, 273, 42, 165, 263, 31, 154, 253, 21, 173, 271, 39, 161, 260,
    28, 150, 278, 48, 169, 267, 37, 159, 257, 25, 147, 275, 44, 166, 264, 33, 156, 254, 22, 174, 273,
    40, 162, 261, 30, 152, 250, 49, 170, 269, 38, 160, 258, 27, 149, 276, 46, 168, 266, 35, 157, 255,
    24, 176, 274, 42, 164, 263, 31, 153, 252, 21, 172, 271, 40, 161, 260, 28, 150, 278, 47, 169, 267,
    36, 159, 257, 25, 148, 276, 43, 166, 264, 33, 155, 254, 22, 174, 273, 41, 163, 262, 30, 151, 250,
    49, 170, 269, 38, 160, 258, 27, 150, 277, 45, 168, 266, 34, 157, 255, 23, 146, 274, 42, 165, 263,
    31, 153, 252, 21, 172, 270, 40, 161, 259, 29, 151, 278, 47, 169, 267, 36, 158, 257, 25, 148, 276,
    44, 166, 265, 32, 154, 253, 22, 173, 272, 41, 163, 261, 31, 152, 250, 49, 170, 268, 38, 160, 258,
    27, 149, 277, 45, 168, 267, 34, 156, 255, 23, 175, 274, 42, 164, 263, 32, 154, 252, 20, 172, 270,
    39, 161, 259, 28, 151, 278, 47, 170, 268, 35, 158, 257, 25, 147, 275, 44, 166, 265, 33, 155, 254,
    22, 173, 271, 41, 163, 261, 30, 152, 250, 49, 171, 269, 37, 160, 258, 26, 149, 277, 45, 167, 266,
    35, 157, 255, 23, 174, 273, 42, 164, 262, 32, 154, 252, 21, 173, 271, 39, 161, 259, 28, 151, 278,
    47, 169, 268, 36, 158, 257, 25, 146, 275, 44, 165, 264, 33, 155, 253, 23, 174, 272, 40, 163, 260,
    29, 152, 250, 48, 171, 269, 37, 160, 259, 26, 148, 277, 45, 167, 266, 35, 156, 255, 24, 175, 273,
    42, 164, 262, 31, 154, 251, 20, 173, 271, 39, 162, 260,
  ]
}
