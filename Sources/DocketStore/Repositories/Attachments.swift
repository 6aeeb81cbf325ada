import DocketCore
import Foundation

/// The attachments store (`attachments`, content-addressed by SHA-256, its bytes sealed), the files
/// registered at intake (`intake_attachments`), and released copies (`attachment_releases`).
public struct AttachmentRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Stores sealed bytes under their plain SHA-256, once: the same file brought again is the same
  /// row, opened with the envelope it was first sealed in.
  public func store(sha256: [UInt8], size: Int, sealed: [UInt8]) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO attachments (sha256, size, content, sealed) VALUES ($1, $2, $3, true)
      ON CONFLICT (sha256) DO NOTHING
      """, [sha256, size, sealed])
  }

  /// Files brought at intake, numbered from `position` 0 in the order given.
  public func addToItem(
    _ itemID: Int64, files: [(filename: String?, contentType: String, sha256: [UInt8])], at: Date
  ) throws(DatabaseError) {
    for (position, file) in files.enumerated() {
      try db.query(
        """
        INSERT INTO intake_attachments (item_id, position, filename, content_type, sha256, added_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        """, [itemID, position, file.filename, file.contentType, file.sha256, at])
    }
  }

  /// An item's attachments, from its emails and its intake, in arrival order and numbered so.
  public func list(itemID: Int64) throws(DatabaseError) -> [AttachmentEntry] {
    try db.query(
      """
      WITH files AS (
        SELECT 'email' AS source, m.arrived_at AS at, m.id AS message, a.position, a.filename, a.content_type,
          a.sha256
        FROM mail_messages m JOIN mail_attachments a ON a.message_id = m.id WHERE m.item_id = $1
        UNION ALL
        SELECT 'intake', i.added_at, 0, i.position, i.filename, i.content_type, i.sha256
        FROM intake_attachments i WHERE i.item_id = $1
      )
      SELECT row_number() OVER (ORDER BY f.at, f.message, f.position) AS number, f.source, f.filename,
        f.content_type, s.size, f.sha256, f.at, r.released_at, r.released_by
      FROM files f JOIN attachments s ON s.sha256 = f.sha256
      LEFT JOIN attachment_releases r ON r.item_id = $1 AND r.sha256 = f.sha256
      ORDER BY number
      """, [itemID]
    ).map { row throws(DatabaseError) in
      AttachmentEntry(
        number: try row.decode("number"), source: try row.decode("source"),
        filename: try row.optional("filename"),
        contentType: try row.decode("content_type"), size: try row.decode("size"),
        sha256: try row.decode("sha256"),
        arrivedAt: try row.decode("at"), releasedAt: try row.optional("released_at"),
        releasedBy: try row.optional("released_by"))
    }
  }

  /// The stored bytes of an attachment: sealed (or, from before sealing, plain: `sealed` false).
  public func content(sha256: [UInt8]) throws(DatabaseError) -> (bytes: [UInt8], sealed: Bool)? {
    try db.first("SELECT content, sealed FROM attachments WHERE sha256 = $1", [sha256]).map {
      row throws(DatabaseError) in (try row.decode("content"), try row.decode("sealed"))
    }
  }

  public func release(itemID: Int64, sha256: [UInt8], by login: String, at: Date, content: [UInt8])
    throws(DatabaseError)
  {
    try db.query(
      """
      INSERT INTO attachment_releases (item_id, sha256, released_by, released_at, content)
      VALUES ($1, $2, $3, $4, $5)
      """, [itemID, sha256, login, at, content])
  }

  /// The released copy of an attachment of an item, if a custodian released it.
  public func released(itemID: Int64, sha256: [UInt8]) throws(DatabaseError) -> [UInt8]? {
    try db.first(
      "SELECT content FROM attachment_releases WHERE item_id = $1 AND sha256 = $2", [itemID, sha256]
    )?.decode("content")
  }

  /// Up to `limit` attachments stored before sealing (plain bytes), from the lowest SHA-256 above
  /// `after`.
  public func plain(after: [UInt8], limit: Int) throws(DatabaseError) -> [(sha256: [UInt8], content: [UInt8])]
  {
    try db.query(
      "SELECT sha256, content FROM attachments WHERE NOT sealed AND sha256 > $1 ORDER BY sha256 LIMIT $2",
      [after, limit]
    ).map { row throws(DatabaseError) in (try row.decode("sha256"), try row.decode("content")) }
  }

  public func seal(_ rows: [(sha256: [UInt8], sealed: [UInt8])]) throws(DatabaseError) {
    for row in rows {
      try db.query(
        "UPDATE attachments SET content = $2, sealed = true WHERE sha256 = $1", [row.sha256, row.sealed])
    }
  }

  public func plainCount() throws(DatabaseError) -> Int {
    try db.first("SELECT count(*) AS n FROM attachments WHERE NOT sealed")!.decode("n")
  }
}
