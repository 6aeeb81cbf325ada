import Foundation
import Testing

@testable import DocketCore

/// The calendar docket ships (sql/0002_calendar.sql), read the way the database would load it.
let shipped: WorkingCalendar = {
  let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("sql/0002_calendar.sql")
  let text = try! String(contentsOf: file, encoding: .utf8)
  var exceptions: [CivilDate: WorkingCalendar.DayKind] = [:]
  var years: Set<Int> = []
  for line in text.split(separator: "\n") {
    let fields = line.split(separator: "'")
    if line.hasPrefix("  ('"), fields.count >= 4, let date = CivilDate(String(fields[1])),
      let kind = WorkingCalendar.DayKind(rawValue: String(fields[3]))
    {
      exceptions[date] = kind
    } else if line.hasPrefix("  (20"), let year = Int(line.dropFirst(3).prefix(4)) {
      years.insert(year)
    }
  }
  return WorkingCalendar(exceptions: exceptions, publishedYears: years)
}()

func day(_ text: String) -> CivilDate { CivilDate(text)! }

@Suite("Working days and periods as the law counts them")
struct WorkingCalendarTests {
  @Test("the shipped calendar publishes 2020 to 2026")
  func coverage() {
    #expect(shipped.publishedYears == Set(2020...2026))
    #expect(shipped.exceptions[day("2021-10-09")] == .workday)
    #expect(shipped.exceptions[day("2021-10-01")] == .holiday)
  }

  @Test("15 working days from Tuesday 2021-09-28 end on Monday 2021-10-25, across National Day")
  func nationalDay() throws {
    #expect(shipped.addingWorkingDays(15, to: day("2021-09-28")) == day("2021-10-25"))
    #expect(shipped.addingWorkingDays(5, to: day("2021-09-28")) == day("2021-10-11"))
    // The adjusted working Saturday 9 October counts; the holiday week does not.
    #expect(shipped.isWorkingDay(day("2021-10-09")))
    #expect(!shipped.isWorkingDay(day("2021-10-07")))
    #expect(shipped.isWorkingDay(day("2021-09-26")))  // Sunday made a working day
  }

  @Test("5 working days across the Spring Festival")
  func springFestival() throws {
    // 2021: holiday 11–17 February, working Sunday 7 February and Saturday 20 February.
    #expect(shipped.addingWorkingDays(5, to: day("2021-02-08")) == day("2021-02-20"))
    #expect(shipped.addingWorkingDays(1, to: day("2021-02-06")) == day("2021-02-07"))
    // 2020: the holiday was extended to 2 February, so Saturday 1 February is no working day.
    #expect(!shipped.isWorkingDay(day("2020-02-01")))
    #expect(shipped.addingWorkingDays(1, to: day("2020-01-23")) == day("2020-02-03"))
  }

  @Test("a month after 31 January is the end of February; a period ending on a rest day moves on")
  func months() throws {
    #expect(day("2021-01-31").adding(months: 1) == day("2021-02-28"))
    #expect(day("2024-01-31").adding(months: 1) == day("2024-02-29"))
    #expect(day("2021-11-30").adding(months: 3) == day("2022-02-28"))
    #expect(day("2021-12-31").adding(months: 2) == day("2022-02-28"))
    // 2021-02-28 is a Sunday: the period ends on Monday 1 March.
    #expect(shipped.addingMonths(1, to: day("2021-01-31")) == day("2021-03-01"))
    // One month from 2021-09-01 is 2021-10-01, National Day: the period ends on Friday 8 October.
    #expect(shipped.addingMonths(1, to: day("2021-09-01")) == day("2021-10-08"))
    // 60 days from 2021-08-02 is 2021-10-01, also moved to 8 October.
    #expect(shipped.addingCalendarDays(60, to: day("2021-08-02")) == day("2021-10-08"))
  }

  @Test("working days between two days, either way round")
  func between() throws {
    #expect(shipped.workingDays(from: day("2021-09-28"), to: day("2021-10-25")) == 15)
    #expect(shipped.workingDays(from: day("2021-10-25"), to: day("2021-09-28")) == -15)
    #expect(shipped.workingDays(from: day("2021-09-30"), to: day("2021-09-30")) == 0)
  }

  @Test("a date in a year without a schedule is counted provisionally, and says so")
  func missingYear() {
    // 15 working days from Sunday 2026-12-20: 21–31 December give 9, 1 January 2027 is New Year,
    // 4–8 January give 5 more, and the fifteenth is Monday 11 January.
    let due = shipped.addingWorkingDays(15, to: day("2026-12-20"))
    #expect(due == day("2027-01-11"))
    #expect(shipped.isProvisional(from: day("2026-12-21"), through: due))
    #expect(!shipped.isProvisional(from: day("2026-12-01"), through: day("2026-12-31")))
    #expect(shipped.isProvisional(year: 2027))
    #expect(shipped.isProvisional(year: 2019))
  }

