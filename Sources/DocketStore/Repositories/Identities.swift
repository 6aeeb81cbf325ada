import DocketCore
import Foundation

/// Everything sealed or keyed with the identity key, for `docket key rotate`: reporters' identities
/// and their match hashes (`items`), kept email messages and their senders' hashes
/// (`mail_messages`), and quarantined messages (`mail_quarantine`).
///
/// Rows are read in batches by id (keyset pagination), so that ten million items never sit in
/// memory at once, and written back a batch per statement.
public struct IdentityRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The advisory lock of key rotation ("docket" in ASCII, then 2). A rotation holds it exclusively
  /// from before its transaction until its new key file is in place; everyone about to seal or
  /// open takes it shared, and so waits for a rotation to finish rather than use a retired key.
  static let rotationLock = Int64(0x646F_636B_6574_0002)

  /// Takes the rotation lock for this session, waiting for a rotation or a sealing transaction
  /// running elsewhere. Held across COMMIT until ``unlockAfterRotation()``, or until the
  /// connection ends (a crashed rotation does not keep it).
  public func lockForRotation() throws(DatabaseError) {
    try db.query("SELECT pg_advisory_lock($1)", [Self.rotationLock])
  }

  public func unlockAfterRotation() throws(DatabaseError) {
    try db.query("SELECT pg_advisory_unlock($1)", [Self.rotationLock])
  }

  /// The fingerprint of the key identities are sealed with, once no rotation is running.
  ///
  /// The rotation lock is taken shared until the caller's transaction ends (at once outside one),
  /// then the setting is read by a statement of its own: in READ COMMITTED it sees what a rotation
  /// that was waited for committed, and a rotation starting later waits for this transaction's
  /// sealed rows to commit, then re-encrypts them too.
  public func keyIDOutsideRotation() throws(DatabaseError) -> String? {
    try db.query("SELECT pg_advisory_xact_lock_shared($1)", [Self.rotationLock])
    return try db.first("SELECT value FROM settings WHERE key = $1", [Self.keySetting])?.optional("value")
  }

  /// The key fingerprint, with its settings row locked until the transaction ends.
  public func lockKeyID() throws(DatabaseError) -> String? {
    try db.first("SELECT value FROM settings WHERE key = $1 FOR UPDATE", [Self.keySetting])?.optional(
      "value")
  }

  public func setKeyID(_ keyID: String) throws(DatabaseError) {
    try db.query("UPDATE settings SET value = $2 WHERE key = $1", [Self.keySetting, keyID])
  }

  static let keySetting = "identity_key_id"

  /// How many rows a rotation reseals, for its progress: identities, email messages, quarantined
  /// messages.
  public func sealedCounts() throws(DatabaseError) -> (identities: Int, messages: Int, quarantined: Int) {
    let row = try db.first(
      """
      SELECT (SELECT count(*) FROM items WHERE reporter_sealed IS NOT NULL) AS identities,
        (SELECT count(*) FROM mail_messages) AS messages, (SELECT count(*) FROM mail_quarantine) AS quarantined
      """)!
    return (try row.decode("identities"), try row.decode("messages"), try row.decode("quarantined"))
  }

  // MARK: Items

  /// Up to `limit` items with a sealed identity and an id above `id`, in id order.
  public func sealedIdentities(after id: Int64, limit: Int) throws(DatabaseError) -> [(
    id: Int64, ref: String, sealed: [UInt8]
  )] {
    try db.query(
      """
      SELECT id, ref, reporter_sealed FROM items
      WHERE id > $1 AND reporter_sealed IS NOT NULL ORDER BY id LIMIT $2
      """, [id, limit]
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("ref"), try row.decode("reporter_sealed"))
    }
  }

  /// Replaces the sealed identities and match hashes of these items, in one statement. An item's
  /// hashes go as one bytea array literal in a text array, since arrays of them differ in length.
  public func rewriteIdentities(_ rows: [(id: Int64, sealed: [UInt8], match: [[UInt8]])])
    throws(DatabaseError)
  {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE items i SET reporter_sealed = u.sealed, reporter_match = u.match::bytea[]
      FROM unnest($1::bigint[], $2::bytea[], $3::text[]) AS u(id, sealed, match)
      WHERE i.id = u.id
      """,
      [
        TextArray(rows.map { String($0.id) }), Self.bytea(rows.map(\.sealed)),
        TextArray(rows.map { ByteaArray($0.match).literal }),
      ])
  }

  // MARK: Email

  /// Up to `limit` kept messages with an id above `id`, in id order, stopping once `bytes` of raw
  /// message are read (at least one message): a message may be tens of megabytes. With each, its
  /// item's reference and, when the message has a sender hash, the item's sealed identity.
  public func sealedMessages(after id: Int64, limit: Int, bytes: Int64) throws(DatabaseError) -> [(
    id: Int64, rawSHA256: [UInt8], sealed: [UInt8], senderMatch: [UInt8]?, itemRef: String,
    itemSealed: [UInt8]?
  )] {
    try db.query(
      """
      WITH batch AS (
        SELECT id, sum(size::bigint) OVER (ORDER BY id) - size AS before
        FROM (SELECT id, size FROM mail_messages WHERE id > $1 ORDER BY id LIMIT $2) AS next
      )
      SELECT m.id, m.raw_sha256, m.raw_sealed, m.sender_match, i.ref,
        CASE WHEN m.sender_match IS NOT NULL THEN i.reporter_sealed END AS reporter_sealed
      FROM batch b JOIN mail_messages m ON m.id = b.id JOIN items i ON i.id = m.item_id
      WHERE b.before < $3
      ORDER BY m.id
      """, [id, limit, bytes]
    ).map { row throws(DatabaseError) in
      (
        try row.decode("id"), try row.decode("raw_sha256"), try row.decode("raw_sealed"),
        try row.optional("sender_match"), try row.decode("ref"), try row.optional("reporter_sealed")
      )
    }
  }

  public func rewriteMessages(_ rows: [(id: Int64, sealed: [UInt8], senderMatch: [UInt8]?)])
    throws(DatabaseError)
  {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE mail_messages m SET raw_sealed = u.sealed, sender_match = u.match
      FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS u(id, sealed, match)
      WHERE m.id = u.id
      """,
      [
        TextArray(rows.map { String($0.id) }), Self.bytea(rows.map(\.sealed)),
        Self.bytea(rows.map(\.senderMatch)),
      ])
  }

  /// Up to `limit` quarantined messages (held or resolved) with an id above `id`, in id order,
  /// stopping once `bytes` of raw message are read (at least one).
  public func sealedQuarantine(after id: Int64, limit: Int, bytes: Int64) throws(DatabaseError) -> [(
    id: Int64, rawSHA256: [UInt8], sealed: [UInt8]
  )] {
    try db.query(
      """
      WITH batch AS (
        SELECT id, sum(size) OVER (ORDER BY id) - size AS before
        FROM (SELECT id, size FROM mail_quarantine WHERE id > $1 ORDER BY id LIMIT $2) AS next
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

  /// A bytea array literal that may hold NULLs (``ByteaArray`` cannot).
  static func bytea(_ values: [[UInt8]?]) -> TextArray {
    TextArray(values.map { $0.map { "\\x" + $0.hex } })
  }

  static func bytea(_ values: [[UInt8]]) -> TextArray {
    TextArray(values.map { "\\x" + $0.hex })
  }
}
