import DocketCore
import Foundation

/// What the weekly bulletin reads.
extension ReportRepository {
  /// Items received in [from, to), by channel and kind: how many, and how many of them were
  /// duplicates as of `to`; with `unitID`, only the items now assigned to that unit.
  public func intake(from: Date, to: Date, unitID: Int? = nil) throws(DatabaseError) -> [(
    channel: Channel, kind: Kind, received: Int, duplicates: Int
  )] {
    try db.query(
      """
      SELECT i.channel, i.kind, count(*) FILTER (WHERE p.status IS DISTINCT FROM 'duplicate') AS received,
        count(*) FILTER (WHERE p.status = 'duplicate') AS duplicates
      FROM items i LEFT JOIN LATERAL (
        SELECT status FROM unnest(i.periods) WHERE from_at < $2 ORDER BY from_at DESC LIMIT 1
      ) p ON true
      WHERE i.received_at >= $1 AND i.received_at < $2 AND ($3::integer IS NULL OR i.unit_id = $3)
      GROUP BY i.channel, i.kind ORDER BY i.channel, i.kind
      """, [from, to, unitID]
    ).map { row throws(DatabaseError) in
      (
        try ItemRepository.term(row, "channel"), try ItemRepository.term(row, "kind"),
        try row.decode("received"), try row.decode("duplicates")
      )
    }
  }

  /// Items that closed in [from, to) and were still closed at `to`, by responsible unit (nil: none).
  public func closures(from: Date, to: Date, unitID: Int? = nil) throws(DatabaseError) -> [(
    unitID: Int?, count: Int
  )] {
    try db.query(
      """
      SELECT unit_id, count(*) AS n FROM item_closures
      WHERE closed_at >= $1 AND closed_at < $2 AND from_at < $2 AND (until_at IS NULL OR until_at >= $2)
        AND ($3::integer IS NULL OR unit_id = $3)
      GROUP BY unit_id ORDER BY unit_id NULLS LAST
      """, [from, to, unitID]
    ).map { row throws(DatabaseError) in (try row.optional("unit_id"), try row.decode("n")) }
  }

  /// The items open (or overdue) at `moment`, by id.
  public func openItems(at moment: Date) throws(DatabaseError) -> [Int64] {
    try db.query(
      """
      SELECT i.id AS item_id FROM items i
      WHERE (SELECT status FROM unnest(i.periods) WHERE from_at < $1 ORDER BY from_at DESC LIMIT 1)
        IN ('open', 'overdue')
      """, [moment]
    ).map { row throws(DatabaseError) in try row.decode("item_id") }
  }
}
