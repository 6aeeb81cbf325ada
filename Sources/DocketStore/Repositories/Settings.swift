/// The office's settings (time zone, reference pattern, identity key fingerprint), key by key.
public struct SettingsRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Every setting, and the count of policy and calendar changes under ``clockGeneration``, which
  /// is kept on the journal's head (sql/0017_clock_generation_on_head.sql) but read with the rest.
  /// A database not migrated that far (read by `docket db migrate` before it migrates) gives the
  /// settings alone.
  public func all() throws(DatabaseError) -> [String: String] {
    let rows: [Row]
    do {
      rows = try db.query(
        """
        SELECT key, value FROM settings
        UNION ALL SELECT $1, clock_generation::text FROM journal_head WHERE singleton
        """, [Self.clockGeneration])
    } catch  where error.sqlState == SQLState.undefinedColumn && !db.isInTransaction {
      rows = try db.query("SELECT key, value FROM settings")
    }
    var out: [String: String] = [:]
    for row in rows {
      out[try row.decode("key")] = try row.decode("value")
    }
    return out
  }

  /// Serialises first-time setup (identity key fingerprint, first administrator) between processes
  /// until the caller's transaction ends.
  public func lockForInitialization() throws(DatabaseError) {
    try db.query("SELECT pg_advisory_xact_lock($1)", [Int64(0x646F_636B_6574_0001)])
  }

  /// The value of one setting, if set.
  public func value(_ key: String) throws(DatabaseError) -> String? {
    try db.first("SELECT value FROM settings WHERE key = $1", [key])?.optional("value")
  }

  /// The key ``all()`` gives the count of changes of the deadline policy and the calendar under
  /// (``bumpClockGeneration()``).
  public static let clockGeneration = "clock_generation"

  /// Counts one more change of what clocks are worked out with, inside the caller's transaction: a
  /// registration that read the policy before it and writes after it can tell
  /// (``JournalRepository/append(_:ifClockGeneration:alongside:)``), and start again.
  public func bumpClockGeneration() throws(DatabaseError) {
    try db.query("UPDATE journal_head SET clock_generation = clock_generation + 1 WHERE singleton")
  }

  public func set(_ key: String, _ value: String) throws(DatabaseError) {
    try db.query(
      "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [key, value])
  }
}
