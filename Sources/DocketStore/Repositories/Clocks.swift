import DocketCore
import Foundation

/// Items' clock facts (sql/0005_clock_facts.sql), kept in step with their journals by the service.
public struct ClockRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// What was worked out for one item from its journal through `through`, to be stored.
  public struct Worked: Sendable {
    public var itemID: Int64
    public var facts: ClockFacts
    public var periods: [ReportPeriod]
    public var through: Date
    public init(itemID: Int64, facts: ClockFacts, periods: [ReportPeriod], through: Date) {
      self.itemID = itemID
      self.facts = facts
      self.periods = periods
      self.through = through
    }
  }

  /// Replaces the stored facts and report periods of each item in `worked`, in a few statements
  /// however many there are.
  public func replace(_ worked: [Worked]) throws(DatabaseError) {
    guard !worked.isEmpty else { return }
    let ids = TextArray(worked.map { String($0.itemID) })
    try db.query("DELETE FROM item_clocks WHERE item_id = ANY($1::bigint[])", [ids])
    try db.query("DELETE FROM item_holds WHERE item_id = ANY($1::bigint[])", [ids])
    try db.query("DELETE FROM item_periods WHERE item_id = ANY($1::bigint[])", [ids])
    try insert(Rows(worked))
    try db.query(
      """
      UPDATE items SET clocks_through = w.through
      FROM unnest($1::bigint[], $2::timestamptz[]) AS w (id, through)
      WHERE items.id = w.id
      """, [ids, TextArray(worked.map(\.through.rfc3339))])
  }

  /// The three tables' rows for `worked`, in each table's column order: sent with the items of a
  /// registration (``NewItemRows``), or after an event's rows are deleted (``replace(_:)``).
  public struct Rows: Sendable {
    var periods = CopyRows(columns: ["item_id", "from_at", "status", "unit_id", "closed_at", "on_time"])
    var clocks = CopyRows(columns: ["item_id", "clock", "started_at", "stopped_at", "extension_days"])
    var holds = CopyRows(columns: ["item_id", "held_from", "held_until"])

    /// Each table with its rows, for ``Connection/insert(_:alongside:)``.
    var tables: [(table: String, rows: CopyRows)] {
      [("item_periods", periods), ("item_clocks", clocks), ("item_holds", holds)]
    }

    public init(_ worked: [Worked]) {
      for item in worked {
        let itemID = String(item.itemID)
        for period in item.periods {
          periods.append([
            itemID, period.from.rfc3339, period.status.rawValue, period.unitID.map(String.init),
            period.closedAt?.rfc3339, period.onTime.map { $0 ? "t" : "f" },
          ])
        }
        for span in item.facts.spans {
          clocks.append([
            itemID, span.clock.rawValue, span.start.rfc3339, span.stop?.rfc3339, String(span.extensionDays),
          ])
        }
        for hold in item.facts.holds {
          holds.append([itemID, hold.from.rfc3339, hold.until?.rfc3339])
        }
      }
    }
  }

  /// Writes rows worked out for items that have none stored.
  func insert(_ rows: Rows) throws(DatabaseError) {
    try db.insert(rows.tables)
  }

  /// Marks every item's facts as to be worked out again (the policy or the calendar changed);
  /// until they are, readers replay journals.
  public func markAllUnworked() throws(DatabaseError) {
    try db.query("UPDATE items SET clocks_through = NULL WHERE clocks_through IS NOT NULL")
  }

  /// Items whose facts have been worked out and that have a clock running at some time from `from`
  /// to before `until`: started before `until`, and not stopped before `from`.
  public func itemsRunning(from: Date, until: Date) throws(DatabaseError) -> [Int64] {
    try db.query(
      """
      SELECT DISTINCT c.item_id FROM item_clocks c JOIN items i ON i.id = c.item_id
      WHERE i.clocks_through IS NOT NULL AND c.started_at < $2 AND (c.stopped_at IS NULL OR c.stopped_at >= $1)
      ORDER BY c.item_id
      """, [from, until]
    ).map { row throws(DatabaseError) in try row.decode("item_id") }
  }

  /// Up to `limit` items whose facts have never been worked out, oldest first.
  public func unworked(limit: Int) throws(DatabaseError) -> [Int64] {
    try db.query("SELECT id FROM items WHERE clocks_through IS NULL ORDER BY id LIMIT $1", [limit])
      .map { row throws(DatabaseError) in try row.decode("id") }
  }

  /// The stored facts, running clocks only, of these items, or of every item when `itemIDs` is
  /// nil. An item's facts hold from its ``ItemSummary/clocksThrough`` on; one never worked out
  /// has none here.
  ///
  /// Running clocks are read without the items: joining them doubled the board's time, and a
  /// caller has the items it asks about already.
  public func running(itemIDs: [Int64]? = nil) throws(DatabaseError) -> [Int64: ClockFacts] {
    let scope: [any SQLBindable] = [itemIDs.map { TextArray($0.map(String.init)) }]
    var out: [Int64: ClockFacts] = [:]
    // In item order (the running index gives it for free), so each item is stored once.
    var current: (id: Int64, spans: [ClockSpan])?
    for row in try db.query(
      """
      SELECT item_id, clock, started_at, extension_days FROM item_clocks
      WHERE stopped_at IS NULL AND ($1::bigint[] IS NULL OR item_id = ANY($1::bigint[]))
      ORDER BY item_id
      """, scope)
    {
      let id: Int64 = try row.decode("item_id")
      let span = ClockSpan(
        clock: try ItemRepository.term(row, "clock"), start: try row.decode("started_at"),
        extensionDays: try row.decode("extension_days"))
      if current?.id == id {
        current!.spans.append(span)
      } else {
        if let current { out[current.id] = ClockFacts(spans: current.spans, holds: []) }
        current = (id, [span])
      }
    }
    if let current { out[current.id] = ClockFacts(spans: current.spans, holds: []) }
    for row in try db.query(
      """
      SELECT item_id, held_from, held_until FROM item_holds
      WHERE $1::bigint[] IS NULL OR item_id = ANY($1::bigint[])
      ORDER BY item_id, held_from
      """, scope)
    {
      out[try row.decode("item_id"), default: ClockFacts(spans: [], holds: [])].holds.append(
        HoldSpan(from: try row.decode("held_from"), until: try row.optional("held_until")))
    }
    return out
  }
}
