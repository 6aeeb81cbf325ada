import DocketCore
import DocketStore
import Foundation

/// One day of a year's schedule, as `docket calendar show` lists it.
public struct CalendarEntry: Sendable {
  public var date: CivilDate
  public var kind: WorkingCalendar.DayKind
  public var name: String
}

/// A year of the working-day calendar: the published schedule, or the provisional one the
/// statutory holidays give while it is not yet published.
public struct CalendarYear: Sendable {
  public var year: Int
  /// Counted by the statutory holidays only, without 调休.
  public var provisional: Bool
  /// Where a published schedule came from.
  public var source: String?
  /// The days that differ from the plain week, in date order.
  public var days: [CalendarEntry]
}

/// A year whose schedule is missing while deadlines already run into it (`docket overdue`,
/// `docket report monthly` and `docket db status` say so).
public struct CalendarNotice: Sendable, Equatable, CustomStringConvertible {
  public var year: Int

  public var description: String {
    "The working-day calendar has no published holiday schedule for \(year): due dates that run into \(year) are provisional (statutory holidays only, no 调休). Import the State Council's schedule once it is published with 'docket calendar import FILE' (see deploy/calendar.md)."
  }
}

/// A due date that importing a schedule moved.
public struct DueDateMove: Sendable {
  public var ref: String
  public var clock: DeadlineClock
  public var before: CivilDate
  public var after: CivilDate
  /// Still provisional after the import (the clock runs on into a later unpublished year).
  public var provisional: Bool
  /// Calendar days the due date moved: positive later, negative earlier.
  public var days: Int { after.ordinal - before.ordinal }
}

/// What importing a calendar did, or with `dryRun` would do.
public struct CalendarImport: Sendable {
  public var years: [Int]
  public var dryRun: Bool
  /// Items whose clocks run into an imported year, their clocks and report periods worked out again.
  public var itemsReworked: Int
  /// Running clocks of the open items among them.
  public var clocksChecked: Int
  public var moves: [DueDateMove]
}

extension Docket {
  /// The working-day calendar as the database keeps it.
  public func workingCalendar(actor login: String?) throws(DocketError) -> WorkingCalendar {
    try require(try actor(login), .readLedger, "read the calendar")
    return try store { try CalendarRepository(db).load() }
  }

  /// The published years and where each came from.
  public func publishedCalendarYears(actor login: String?) throws(DocketError) -> [(
    year: Int, source: String
  )] {
    try require(try actor(login), .readLedger, "read the calendar")
    return try store { try CalendarRepository(db).years() }
  }

  /// A year's holidays and adjusted working days: the published schedule, or the provisional one.
  public func calendarYear(_ year: Int, actor login: String?) throws(DocketError) -> CalendarYear {
    try require(try actor(login), .readLedger, "read the calendar")
    guard (1949...2200).contains(year) else {
      throw .invalid("--year \(year) is outside the years a calendar can hold (1949 to 2200).")
    }
    let calendar = CalendarRepository(db)
    guard let source = try store({ try calendar.years() }).first(where: { $0.year == year })?.source else {
      let days = StatutoryHolidays.days(in: year).map {
        CalendarEntry(date: $0.date, kind: .holiday, name: $0.name)
      }
      return CalendarYear(year: year, provisional: true, source: nil, days: days)
    }
    let days = try store { try calendar.days(year: year) }.map {
      CalendarEntry(date: $0.date, kind: $0.kind, name: $0.name)
    }
    return CalendarYear(year: year, provisional: false, source: source, days: days)
  }

  /// The years deadlines run into now whose schedule is missing: this year, and from 1 November
  /// the next. Reads only which years are published, so it needs no role (`db status` asks too).
  public func calendarNotices() throws(DocketError) -> [CalendarNotice] {
    let today = office.time.civilDate(of: now())
    let years: [(year: Int, source: String)]
    do {
      years = try CalendarRepository(db).years()
    } catch let error where error.sqlState == SQLState.undefinedTable {
      return []  // a database not yet migrated has no calendar to warn about
    } catch { throw .database(error) }
    let published = Set(years.map(\.year))
    let soon = today.month >= 11 ? [today.year, today.year + 1] : [today.year]
    return soon.filter { !published.contains($0) }.map(CalendarNotice.init(year:))
  }

