import DocketCore

/// The working-day calendar kept in the database (sql/0002_calendar.sql).
public struct CalendarRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The whole calendar: every published year and every exception.
  public func load() throws(DatabaseError) -> WorkingCalendar {
    var reading = Reading()
    // One round trip: the years' rows have no day, the days' rows no year.
    for row in try db.query(
      """
      SELECT year, NULL::text AS day, NULL::text AS kind FROM calendar_years
      UNION ALL SELECT NULL, day::text, kind FROM calendar_days
      """)
    {
      try reading.add(row)
    }
    return reading.calendar
  }

  /// A calendar read row by row: a published year's row (`year`), or an exception's (`day`, `kind`).
  struct Reading {
    var years: Set<Int> = []
    var exceptions: [CivilDate: WorkingCalendar.DayKind] = [:]

    mutating func add(_ row: Row) throws(DatabaseError) {
      if let year: Int = try row.optional("year") {
        years.insert(year)
        return
      }
      let text: String = try row.decode("day")
      guard let date = CivilDate(text), let kind = WorkingCalendar.DayKind(rawValue: try row.decode("kind"))
      else {
        throw DatabaseError(kind: .decoding, message: "calendar_days holds an unreadable day \(text)")
      }
      exceptions[date] = kind
    }

    var calendar: WorkingCalendar { WorkingCalendar(exceptions: exceptions, publishedYears: years) }
  }

  /// The named exceptions of one year, in date order.
  public func days(year: Int) throws(DatabaseError) -> [(
    date: CivilDate, kind: WorkingCalendar.DayKind, name: String
  )] {
    var out: [(date: CivilDate, kind: WorkingCalendar.DayKind, name: String)] = []
    for row in try db.query(
      "SELECT day::text AS day, kind, name FROM calendar_days WHERE extract(year FROM day) = $1 ORDER BY day",
      [year])
    {
      if let date = CivilDate(try row.decode("day", as: String.self)),
        let kind = WorkingCalendar.DayKind(rawValue: try row.decode("kind"))
      {
        out.append((date, kind, try row.decode("name")))
      }
    }
    return out
  }

  /// The published years and where each schedule came from, in order.
  public func years() throws(DatabaseError) -> [(year: Int, source: String)] {
    try db.query("SELECT year, source FROM calendar_years ORDER BY year").map { row throws(DatabaseError) in
      (try row.decode("year"), try row.decode("source"))
    }
  }

  /// Replaces one year's schedule inside the caller's transaction.
  public func replace(
    year: Int, source: String, days: [(date: CivilDate, kind: WorkingCalendar.DayKind, name: String)]
  ) throws(DatabaseError) {
    try db.query("DELETE FROM calendar_days WHERE extract(year FROM day) = $1", [year])
    for entry in days {
      try db.query(
        "INSERT INTO calendar_days (day, kind, name) VALUES ($1::date, $2, $3)",
        [entry.date.description, entry.kind.rawValue, entry.name])
    }
    try db.query(
      """
      INSERT INTO calendar_years (year, source) VALUES ($1, $2)
      ON CONFLICT (year) DO UPDATE SET source = excluded.source
      """, [year, source])
  }
}
