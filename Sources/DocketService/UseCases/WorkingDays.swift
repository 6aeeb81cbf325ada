import DocketCore
import DocketStore
import Foundation

/// One day of a year's schedule, as `docket calendar show` lists it.
public struct CalendarEntry: Sendable {
  public var date: CivilDate
  public var kind: WorkingCalendar.DayKind
  public var name: String
}

extension Docket {
  /// The working-day calendar as the database keeps it.
  public func workingCalendar(actor login: String?) throws(DocketError) -> WorkingCalendar {
    try require(try actor(login), .readLedger, "read the calendar")
    return try store { try CalendarRepository(db).load() }
  }

  /// A year's holidays and adjusted working days; an error names the year when it has no schedule.
  public func calendarYear(_ year: Int, actor login: String?) throws(DocketError) -> [CalendarEntry] {
    try require(try actor(login), .readLedger, "read the calendar")
    let calendar = CalendarRepository(db)
    guard try store({ try calendar.covers(year: year) }) else {
      throw .notFound(
        "working-day schedule for \(year); import the State Council's schedule with 'docket calendar import FILE'"
      )
    }
    return try store { try calendar.days(year: year) }.map {
      CalendarEntry(date: $0.date, kind: $0.kind, name: $0.name)
    }
  }

  /// Imports holiday schedules from CSV text (`date,kind[,name]`, kind `holiday` or `workday`, an
  /// optional header): every year in the file replaces that year's schedule. The whole file is
  /// checked first; an error names the file, the row and the column, and nothing is written.
  public func importCalendar(csv text: String, file: String, actor login: String?) throws(DocketError)
    -> [Int]
  {
    let actor = try actor(login)
    try require(actor, .configure, "import the calendar")
    var byYear: [Int: [(date: CivilDate, kind: WorkingCalendar.DayKind, name: String)]] = [:]
    var seen: Set<CivilDate> = []
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    for (index, rawLine) in lines.enumerated() {
      let row = index + 1
      var line = String(rawLine)
      if row == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      if row == 1, fields.first?.lowercased() == "date" { continue }
      func fail(_ column: String, _ problem: String) -> DocketError {
        .invalid("\(file), row \(row), column \(column): \(problem). Nothing was imported.")
      }
      guard let date = CivilDate(fields[0]) else {
        throw fail("date", "'\(fields[0])' is not a date; write YYYY-MM-DD")
      }
      guard fields.count >= 2, let kind = WorkingCalendar.DayKind(rawValue: fields[1].lowercased()) else {
        throw fail("kind", "expected holiday or workday")
      }
      if kind == .workday && !date.isWeekend {
        throw fail(
          "kind",
          "\(date) is a weekday and a working day anyway; only a Saturday or Sunday can be made a working day"
        )
      }
      guard seen.insert(date).inserted else { throw fail("date", "\(date) is listed twice") }
      byYear[date.year, default: []].append((date, kind, fields.count >= 3 ? fields[2] : ""))
    }
    guard !byYear.isEmpty else { throw .invalid("\(file) lists no days; nothing was imported.") }
    let years = try transaction { () throws(DocketError) in
      let calendar = CalendarRepository(db)
      for (year, days) in byYear.sorted(by: { $0.key < $1.key }) {
        try store { try calendar.replace(year: year, source: "imported from \(file)", days: days) }
        try journal(
          item: nil, actor: actor.login, event: "calendar_imported", at: now(),
          payload: [
            "year": String(year), "holidays": String(days.filter { $0.kind == .holiday }.count),
            "workdays": String(days.filter { $0.kind == .workday }.count),
          ])
      }
      try invalidateClocks()
      return byYear.keys.sorted()
    }
    try workOutMissingClocks()
    return years
  }
}
