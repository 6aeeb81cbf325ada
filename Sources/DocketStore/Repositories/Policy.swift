import DocketCore

/// The deadline policy (sql/0003_deadline_policy.sql).
public struct PolicyRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  public func rules() throws(DatabaseError) -> [ClockRule] {
    var out: [ClockRule] = []
    for row in try db.query(
      "SELECT clock, starts_at, length, unit, extension_length, basis FROM deadline_policy")
    {
      guard let clock = DeadlineClock(rawValue: try row.decode("clock")),
        let start = ClockStart(rawValue: try row.decode("starts_at")),
        let unit = PeriodUnit(rawValue: try row.decode("unit"))
      else { throw DatabaseError(kind: .decoding, message: "deadline_policy holds an unknown value") }
      out.append(
        ClockRule(
          clock: clock, startsAt: start, length: try row.decode("length"), unit: unit,
          extensionLength: try row.optional("extension_length"), basis: try row.decode("basis")))
    }
    return out.sorted {
      DeadlineClock.allCases.firstIndex(of: $0.clock)! < DeadlineClock.allCases.firstIndex(of: $1.clock)!
    }
  }

  public func update(_ rule: ClockRule) throws(DatabaseError) {
    try db.query(
      "UPDATE deadline_policy SET length = $2, unit = $3, extension_length = $4 WHERE clock = $1",
      [rule.clock.rawValue, rule.length, rule.unit.rawValue, rule.extensionLength])
  }
}