  /// Imports holiday schedules from CSV text (`date,kind[,name]`, kind `holiday` or `workday`, an
  /// optional header): every year in the file replaces that year's schedule. The whole file is
  /// checked first; an error names the file, the row and the column, and nothing is written.
  ///
  /// In the same transaction, every item with a clock running into an imported year has its clocks
  /// and report periods worked out again under the new schedule; the result says which running due
  /// dates moved. With `dryRun` nothing is written and the result says what would move.
  public func importCalendar(csv text: String, file: String, dryRun: Bool = false, actor login: String?)
    throws(DocketError) -> CalendarImport
  {
    let actor = try actor(login)
    try require(actor, .configure, "import the calendar")
    let byYear = try Self.parseCalendar(csv: text, file: file)
    let years = byYear.keys.sorted()
    return try transaction(dryRun ? .repeatableReadOnly : .readCommitted) { () throws(DocketError) in
      let before = try clockEngine()
      var after = before
      for (year, days) in byYear {
        after.calendar.setYear(year, exceptions: Dictionary(days.map { ($0.date, $0.kind) }) { a, _ in a })
      }
      // Clocks that run at some time in an imported year: started before its end, not stopped
      // before its start. No other due date or report period can depend on it.
      let span = (
        from: office.time.start(of: CivilDate(year: years[0], month: 1, day: 1)!),
        until: office.time.start(of: CivilDate(year: years[years.count - 1] + 1, month: 1, day: 1)!)
      )
      let ids = try store { try ClockRepository(db).itemsRunning(from: span.from, until: span.until) }
      // The items first, in id order, then the journal's head, as a move takes its item and then
      // the head: no move can change them meanwhile, and the two cannot deadlock.
      if !dryRun { try store { try ItemRepository(db).lock(ids) } }
      let items = try store { try ItemRepository(db).summaries(itemIDs: ids) }.sorted { $0.id < $1.id }
      let moves = try dueDateMoves(of: items.filter { $0.state.isOpen }, from: before, to: after)
      let result = CalendarImport(
        years: years, dryRun: dryRun, itemsReworked: items.count, clocksChecked: moves.checked,
        moves: moves.moved)
      guard !dryRun else { return result }
      for year in years {
        let days = byYear[year]!
        try journal(
          item: nil, actor: actor.login,
          .calendarImported(
            year: year, holidays: days.count { $0.kind == .holiday },
            workdays: days.count { $0.kind == .workday },
            dueDatesMoved: moves.moved.count { $0.before.year == year || $0.after.year == year }), at: now())
      }
      let calendar = CalendarRepository(db)
      for year in years {
        try store { try calendar.replace(year: year, source: "imported from \(file)", days: byYear[year]!) }
      }
      // A registration that read the old calendar and has not written yet starts again.
      try store { try SettingsRepository(db).bumpClockGeneration() }
      let journals = try store { try JournalRepository(db).entries(itemIDs: items.map(\.id)) }
      let units = try unitIDs()
      try storeWorked(
        items.map { Self.work($0.id, $0.clockSubject, journals[$0.id] ?? [], engine: after, units: units) })
      return result
    }
  }

  /// The running clocks of `items` now, under two engines, and those whose due date differs.
  private func dueDateMoves(of items: [ItemSummary], from before: ClockEngine, to after: ClockEngine)
    throws(DocketError) -> (checked: Int, moved: [DueDateMove])
  {
    // Now, or after the latest event entered ahead of time: a running clock's due date depends on
    // the moment only through time still on hold, so a later moment changes nothing else.
    let asOf = items.compactMap(\.clocksThrough).reduce(now(), max)
    let stored = try store { try ClockRepository(db).running(itemIDs: items.map(\.id)) }
    let old = try runningClocks(of: items, stored: stored, engine: before, asOf: asOf)
    let new = try runningClocks(of: items, stored: stored, engine: after, asOf: asOf)
    var checked = 0
    var moved: [DueDateMove] = []
    for (index, item) in items.enumerated() {
      for clock in new[index] {
        guard let was = old[index].first(where: { $0.clock == clock.clock }) else { continue }
        checked += 1
        if was.due != clock.due {
          moved.append(
            DueDateMove(
              ref: item.ref, clock: clock.clock, before: was.due, after: clock.due,
              provisional: clock.provisional))
        }
      }
    }
    return (checked, moved)
  }

  private static func parseCalendar(csv text: String, file: String) throws(DocketError) -> [Int: [(
    date: CivilDate, kind: WorkingCalendar.DayKind, name: String
  )]] {
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
      guard (1949...2200).contains(date.year) else {
        throw fail("date", "\(date) is outside the years a calendar can hold (1949 to 2200)")
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
    return byYear
  }
}
