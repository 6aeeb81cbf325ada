import DocketCore

/// The deadline policy (sql/0003_deadline_policy.sql).
public struct PolicyRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  public func rules() throws(DatabaseError) -> [ClockRule] {
    Self.ordered(
      try db.query("SELECT clock, starts_at, length, unit, extension_length, basis FROM deadline_policy")
        .map(Self.rule))
  }

  /// The policy and the whole working-day calendar (``CalendarRepository/load()``) in one round
  /// trip: what a clock engine is made of, read by every registration.
  public func rulesAndCalendar() throws(DatabaseError) -> (rules: [ClockRule], calendar: WorkingCalendar) {
    var rules: [ClockRule] = []
    var calendar = CalendarRepository.Reading()
    // A rule's rows have a clock, a year's a year, a day's a day.
    for row in try db.query(
      """
      SELECT clock, starts_at, length, unit, extension_length, basis, NULL::integer AS year, NULL::text AS day,
        NULL::text AS kind
      FROM deadline_policy
      UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, year, NULL, NULL FROM calendar_years
      UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, day::text, kind FROM calendar_days
      """)
    {
      if try row.optional("clock") as String? != nil {
        rules.append(try Self.rule(row))
      } else {
        try calendar.add(row)
      }
    }
    return (Self.ordered(rules), calendar.calendar)
  }

  private static func rule(_ row: Row) throws(DatabaseError) -> ClockRule {
    guard let clock = DeadlineClock(rawValue: try row.decode("clock")),
      let start = ClockStart(rawValue: try row.decode("starts_at")),
      let unit = PeriodUnit(rawValue: try row.decode("unit"))
    else { throw DatabaseError(kind: .decoding, message: "deadline_policy holds an unknown value") }
    return ClockRule(
      clock: clock, startsAt: start, length: try row.decode("length"), unit: unit,
      extensionLength: try row.optional("extension_length"), basis: try row.decode("basis"))
  }

  /// In DocketCore's order of clocks.
  private static func ordered(_ rules: [ClockRule]) -> [ClockRule] {
    rules.sorted {
      DeadlineClock.allCases.firstIndex(of: $0.clock)! < DeadlineClock.allCases.firstIndex(of: $1.clock)!
    }
  }

  public func update(_ rule: ClockRule) throws(DatabaseError) {
    try db.query(
      "UPDATE deadline_policy SET length = $2, unit = $3, extension_length = $4 WHERE clock = $1",
      [rule.clock.rawValue, rule.length, rule.unit.rawValue, rule.extensionLength])
  }
}
