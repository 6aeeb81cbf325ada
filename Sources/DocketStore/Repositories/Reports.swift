import DocketCore
import Foundation

/// One item as reports read it, with its stored periods.
public struct StoredReportItem: Sendable {
  public var id: Int64
  public var item: ReportItem
  public var unitID: Int?
  /// Nil when the periods were never worked out (see ``ItemSummary/clocksThrough``).
  public var clocksThrough: Date?
}

/// What reports read (sql/0006_report_periods.sql).
public struct ReportRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Every item received before `end` (in registration order) with its report periods.
  public func items(receivedBefore end: Date) throws(DatabaseError) -> [StoredReportItem] {
    var out: [StoredReportItem] = []
    var index: [Int64: Int] = [:]
    for row in try db.query(
      """
      SELECT id, received_at, kind, source, channel, category, unit_id, clocks_through
      FROM items WHERE received_at < $1 ORDER BY id
      """, [end])
    {
      let id: Int64 = try row.decode("id")
      index[id] = out.count
      out.append(
        StoredReportItem(
          id: id,
          item: ReportItem(
            receivedAt: try row.decode("received_at"), kind: try ItemRepository.term(row, "kind"),
            source: try ItemRepository.term(row, "source"), channel: try ItemRepository.term(row, "channel"),
            category: try row.optional("category"), periods: []),
          unitID: try row.optional("unit_id"), clocksThrough: try row.optional("clocks_through")))
    }
    for row in try db.query(
      """
      SELECT p.item_id, p.from_at, p.status, p.unit_id, p.closed_at, p.on_time
      FROM item_periods p JOIN items i ON i.id = p.item_id
      WHERE i.received_at < $1 AND i.clocks_through IS NOT NULL
      ORDER BY p.item_id, p.from_at
      """, [end])
    {
      guard let at = index[try row.decode("item_id")] else { continue }
      out[at].item.periods.append(
        ReportPeriod(
          from: try row.decode("from_at"), status: try ItemRepository.term(row, "status"),
          unitID: try row.optional("unit_id"), closedAt: try row.optional("closed_at"),
          onTime: try row.optional("on_time")))
    }
    return out
  }
}
