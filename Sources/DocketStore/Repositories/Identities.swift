import DocketCore
import Foundation

/// What docket before 0018 sealed with its symmetric key file, for `docket db migrate` to re-seal to
/// the office key: reporters' identities (`items`), kept email messages (`mail_messages`), and
/// quarantined messages (`mail_quarantine`). Such a value starts with format byte 1; one sealed to
/// the office key, with 3 (an envelope's).
///
/// Rows are read in batches by id (keyset pagination), so that ten million items never sit in
/// memory at once, and written back a batch per statement; a batch done is done, so an upgrade
/// that stops is resumed where it stopped.
public struct IdentityRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The fingerprint of the old key file, while anything it sealed may remain.
  public func oldKeyID() throws(DatabaseError) -> String? {
    try db.first("SELECT value FROM settings WHERE key = $1", [Self.keySetting])?.optional("value")
  }

  /// Forgets the old key file once nothing it sealed is left.
  public func forgetOldKey() throws(DatabaseError) {
    try db.query("DELETE FROM settings WHERE key = $1", [Self.keySetting])
  }

  static let keySetting = "identity_key_id"

  /// How many values are still sealed with the old key file.
  public func unsealedToOfficeKey() throws(DatabaseError) -> Int {
    let counts = try oldSealedCounts()
    return counts.identities + counts.messages + counts.quarantined
  }

  public func oldSealedCounts() throws(DatabaseError) -> (identities: Int, messages: Int, quarantined: Int) {
    let row = try db.first(
      """
      SELECT
        (SELECT count(*) FROM items WHERE reporter_sealed IS NOT NULL AND get_byte(reporter_sealed, 0) = 1)
          AS identities,
        (SELECT count(*) FROM mail_messages WHERE get_byte(raw_sealed, 0) = 1) AS messages,
        (SELECT count(*) FROM mail_quarantine WHERE get_byte(raw_sealed, 0) = 1) AS quarantined
      """)!
    return (try row.decode("identities"), try row.decode("messages"), try row.decode("quarantined"))
  }

  // MARK: Items

  /// Up to `limit` items with an identity sealed by the old key file and an id above `id`, in id order.
  public func sealedIdentities(after id: Int64, limit: Int) throws(DatabaseError) -> [(
    id: Int64, ref: String, sealed: [UInt8]
  )] {
    try db.query(
      """
      SELECT id, ref, reporter_sealed FROM items
      WHERE id > $1 AND reporter_sealed IS NOT NULL AND get_byte(reporter_sealed, 0) = 1 ORDER BY id LIMIT $2
      """, [id, limit]
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("ref"), try row.decode("reporter_sealed"))
    }
  }

  /// Replaces the sealed identities of these items, in one statement. Their match hashes stay: the
  /// matching key is the old file's, kept in the database.
  public func rewriteIdentities(_ rows: [(id: Int64, sealed: [UInt8])]) throws(DatabaseError) {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE items i SET reporter_sealed = u.sealed
      FROM unnest($1::bigint[], $2::bytea[]) AS u(id, sealed)
      WHERE i.id = u.id
      """, [TextArray(rows.map { String($0.id) }), Self.bytea(rows.map(\.sealed))])
  }

  // MARK: Email

  /// Up to `limit` kept messages sealed by the old key file with an id above `id`, in id order,
  /// stopping once `bytes` of raw message are read (at least one message): a message may be tens
  /// of megabytes.
  public func sealedMessages(after id: Int64, limit: Int, bytes: Int64) throws(DatabaseError) -> [(
    id: Int64, rawSHA256: [UInt8], sealed: [UInt8]
  )] {
    try db.query(
      """
      WITH batch AS (
        SELECT id, sum(size::bigint) OVER (ORDER BY id) - size AS before
        FROM (
          SELECT id, size FROM mail_messages WHERE id > $1 AND get_byte(raw_sealed, 0) = 1 ORDER BY id LIMIT $2
        ) AS next
      )
      SELECT m.id, m.raw_sha256, m.raw_sealed
      FROM batch b JOIN mail_messages m ON m.id = b.id
      WHERE b.before < $3
      ORDER BY m.id
      """, [id, limit, bytes]
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("raw_sha256"), try row.decode("raw_sealed"))
    }
  }

  public func rewriteMessages(_ rows: [(id: Int64, sealed: [UInt8])]) throws(DatabaseError) {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE mail_messages m SET raw_sealed = u.sealed
      FROM unnest($1::bigint[], $2::bytea[]) AS u(id, sealed)
      WHERE m.id = u.id
      """, [TextArray(rows.map { String($0.id) }), Self.bytea(rows.map(\.sealed))])
  }

  /// Up to `limit` quarantined messages (held or resolved) sealed by the old key file with an id above `id`, in id order,
  /// stopping once `bytes` of raw message are read (at least one).
  public func sealedQuarantine(after id: Int64, limit: Int, bytes: Int64) throws(DatabaseError) -> [(
    id: Int64, rawSHA256: [UInt8], sealed: [UInt8]
  )] {
    try db.query(
      """
      WITH batch AS (
        SELECT id, sum(size) OVER (ORDER BY id) - size AS before
        FROM (
          SELECT id, size FROM mail_quarantine WHERE id > $1 AND get_byte(raw_sealed, 0) = 1 ORDER BY id LIMIT $2
        ) AS next
      )
      SELECT q.id, q.raw_sha256, q.raw_sealed
      FROM batch b JOIN mail_quarantine q ON q.id = b.id
      WHERE b.before < $3
      ORDER BY q.id
      """, [id, limit, bytes]
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("raw_sha256"), try row.decode("raw_sealed"))
    }
  }

  public func rewriteQuarantine(_ rows: [(id: Int64, sealed: [UInt8])]) throws(DatabaseError) {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE mail_quarantine q SET raw_sealed = u.sealed
      FROM unnest($1::bigint[], $2::bytea[]) AS u(id, sealed)
      WHERE q.id = u.id
      """, [TextArray(rows.map { String($0.id) }), Self.bytea(rows.map(\.sealed))])
  }

  /// A bytea array literal, for a batch's sealed values.
  static func bytea(_ values: [[UInt8]]) -> TextArray {
    TextArray(values.map { "\\x" + $0.hex })
  }
}
