import Testing

@testable import DocketCore

/// The shipped (published) calendar's rest days in `year`: its holidays, and the weekend days it
/// did not make working days.
private func publishedRestDays(_ year: Int) -> Set<CivilDate> {
  var rest: Set<CivilDate> = []
  var date = CivilDate(year: year, month: 1, day: 1)!
  while date.year == year {
    if !shipped.isWorkingDay(date) { rest.insert(date) }
    date = date.adding(days: 1)
  }
  return rest
}

@Suite("The provisional calendar: statutory holidays for years without a published schedule")
struct ProvisionalCalendarTests {
  @Test(
    "every statutory holiday and day in lieu is a day off in the published schedule", arguments: 2020...2026)
  func statutoryDaysAreOff(year: Int) {
    let rest = publishedRestDays(year)
    for holiday in StatutoryHolidays.days(in: year) {
      #expect(
        rest.contains(holiday.date), "\(holiday.name) \(holiday.date) is a working day in \(year)'s schedule")
    }
  }

  @Test(
    "the published schedule differs only by 调休: each weekday it adds off is paid back by a weekend working day",
    arguments: 2020...2026)
  func onlyAdjustmentsDiffer(year: Int) {
    let statutory = Set(StatutoryHolidays.days(in: year).map(\.date))
    let movedOff = publishedRestDays(year).filter { !$0.isWeekend && !statutory.contains($0) }
    let madeWorking = shipped.exceptions.filter { $0.key.year == year && $0.value == .workday }
    // 2020's Spring Festival was extended for the epidemic (国办发明电〔2020〕1号): 31 January off, and
    // Saturday 1 February no longer worked; two days that nothing paid back.
    let unpaid = year == 2020 ? 2 : 0
    #expect(
      movedOff.count == madeWorking.count + unpaid,
      "\(movedOff.sorted()) against \(madeWorking.keys.sorted())")
  }

  @Test("2027: the statutory days as the 2024 amendment gives them, with days in lieu for weekends")
  func year2027() {
    let days = StatutoryHolidays.days(in: 2027)
    let expected: [(String, String)] = [
      ("2027-01-01", "元旦"),
      // 除夕 is Friday 5 February; 初一 and 初二 fall on the weekend, so 9 and 10 February are given.
      ("2027-02-05", "春节"), ("2027-02-06", "春节"), ("2027-02-07", "春节"), ("2027-02-08", "春节"),
      ("2027-02-09", "春节补假"), ("2027-02-10", "春节补假"),
      ("2027-04-05", "清明节"),
      ("2027-05-01", "劳动节"), ("2027-05-02", "劳动节"), ("2027-05-03", "劳动节补假"), ("2027-05-04", "劳动节补假"),
      ("2027-06-09", "端午节"), ("2027-09-15", "中秋节"),
      ("2027-10-01", "国庆节"), ("2027-10-02", "国庆节"), ("2027-10-03", "国庆节"),
      ("2027-10-04", "国庆节补假"), ("2027-10-05", "国庆节补假"),
    ]
    #expect(days.map { "\($0.date) \($0.name)" } == expected.map { "\($0.0) \($0.1)" })
    let calendar = WorkingCalendar(publishedYears: [])
    #expect(!calendar.isWorkingDay(day("2027-02-10")))
    #expect(calendar.isWorkingDay(day("2027-02-11")))
    // No 调休 is guessed: the Saturday after the Spring Festival stays a rest day.
    #expect(!calendar.isWorkingDay(day("2027-02-20")))
  }

  @Test("a festival on another festival's day is owed a day, as 2020's 中秋 on National Day was")
  func overlap() {
    let october = StatutoryHolidays.days(in: 2020).filter { $0.date.month == 10 }
    // 中秋 fell on 1 October, and 3 October was a Saturday: two days in lieu, 5 and 6 October.
    #expect(
      october.map(\.date.description) == [
        "2020-10-01", "2020-10-02", "2020-10-03", "2020-10-05", "2020-10-06",
      ])
    #expect(october.filter(\.inLieu).count == 2)
  }

  @Test("the law in force each year: 春节 from 除夕 and a second 劳动节 day only from 2025")
  func lawVersions() {
    func festival(_ year: Int, _ name: String) -> [String] {
      StatutoryHolidays.days(in: year).filter { $0.festival == name && !$0.inLieu }.map(\.date.description)
    }
    #expect(festival(2024, "春节") == ["2024-02-10", "2024-02-11", "2024-02-12"])
    #expect(festival(2025, "春节") == ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"])
    #expect(festival(2024, "劳动节") == ["2024-05-01"])
    #expect(festival(2025, "劳动节") == ["2025-05-01", "2025-05-02"])
    // 2008–2013: 除夕, 初一, 初二.
    #expect(festival(2013, "春节") == ["2013-02-09", "2013-02-10", "2013-02-11"])
  }

  @Test("清明 falls on the day the almanacs' 寿星 formula gives, 2001 to 2099")
  func qingming() {
    for year in 2001...2099 {
      let y = year % 100
      // [Y × 0.2422 + C] − [Y / 4] with C = 4.81 for the 21st century (a term after February counts
      // this year's leap day too).
      let formula = Int(Double(y) * 0.2422 + 4.81) - y / 4
      #expect(SolarTerms.qingming(year) == CivilDate(year: year, month: 4, day: formula), "\(year)")
    }
  }

  @Test("a 15-working-day clock across the 2027 Spring Festival skips the statutory week")
  func springFestival2027() {
    // From Monday 2027-01-25: 26–29 January (4), 1–4 February (8), then 5–10 February are off
    // (除夕 to 初三, and two days in lieu), 11–12 February (10), 15–19 February (15).
    let due = shipped.addingWorkingDays(15, to: day("2027-01-25"))
    #expect(due == day("2027-02-19"))
    #expect(shipped.isProvisional(from: day("2027-01-26"), through: due))
    // Published with 5–11 February off and Saturday 20 February worked instead of Thursday 11th,
    // the fifteenth working day is that Saturday.
    var published = shipped
    var schedule: [CivilDate: WorkingCalendar.DayKind] = [day("2027-02-20"): .workday]
    for offset in 0..<7 { schedule[day("2027-02-05").adding(days: offset)] = .holiday }
    published.setYear(2027, exceptions: schedule)
    #expect(published.addingWorkingDays(15, to: day("2027-01-25")) == day("2027-02-20"))
    #expect(!published.isProvisional(from: day("2027-01-26"), through: day("2027-02-20")))
  }
}

@Suite("Lunar dates")
struct LunarDatesTests {
  @Test(
    "the table of lunar dates agrees with Foundation's Chinese calendar, read day by day, for every year it holds"
  )
  func table() {
    for year in LunarDates.tabled {
      let dates = LunarDates(year)
      #expect(dates == LunarDates.computed(year), "\(year)")
      // Each in its own year and season, whatever the source: a skipped cycle would land a year late.
      #expect(dates.newYear >= CivilDate(year: year, month: 1, day: 21)!, "\(year)")
      #expect(dates.newYear <= CivilDate(year: year, month: 2, day: 20)!, "\(year)")
      #expect(dates.dragonBoat.year == year && (5...6).contains(dates.dragonBoat.month), "\(year)")
      #expect(dates.midAutumn.year == year && (9...10).contains(dates.midAutumn.month), "\(year)")
    }
    // Where the sixty-year cycle turns: 2044's 端午 and 中秋.
    #expect(LunarDates(2044).dragonBoat == CivilDate("2044-05-31"))
    #expect(LunarDates(2044).midAutumn == CivilDate("2044-10-05"))
    // Outside the table Foundation answers: 2101's new year is 29 January.
    #expect(LunarDates(2101).newYear == CivilDate("2101-01-29"))
  }
}
