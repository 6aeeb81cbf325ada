import DocketCore
import Foundation

/// Texts a registrar hides after registration (`docket redact`): the item's subject and summary and
/// its emails' texts, rewritten with the marker, and the wording before, sealed (`redactions`).
public struct RedactionRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The texts of an item's emails, by message id.
  public func mailTexts(itemID: Int64) throws(DatabaseError) -> [(id: Int64, text: String)] {
    try db.query("SELECT id, text FROM mail_messages WHERE item_id = $1 ORDER BY id", [itemID]).map {
      row throws(DatabaseError) in (try row.decode("id"), try row.decode("text"))
    }
  }

  /// Writes the redacted texts, if the item is still at `expectedVersion` (false otherwise, and
  /// nothing is written); the sealed wording before goes in as the item's next redaction.
  public func apply(
    itemID: Int64, expectedVersion: Int, subject: String, summary: String, mail: [(id: Int64, text: String)],
    sealed: [UInt8], by login: String, at: Date
  ) throws(DatabaseError) -> Bool {
    guard
      try db.execute(
        count:
          "UPDATE items SET subject = $3, summary = $4, version = version + 1 WHERE id = $1 AND version = $2",
        [itemID, expectedVersion, subject, summary]) == 1
    else { return false }
    for message in mail {
      try db.query("UPDATE mail_messages SET text = $2 WHERE id = $1", [message.id, message.text])
    }
    try db.query(
      """
      INSERT INTO redactions (item_id, number, sealed, redacted_by, redacted_at)
      SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4 FROM redactions WHERE item_id = $1
      """, [itemID, sealed, login, at])
    return true
  }
}
