import DocketCore
import Foundation

/// A message on its way into the ledger: what `mail_messages` and `mail_attachments` keep of it.
public struct StoredMessage: Sendable {
  public var itemID: Int64
  public var messageID: String?
  public var rawSHA256: [UInt8]
  public var rawSealed: [UInt8]
  public var size: Int
  public var senderMatch: [UInt8]?
  public var isReply: Bool
  public var sentAt: Date?
  public var arrivedAt: Date
  public var text: String
  public var warnings: [String]
  public var attachments: [StoredAttachment]

  public init(
    itemID: Int64, messageID: String?, rawSHA256: [UInt8], rawSealed: [UInt8], size: Int,
    senderMatch: [UInt8]?,
    isReply: Bool, sentAt: Date?, arrivedAt: Date, text: String, warnings: [String],
    attachments: [StoredAttachment]
  ) {
    self.itemID = itemID
    self.messageID = messageID
    self.rawSHA256 = rawSHA256
    self.rawSealed = rawSealed
    self.size = size
    self.senderMatch = senderMatch
    self.isReply = isReply
    self.sentAt = sentAt
    self.arrivedAt = arrivedAt
    self.text = text
    self.warnings = warnings
    self.attachments = attachments
  }
}

public struct StoredAttachment: Sendable {
  /// As the message named it, with the sender's own values taken out.
  public var filename: String?
  public var contentType: String
  /// Of the plain bytes.
  public var sha256: [UInt8]
  public var size: Int
  /// The bytes sealed to the office key.
  public var sealed: [UInt8]

  public init(filename: String?, contentType: String, sha256: [UInt8], size: Int, sealed: [UInt8]) {
    self.filename = filename
    self.contentType = contentType
    self.sha256 = sha256
    self.size = size
    self.sealed = sealed
  }
}

/// A held, retried or dropped message in quarantine, without its content.
public struct QuarantineEntry: Sendable {
  public var id: Int64
  public var size: Int64
  public var reason: String
  public var origin: String
  public var notMail: Bool
  public var quarantinedAt: Date
  public var state: String
  public var resolvedAt: Date?
  public var resolvedBy: String?
  public var itemRef: String?
}

