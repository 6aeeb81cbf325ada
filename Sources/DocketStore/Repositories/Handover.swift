import DocketCore
import Foundation

/// A batch as recorded: what was imported, from where, by whom.
public struct HandoverBatch: Sendable {
  public var id: Int64
  public var source: String
  public var handedOverBy: String
  public var handoverDate: String
  public var fileName: String
  public var items: Int
  public var rejected: Int
  public var importedAt: Date
  public var importedBy: String
}

/// Handover batches (sql/0009_handover.sql); their items are written as any new item is
/// (``RegistrationRepository``).
public struct HandoverRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The batch with this identity, if the list was imported before.
  public func batch(source: String, handoverDate: CivilDate, sha256: [UInt8]) throws(DatabaseError)
    -> HandoverBatch?
  {
    try db.first(
      Self.selectBatch + " WHERE source = $1 AND handover_date = $2::date AND file_sha256 = $3",
      [source, handoverDate.description, sha256]
    ).map(Self.batch)
  }

  public func insertBatch(
    source: String, handedOverBy: String, handoverDate: CivilDate, fileName: String, sha256: [UInt8],
    items: Int,
    rejected: Int, at: Date, by: String
  ) throws(DatabaseError) -> Int64 {
    try db.first(
      """
      INSERT INTO handover_batches (source, handed_over_by, handover_date, file_name, file_sha256, items, rejected,
        imported_at, imported_by)
      VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9) RETURNING id
      """,
      [source, handedOverBy, handoverDate.description, fileName, sha256, items, rejected, at, by])!.decode(
        "id")
  }

  private static let selectBatch = """
    SELECT id, source, handed_over_by, handover_date::text AS handover_date, file_name, items, rejected,
      imported_at, imported_by
    FROM handover_batches
    """

  private static func batch(_ row: Row) throws(DatabaseError) -> HandoverBatch {
    HandoverBatch(
      id: try row.decode("id"), source: try row.decode("source"),
      handedOverBy: try row.decode("handed_over_by"),
      handoverDate: try row.decode("handover_date"), fileName: try row.decode("file_name"),
      items: try row.decode("items"), rejected: try row.decode("rejected"),
      importedAt: try row.decode("imported_at"),
      importedBy: try row.decode("imported_by"))
  }
}
