import DocketCore
import Foundation

/// Items' clock facts and report periods (sql/0015_clock_arrays.sql): arrays on each item's row,
/// and the closed periods in item_closures, kept in step with their journals by the service.
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

    /// The item's `clocks`, `holds` and `periods` columns, as array literals.
    var columns: (clocks: String, holds: String, periods: String) {
      (
        CompositeArray.literal(
          facts.spans.map {
            [$0.clock.rawValue, $0.start.rfc3339, $0.stop?.rfc3339, String($0.extensionDays)]
          }),
        CompositeArray.literal(facts.holds.map { [$0.from.rfc3339, $0.until?.rfc3339] }),
        CompositeArray.literal(
          periods.map {
            [
              $0.from.rfc3339, $0.status.rawValue, $0.unitID.map(String.init), $0.closedAt?.rfc3339,
              $0.onTime.map { $0 ? "t" : "f" },
            ]
          })
      )
    }

    /// The item's item_closures rows: each closed period, with the start of the next, if any.
    var closures: [[String?]] {
      periods.indices.compactMap { index in
        let period = periods[index]
        guard period.status == .closed, let closedAt = period.closedAt else { return nil }
        let next = periods.index(after: index)
        return [
          String(itemID), period.from.rfc3339, closedAt.rfc3339, period.unitID.map(String.init),
          next < periods.endIndex ? periods[next].from.rfc3339 : nil,
        ]
      }
    }
  }

  static let closureColumns = ["item_id", "from_at", "closed_at", "unit_id", "until_at"]

  /// Replaces the stored facts, periods and closures of each item in `worked`, in one statement
  /// however many there are (two when one of them has a closed period).
  public func replace(_ worked: [Worked]) throws(DatabaseError) {
    guard !worked.isEmpty else { return }
    let ids = TextArray(worked.map { String($0.itemID) })
    let columns = worked.map(\.columns)
    let closures = worked.flatMap(\.closures)
    // The closures are deleted with the items' update, which does not touch them; their new rows
    // cannot go in the same statement, whose parts share one snapshot (see Connection.insert).
    try db.query(
      """
      WITH gone AS (DELETE FROM item_closures WHERE item_id = ANY($1::bigint[]))
      UPDATE items SET clocks = w.clocks::clock_span[], holds = w.holds::hold_span[],
        periods = w.periods::report_period[], clocks_through = w.through
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
        AS w (id, clocks, holds, periods, through)
      WHERE items.id = w.id
      """,
      [
        ids, TextArray(columns.map(\.clocks)), TextArray(columns.map(\.holds)),
        TextArray(columns.map(\.periods)),
        TextArray(worked.map(\.through.rfc3339)),
      ])
    try db.insert(into: "item_closures", CopyRows(columns: Self.closureColumns, rows: closures))
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
      SELECT i.id FROM items i
      WHERE i.clocks_through IS NOT NULL
        AND EXISTS (SELECT 1 FROM unnest(i.clocks) c WHERE c.started_at < $2 AND (c.stopped_at IS NULL OR c.stopped_at >= $1))
      ORDER BY i.id
      """, [from, until]
    ).map { row throws(DatabaseError) in try row.decode("id") }
  }

  /// How many items' facts are not worked out (the partial index on them makes this cheap).
  public func unworkedCount() throws(DatabaseError) -> Int {
    try db.first("SELECT count(*) AS n FROM items WHERE clocks_through IS NULL")!.decode("n")
  }

  /// Up to `limit` items whose facts have never been worked out, oldest first.
  public func unworked(limit: Int) throws(DatabaseError) -> [Int64] {
    try db.query("SELECT id FROM items WHERE clocks_through IS NULL ORDER BY id LIMIT $1", [limit])
      .map { row throws(DatabaseError) in try row.decode("id") }
  }

  /// The stored facts, running clocks only, of these items, or of every item when `itemIDs` is
  /// nil. An item's facts hold from its ``ItemSummary/clocksThrough`` on; one never worked out
  /// has none here.
  public func running(itemIDs: [Int64]? = nil) throws(DatabaseError) -> [Int64: ClockFacts] {
    var out: [Int64: ClockFacts] = [:]
    // One row per running clock or hold, in item order, so each item is stored once; `hold`
    // tells the two apart.
    var current: (id: Int64, facts: ClockFacts)?
    for row in try db.query(
      """
      SELECT i.id, false AS hold, c.clock::text AS clock, c.started_at AS from_at, NULL::timestamptz AS until_at,
        c.extension_days, c.n
      FROM items i CROSS JOIN LATERAL unnest(i.clocks) WITH ORDINALITY AS c
        (clock, started_at, stopped_at, extension_days, n)
      WHERE c.stopped_at IS NULL AND ($1::bigint[] IS NULL OR i.id = ANY($1::bigint[]))
      UNION ALL
      SELECT i.id, true, NULL, h.held_from, h.held_until, 0, h.n
      FROM items i CROSS JOIN LATERAL unnest(i.holds) WITH ORDINALITY AS h (held_from, held_until, n)
      WHERE $1::bigint[] IS NULL OR i.id = ANY($1::bigint[])
      ORDER BY id, hold, n
      """, [itemIDs.map { TextArray($0.map(String.init)) }])
    {
      let id: Int64 = try row.decode("id")
      if current?.id != id {
        if let current { out[current.id] = current.facts }
        current = (id, ClockFacts(spans: [], holds: []))
      }
      if try row.decode("hold") {
        current!.facts.holds.append(
          HoldSpan(from: try row.decode("from_at"), until: try row.optional("until_at")))
      } else {
        current!.facts.spans.append(
          ClockSpan(
            clock: try ItemRepository.term(row, "clock"), start: try row.decode("from_at"),
            extensionDays: try row.decode("extension_days")))
      }
    }
    if let current { out[current.id] = current.facts }
    return out
  }
}