  @Test("counting agrees with walking the days one by one, over the whole shipped calendar")
  func agreesWithWalking() throws {
    func walk(_ count: Int, from start: CivilDate) throws -> CivilDate {
      var date = start
      var remaining = count
      while remaining > 0 {
        date = date.adding(days: 1)
        if shipped.isWorkingDay(date) { remaining -= 1 }
      }
      return date
    }
    let first = day("2020-01-01").ordinal
    let last = day("2026-09-30").ordinal
    for ordinal in stride(from: first - 1, through: last, by: 3) {
      let start = CivilDate(ordinal: ordinal)
      for count in [1, 2, 5, 15, 60] {
        let due = try walk(count, from: start)
        #expect(shipped.addingWorkingDays(count, to: start) == due, "\(count) from \(start)")
        #expect(shipped.workingDays(from: start, to: due) == count, "\(start) to \(due)")
      }
    }
  }

  @Test("a year missing between two published ones is counted by its statutory holidays")
  func gapYear() {
    var calendar = shipped
    calendar.setYear(2028, exceptions: [:])
    #expect(calendar.isProvisional(year: 2027))
    #expect(!calendar.isProvisional(year: 2028))
    // 2027's New Year's Day is a Friday: provisional, so not a working day.
    #expect(!calendar.isWorkingDay(day("2027-01-01")))
    // 2028 was imported with no exceptions: its 1 January (a Saturday) and 3 January are plain days.
    #expect(calendar.isWorkingDay(day("2028-01-03")))
    #expect(calendar.workingDays(from: day("2028-01-03"), to: day("2028-01-10")) == 5)
    // Before the first published year: 2019 is provisional too (元旦 2019 was a Tuesday).
    #expect(!calendar.isWorkingDay(day("2019-01-01")))
    #expect(calendar.isWorkingDay(day("2019-01-02")))
  }

  @Test("importing a year adds it and replaces its old exceptions")
  func setYear() throws {
    var calendar = shipped
    calendar.setYear(2027, exceptions: [day("2027-01-01"): .holiday, day("2026-01-01"): .workday])
    #expect(calendar.publishedYears.contains(2027))
    #expect(!calendar.isWorkingDay(day("2027-01-01")))
    // An exception outside the year imported is ignored.
    #expect(calendar.exceptions[day("2026-01-01")] == .holiday)
    calendar.setYear(2027, exceptions: [:])
    #expect(calendar.isWorkingDay(day("2027-01-01")))
  }

  @Test("civil dates: weekdays, parsing and ordinals")
  func civilDates() {
    #expect(day("1970-01-01").weekday == 4)
    #expect(day("2021-09-28").weekday == 2)
    #expect(day("2021-10-09").weekday == 6)
    #expect(CivilDate("2021-02-29") == nil)
    #expect(CivilDate("2021-9-28") == nil)
    for text in ["1900-03-01", "1969-12-31", "2000-02-29", "2026-11-29"] {
      #expect(CivilDate(ordinal: day(text).ordinal) == day(text))
      #expect(day(text).description == text)
    }
  }
}

@Suite("Deadline rules")
struct DeadlineRuleTests {
  func rule(_ length: Int, _ unit: PeriodUnit) -> ClockRule {
    ClockRule(
      clock: .forward, startsAt: .receipt, length: length, unit: unit, extensionLength: nil, basis: "")
  }

  @Test("each unit counts its own way from the day after the start")
  func due() throws {
    #expect(rule(15, .workingDays).due(from: day("2021-09-28"), calendar: shipped) == day("2021-10-25"))
    #expect(rule(1, .months).due(from: day("2021-01-31"), calendar: shipped) == day("2021-03-01"))
    #expect(rule(60, .calendarDays).due(from: day("2021-08-02"), calendar: shipped) == day("2021-10-08"))
    #expect(rule(3, .months).due(from: day("2021-01-28"), calendar: shipped) == day("2021-04-28"))
  }

  @Test("days on hold or an extension push the due day out")
  func extra() throws {
    // Five working days on hold: 15 working days become 20.
    #expect(
      rule(15, .workingDays).due(from: day("2021-09-28"), calendar: shipped, extraDays: 5)
        == day("2021-11-01"))
    // A 30-day extension of a 60-day petition clock: 90 days from 2021-08-02 is Sunday 31 October.
    #expect(
      rule(60, .calendarDays).due(from: day("2021-08-02"), calendar: shipped, extraDays: 30)
        == day("2021-11-01"))
  }

  @Test("lengths read the way staff say them")
  func labels() {
    #expect(rule(5, .workingDays).lengthLabel(.chinese) == "5 个工作日")
    #expect(rule(60, .calendarDays).lengthLabel(.chinese) == "60 日")
    #expect(rule(3, .months).lengthLabel(.english) == "3 months")
  }
}
