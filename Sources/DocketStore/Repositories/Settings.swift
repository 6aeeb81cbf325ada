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

  public func set(_ key: String, _ value: String) throws(DatabaseError) {
    try db.query(
      "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [key, value])
  }
}

extension Connection {
  /// Lets commits return before the WAL reaches disk, for a bulk load that can simply be re-run
  /// after a crash. The database stays consistent; at most the last moments of the load are lost.
  public func relaxCommitDurability() throws(DatabaseError) {
    try query("SET synchronous_commit TO off")
  }
}
