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

  /// The dates as Foundation's Chinese calendar gives them.
  static func computed(_ year: Int) -> LunarDates {
    var chinese = Calendar(identifier: .chinese)
    chinese.timeZone = chinaStandardTime
    let january1 = instant(CivilDate(year: year, month: 1, day: 1)!)
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
    return LunarDates(
      newYear: day(of: newYear), dragonBoat: day(of: next(month: 5, day: 5, after: newYear)),
      midAutumn: day(of: next(month: 8, day: 15, after: newYear)))
  }

  private static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600)!

  private static func instant(_ day: CivilDate) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day.ordinal) * 86_400 - 8 * 3600)
  }

  private static func day(of instant: Date) -> CivilDate {
    CivilDate(ordinal: Int(((instant.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)))
  }

  /// For each year of ``tabled``: days from 1 January to 正月初一, 端午 and 中秋 (generated with
  /// ``computed(_:)``).
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
    31, 153, 252, 21, 172, 270, 40, 161, 259, 29, 535, 633, 47, 523, 622, 36, 513, 641, 25, 531, 630,
    44, 520, 619, 32, 538, 637, 22, 528, 626, 41, 517, 615, 31, 536, 634, 49, 525, 623, 38, 514, 642,
    27, 533, 632, 45, 522, 621, 34, 540, 639, 23, 529, 628, 42, 519, 617, 32, 538, 636, 20, 526, 624,
    39, 516, 643, 28, 535, 633, 47, 524, 623, 35, 512, 640, 25, 531, 630, 44, 520, 619, 33, 539, 637,
    22, 528, 626, 41, 517, 615, 30, 536, 634, 49, 526, 624, 37, 514, 642, 26, 532, 631, 45, 522, 620,
    35, 540, 639, 23, 529, 627, 42, 519, 617, 32, 538, 636, 21, 527, 625, 39, 516, 643, 28, 534, 633,
    47, 523, 622, 36, 512, 641, 25, 530, 629, 44, 520, 618, 33, 539, 637, 23, 529, 626, 40, 517, 615,
    29, 536, 634, 48, 525, 624, 37, 514, 643, 26, 532, 631, 45, 521, 620, 35, 540, 638, 24, 530, 628,
    42, 519, 616, 31, 538, 636, 20, 527, 625, 39, 516, 644,
  ]
}
