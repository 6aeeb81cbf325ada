/// The public holidays that the law itself fixes for a year (全国年节及纪念日放假办法, Art. 2 and
/// Art. 4), for the years whose State Council schedule is not yet published.
///
/// The law fixes the festivals and their days, and gives a working day off in place of a festival
/// day that falls on a weekend or on another festival (补假), so all of that is known years ahead.
/// What is not known is the State Council's 调休: the weekend days it declares working days so that
/// a holiday joins up with the weekend. A provisional calendar therefore has every statutory day off
/// and no adjusted working day; where the published schedule later moves a working day, the
/// provisional due dates move with it when the schedule is imported.
public enum StatutoryHolidays {
  /// One day off the law gives.
  public struct Day: Sendable, Equatable {
    public var date: CivilDate
    /// The festival: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节.
    public var festival: String
    /// A working day given in place of a festival day that fell on a weekend or another festival.
    public var inLieu: Bool

    /// The name as a schedule lists it: 春节, or 春节补假 for a day in lieu.
    public var name: String { inLieu ? festival + "补假" : festival }
  }

  /// The days off of `year` in date order, by the version of the law in force that year: the
  /// amendment of 2024 from 2025 on (春节 from 除夕, four days; 劳动节 two), that of 2013 from 2014,
  /// that of 2007 from 2008, and that of 1999 before.
  public static func days(in year: Int) -> [Day] {
    var taken: Set<CivilDate> = []
    var out: [Day] = []
    for (festival, days) in festivals(year).sorted(by: { $0.days[0] < $1.days[0] }) {
      var owed = 0
      for date in days {
        // A day two festivals share is one day off, owed again like a weekend.
        let fresh = taken.insert(date).inserted
        if date.isWeekend || !fresh { owed += 1 }
        if fresh { out.append(Day(date: date, festival: festival, inLieu: false)) }
      }
      // The day in lieu is the first working day after the festival that is not already off.
      var candidate = days[days.count - 1]
      while owed > 0 {
        candidate = candidate.adding(days: 1)
        guard !candidate.isWeekend, taken.insert(candidate).inserted else { continue }
        out.append(Day(date: candidate, festival: festival, inLieu: true))
        owed -= 1
      }
    }
    return out.sorted { $0.date < $1.date }
  }

  private static func festivals(_ year: Int) -> [(festival: String, days: [CivilDate])] {
    func date(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
    func run(_ first: CivilDate, _ count: Int) -> [CivilDate] { (0..<count).map { first.adding(days: $0) } }
    let lunar = LunarDates(year)
    let newYearsEve = lunar.newYear.adding(days: -1)
    if year < 2008 {
      return [
        ("元旦", [date(1, 1)]), ("春节", run(lunar.newYear, 3)), ("劳动节", run(date(5, 1), 3)),
        ("国庆节", run(date(10, 1), 3)),
      ]
    }
    let springFestival =
      switch year {
      case ..<2014: run(newYearsEve, 3)
      case ..<2025: run(lunar.newYear, 3)
      default: run(newYearsEve, 4)
      }
    return [
      ("元旦", [date(1, 1)]), ("春节", springFestival), ("清明节", [SolarTerms.qingming(year)]),
      ("劳动节", run(date(5, 1), year < 2025 ? 1 : 2)), ("端午节", [lunar.dragonBoat]),
      ("中秋节", [lunar.midAutumn]), ("国庆节", run(date(10, 1), 3)),
    ]
  }
}
