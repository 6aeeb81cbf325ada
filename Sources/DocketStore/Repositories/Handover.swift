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

/// Handover batches and the bulk writes of an import (sql/0009_handover.sql), through COPY.
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

  /// Reserves `count` reference numbers of one year and kind, under the counter's row lock; returns
  /// the first.
  public func reserveSequences(year: Int, kind: Kind, count: Int) throws(DatabaseError) -> Int {
    let last: Int = try db.first(
      """
      INSERT INTO reference_counters (year, kind, last) VALUES ($1, $2, $3)
      ON CONFLICT (year, kind) DO UPDATE SET last = reference_counters.last + $3
      RETURNING last
      """, [year, kind.rawValue, count])!.decode("last")
    return last - count + 1
  }

  /// Draws `count` ids from the items' own sequence, so that a batch's rows go in with their ids
  /// and nothing has to be read back to learn them.
  public func reserveItemIDs(_ count: Int) throws(DatabaseError) -> [Int64] {
    try db.query(
      "SELECT nextval(pg_get_serial_sequence('items', 'id')) AS id FROM generate_series(1, $1)", [count]
    ).map { (row) throws(DatabaseError) in try row.decode("id") }
  }

  /// Items of a batch in state `registered` under the ids reserved for them, and their accused, encoded
  /// for ``write(_:)``. Their clock facts go in with them (``ClockRepository/NewRows``): a new item
  /// has no event after its receipt.
  public struct ItemRows: Sendable {
    public var items: CopyRows
    public var accused: CopyRows

    public init(_ newItems: [NewItem], ids: [Int64], batchID: Int64) {
      let batch = String(batchID)
      items = CopyRows(columns: [
        "id", "ref", "kind", "source", "channel", "subject", "summary", "category", "reporter_kind",
        "reporter_sealed", "reporter_match", "received_at", "state", "state_since", "channel_details",
        "registered_by", "last_event_at", "batch_id", "clocks_through",
      ])
      accused = CopyRows(columns: ["item_id", "position", "name", "unit_id", "unit_name", "rank"])
      for (item, id) in zip(newItems, ids) {
        let received = item.receivedAt.rfc3339
        let itemID = String(id)
        items.append([
          itemID, item.ref, item.kind.rawValue, item.source.rawValue, item.channel.rawValue, item.subject,
          item.summary, item.category, item.reporterKind.rawValue, item.reporterSealed.map { "\\x" + $0.hex },
          ByteaArray(item.reporterMatch).literal, received, "registered", received, item.channelDetails,
          String(item.registeredBy), received, batch, received,
        ])
        for (position, person) in item.accused.enumerated() {
          accused.append([
            itemID, String(position + 1), person.name, person.unitID.map(String.init), person.unitName,
            person.rank,
          ])
        }
      }
    }
  }

  /// Writes a batch's items and their accused.
  public func write(_ rows: ItemRows) throws(DatabaseError) {
    try db.copy(into: "items", rows.items)
    try db.copy(into: "accused", rows.accused)
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