/// Email intake's tables (sql/0008_email.sql).
public struct MailRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The reference of the item a message already reached, found by Message-ID or, failing that,
  /// by the raw bytes' hash.
  public func known(messageID: String?, rawSHA256: [UInt8]) throws(DatabaseError) -> String? {
    try db.first(
      """
      SELECT i.ref FROM mail_messages m JOIN items i ON i.id = m.item_id
      WHERE m.message_id = $1 OR m.raw_sha256 = $2
      ORDER BY m.id LIMIT 1
      """, [messageID, rawSHA256])?.decode("ref")
  }

  /// The item a reply belongs to: the one holding any of `messageIDs`, latest reference first.
  public func thread(messageIDs: [String]) throws(DatabaseError) -> (id: Int64, ref: String)? {
    guard !messageIDs.isEmpty else { return nil }
    guard
      let row = try db.first(
        """
        SELECT i.id, i.ref FROM mail_messages m JOIN items i ON i.id = m.item_id
        WHERE m.message_id = ANY($1::text[])
        ORDER BY array_position($1::text[], m.message_id) DESC LIMIT 1
        """, [TextArray(messageIDs)])
    else { return nil }
    return (try row.decode("id"), try row.decode("ref"))
  }

  /// Whether an item's reporter has `match` among their keyed hashes.
  public func reporterMatches(itemID: Int64, match: [UInt8]) throws(DatabaseError) -> Bool {
    try db.first(
      "SELECT $2::bytea = ANY(reporter_match) AS matches FROM items WHERE id = $1", [itemID, match])?.decode(
        "matches") ?? false
  }

  public func insert(_ message: StoredMessage) throws(DatabaseError) -> Int64 {
    let id: Int64 = try db.first(
      """
      INSERT INTO mail_messages (item_id, message_id, raw_sha256, raw_sealed, size, sender_match, is_reply,
        sent_at, arrived_at, text, warnings)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[])
      RETURNING id
      """,
      [
        message.itemID, message.messageID, message.rawSHA256, message.rawSealed, message.size,
        message.senderMatch, message.isReply, message.sentAt, message.arrivedAt, message.text,
        TextArray(message.warnings),
      ])!.decode("id")
    for (position, attachment) in message.attachments.enumerated() {
      try AttachmentRepository(db).store(
        sha256: attachment.sha256, size: attachment.size, sealed: attachment.sealed)
      try db.query(
        """
        INSERT INTO mail_attachments (message_id, position, filename, content_type, sha256)
        VALUES ($1, $2, $3, $4, $5)
        """, [id, position, attachment.filename, attachment.contentType, attachment.sha256])
    }
    return id
  }

  /// Holds a message in quarantine; the same bytes already held are the same entry.
  public func quarantine(
    rawSHA256: [UInt8], rawSealed: [UInt8], size: Int, reason: String, origin: String, notMail: Bool, at: Date
  ) throws(DatabaseError) -> (id: Int64, isNew: Bool) {
    if let held = try db.first(
      "SELECT id FROM mail_quarantine WHERE raw_sha256 = $1 AND state = 'held'", [rawSHA256])
    {
      return (try held.decode("id"), false)
    }
    let id: Int64 = try db.first(
      """
      INSERT INTO mail_quarantine (raw_sha256, raw_sealed, size, reason, origin, not_mail, quarantined_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
      """, [rawSHA256, rawSealed, size, reason, origin, notMail, at])!.decode("id")
    return (id, true)
  }

  public func quarantined(includeResolved: Bool) throws(DatabaseError) -> [QuarantineEntry] {
    try db.query(
      """
      SELECT q.id, q.size, q.reason, q.origin, q.not_mail, q.quarantined_at, q.state, q.resolved_at,
        q.resolved_by, i.ref
      FROM mail_quarantine q LEFT JOIN items i ON i.id = q.item_id
      WHERE $1 OR q.state = 'held' ORDER BY q.id
      """, [includeResolved]
    ).map(Self.entry)
  }

  /// A quarantined message with its sealed bytes, locked for the retry or drop that reads it.
  public func lockQuarantined(_ id: Int64) throws(DatabaseError) -> (
    entry: QuarantineEntry, sha256: [UInt8], sealed: [UInt8]
  )? {
    guard
      let row = try db.first(
        """
        SELECT q.id, q.size, q.reason, q.origin, q.not_mail, q.quarantined_at, q.state, q.resolved_at,
          q.resolved_by, NULL::text AS ref, q.raw_sha256, q.raw_sealed
        FROM mail_quarantine q WHERE q.id = $1 FOR UPDATE
        """, [id])
    else { return nil }
    return (try Self.entry(row), try row.decode("raw_sha256"), try row.decode("raw_sealed"))
  }

  public func resolve(_ id: Int64, state: String, by: String, at: Date, itemID: Int64?) throws(DatabaseError)
  {
    try db.query(
      "UPDATE mail_quarantine SET state = $2, resolved_by = $3, resolved_at = $4, item_id = $5 WHERE id = $1",
      [id, state, by, at, itemID])
  }

  /// Records why a retry failed again, so the list shows the latest reason.
  public func updateReason(_ id: Int64, reason: String, notMail: Bool) throws(DatabaseError) {
    try db.query(
      "UPDATE mail_quarantine SET reason = $2, not_mail = $3 WHERE id = $1", [id, reason, notMail])
  }

  static func entry(_ row: Row) throws(DatabaseError) -> QuarantineEntry {
    QuarantineEntry(
      id: try row.decode("id"), size: try row.decode("size"), reason: try row.decode("reason"),
      origin: try row.decode("origin"), notMail: try row.decode("not_mail"),
      quarantinedAt: try row.decode("quarantined_at"), state: try row.decode("state"),
      resolvedAt: try row.optional("resolved_at"), resolvedBy: try row.optional("resolved_by"),
      itemRef: try row.optional("ref"))
  }
}
