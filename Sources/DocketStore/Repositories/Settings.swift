/// The office's settings (time zone, reference pattern, identity key fingerprint), key by key.
public struct SettingsRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  public func all() throws(DatabaseError) -> [String: String] {
    var out: [String: String] = [:]
    for row in try db.query("SELECT key, value FROM settings") {
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

  /// The setting that counts changes of the deadline policy and the calendar (``bumpClockGeneration()``).
  public static let clockGeneration = "clock_generation"

  /// Counts one more change of what clocks are worked out with, inside the caller's transaction: a
  /// registration that read the policy before it and writes after it can tell, and start again.
  public func bumpClockGeneration() throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO settings (key, value) VALUES ($1, '1')
      ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text
      """, [Self.clockGeneration])
  }

  public func set(_ key: String, _ value: String) throws(DatabaseError) {
    try db.query(
      "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [key, value])
  }
}
