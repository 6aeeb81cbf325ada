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
      out[at].item.periods.append(try Self.period(row))
    }
    return out
  }

  /// The items `ids` with their stored periods, by id.
  public func items(ids: [Int64]) throws(DatabaseError) -> [Int64: ReportItem] {
    var out: [Int64: ReportItem] = [:]
    let scope = TextArray(ids.map(String.init))
    for row in try db.query(
      "SELECT id, received_at, kind, source, channel, category FROM items WHERE id = ANY($1::bigint[])",
      [scope])
    {
      out[try row.decode("id")] = ReportItem(
        receivedAt: try row.decode("received_at"), kind: try ItemRepository.term(row, "kind"),
        source: try ItemRepository.term(row, "source"), channel: try ItemRepository.term(row, "channel"),
        category: try row.optional("category"), periods: [])
    }
    for row in try db.query(
      """
      SELECT item_id, from_at, status, unit_id, closed_at, on_time FROM item_periods
      WHERE item_id = ANY($1::bigint[]) ORDER BY item_id, from_at
      """, [scope])
    {
      out[try row.decode("item_id")]?.periods.append(try Self.period(row))
    }
    return out
  }

  /// Adds `change` to the rollup, cell by cell in key order (so that two writers cannot deadlock).
  public func apply(_ change: [RollupKey: Int]) throws(DatabaseError) {
    guard !change.isEmpty else { return }
    let cells = change.sorted { $0.key < $1.key }
    try db.query(
      """
      INSERT INTO report_rollup AS r (month, received_month, kind, source, channel, category, unit_id, status,
        closed_month, on_time, n)
      SELECT * FROM unnest($1::date[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[],
        $7::integer[], $8::text[], $9::date[], $10::smallint[], $11::bigint[])
      ON CONFLICT (month, received_month, kind, source, channel, category, unit_id, status, closed_month, on_time)
      DO UPDATE SET n = r.n + EXCLUDED.n
      """,
      [
        TextArray(cells.map(\.key.month.description)), TextArray(cells.map(\.key.receivedMonth.description)),
        TextArray(cells.map(\.key.kind.rawValue)), TextArray(cells.map(\.key.source.rawValue)),
        TextArray(cells.map(\.key.channel.rawValue)), TextArray(cells.map(\.key.category)),
        TextArray(cells.map { String($0.key.unitID) }), TextArray(cells.map(\.key.status.rawValue)),
        TextArray(cells.map { $0.key.closedMonth?.description ?? "0001-01-01" }),
        TextArray(cells.map { $0.key.onTime.map { $0 ? "1" : "0" } ?? "-1" }),
        TextArray(cells.map { String($0.value) }),
      ])
  }

  /// Empties the rollup and every item's periods, for a rebuild (the office's time zone changed).
  public func reset() throws(DatabaseError) {
    try db.query("DELETE FROM report_rollup")
    try db.query("DELETE FROM item_periods")
  }

  /// Whether any item's periods are not worked out (the rollup then leaves it out).
  public func anyUnworked() throws(DatabaseError) -> Bool {
    try db.first("SELECT EXISTS (SELECT 1 FROM items WHERE clocks_through IS NULL) AS any")!.decode("any")
  }

  static func period(_ row: Row) throws(DatabaseError) -> ReportPeriod {
    ReportPeriod(
      from: try row.decode("from_at"), status: try ItemRepository.term(row, "status"),
      unitID: try row.optional("unit_id"), closedAt: try row.optional("closed_at"),
      onTime: try row.optional("on_time"))
  }

  /// Scope and grouping as bound parameters: the rollup's filters and group columns are chosen by
  /// flags, so that no SQL is ever put together from what a person typed.
  private func scopeParameters(_ scope: ReportScope, _ dimensions: [ReportDimension]?) -> [any SQLBindable] {
    [
      TextArray(scope.kinds.map(\.rawValue)), TextArray(scope.sources.map(\.rawValue)),
      TextArray(scope.channels.map(\.rawValue)), TextArray(scope.categories),
      TextArray(scope.unitIDs.map(String.init)),
    ] + (dimensions.map { dimensions in ReportDimension.allCases.map { dimensions.contains($0) } } ?? [])
  }

  // $1…$5 the scope, $6…$10 whether to group by unit, kind, source, channel, category.
  private static let scopeCondition = """
    (cardinality($1::text[]) = 0 OR kind = ANY($1::text[]))
    AND (cardinality($2::text[]) = 0 OR source = ANY($2::text[]))
    AND (cardinality($3::text[]) = 0 OR channel = ANY($3::text[]))
    AND (cardinality($4::text[]) = 0 OR category = ANY($4::text[]))
    AND (cardinality($5::text[]) = 0 OR unit_id = ANY($5::integer[]))
    """
  private static let groupColumns = """
    CASE WHEN $6::boolean THEN nullif(unit_id, 0)::text END AS g_unit,
    CASE WHEN $7::boolean THEN kind END AS g_kind, CASE WHEN $8::boolean THEN source END AS g_source,
    CASE WHEN $9::boolean THEN channel END AS g_channel,
    CASE WHEN $10::boolean THEN nullif(category, '') END AS g_category
    """

  /// The rollup summed up to `month` (inclusive, first days of months), per month of change,
  /// month received, status, month closed and punctuality, over `scope`; enough to work out the
  /// totals of any month up to `month`.
  public func rollup(through month: CivilDate, scope: ReportScope) throws(DatabaseError) -> [RollupCell] {
    try db.query(
      """
      SELECT month, received_month, status, closed_month, on_time, sum(n) AS n FROM report_rollup
      WHERE month <= $6::date AND \(Self.scopeCondition)
      GROUP BY month, received_month, status, closed_month, on_time HAVING sum(n) <> 0
      """, scopeParameters(scope, nil) + [month.description]
    ).map { row throws(DatabaseError) in
      let onTime: Int = try row.decode("on_time")
      return RollupCell(
        month: try Self.day(row, "month"), receivedMonth: try Self.day(row, "received_month"),
        status: try ItemRepository.term(row, "status"),
        closedMonth: try Self.day(row, "closed_month").year == 1 ? nil : try Self.day(row, "closed_month"),
        onTime: onTime < 0 ? nil : onTime == 1, count: try row.decode("n"))
    }
  }

  /// The counted figures of each group (by `dimensions`) for `month` and for `earlier`, with
  /// their cohorts starting at `cohortStart` and `earlierCohortStart` (first days of months; nil
  /// for everything).
  public func groupCounts(
    month: CivilDate, cohortStart: CivilDate?, earlier: CivilDate, earlierCohortStart: CivilDate?,
    scope: ReportScope, dimensions: [ReportDimension]
  ) throws(DatabaseError) -> [(
    key: [ReportDimension: String], current: MonthlyFigures, earlier: MonthlyFigures
  )] {
    let counts = """
      sum(n) FILTER (WHERE month <= $M AND received_month = $M AND status <> 'duplicate') AS received_S,
      sum(n) FILTER (WHERE month <= $M AND received_month = $M AND status = 'duplicate') AS duplicates_S,
      sum(n) FILTER (WHERE month <= $M AND received_month >= $C AND status <> 'duplicate') AS cohort_received_S,
      sum(n) FILTER (WHERE month <= $M AND received_month >= $C AND status = 'closed') AS cohort_closed_S,
      sum(n) FILTER (WHERE month <= $M AND status IN ('open', 'overdue')) AS open_S,
      sum(n) FILTER (WHERE month <= $M AND status = 'overdue') AS overdue_S,
      sum(n) FILTER (WHERE month <= $M AND status = 'closed' AND closed_month = $M) AS closed_S,
      sum(n) FILTER (WHERE month <= $M AND status = 'closed' AND closed_month = $M AND on_time >= 0) AS timed_S,
      sum(n) FILTER (WHERE month <= $M AND status = 'closed' AND closed_month = $M AND on_time = 1) AS on_time_S
      """
    let current = counts.replacingOccurrences(of: "$M", with: "$11::date")
      .replacingOccurrences(of: "$C", with: "$12::date").replacingOccurrences(of: "_S", with: "_now")
    let past = counts.replacingOccurrences(of: "$M", with: "$13::date")
      .replacingOccurrences(of: "$C", with: "$14::date").replacingOccurrences(of: "_S", with: "_then")
    let rows = try db.query(
      """
      SELECT \(Self.groupColumns), \(current), \(past)
      FROM report_rollup WHERE month <= $11::date AND \(Self.scopeCondition)
      GROUP BY g_unit, g_kind, g_source, g_channel, g_category
      """,
      scopeParameters(scope, dimensions) + [
        month.description, (cohortStart ?? CivilDate(year: 1, month: 1, day: 1)!).description,
        earlier.description, (earlierCohortStart ?? CivilDate(year: 1, month: 1, day: 1)!).description,
      ])
    return try rows.map { row throws(DatabaseError) in
      func figures(_ suffix: String) throws(DatabaseError) -> MonthlyFigures {
        func count(_ name: String) throws(DatabaseError) -> Int { try row.optional(name + suffix) ?? 0 }
        var f = MonthlyFigures()
        f.received = try count("received")
        f.duplicates = try count("duplicates")
        f.cohortReceived = try count("cohort_received")
        f.cohortClosed = try count("cohort_closed")
        f.openAtEnd = try count("open")
        f.overdueAtEnd = try count("overdue")
        f.closed = try count("closed")
        f.closedWithDeadline = try count("timed")
        f.closedOnTime = try count("on_time")
        return f
      }
      var key: [ReportDimension: String] = [:]
      for dimension in dimensions {
        if let value: String = try row.optional("g_" + dimension.rawValue) { key[dimension] = value }
      }
      return (key, try figures("_now"), try figures("_then"))
    }
  }

  /// The median days from receipt to closing of the items closed in [start, end) and still
  /// closed at `end`, per group, over `scope`.
  public func medianDaysToClose(
    start: Date, end: Date, scope: ReportScope, dimensions: [ReportDimension]
  ) throws(DatabaseError) -> [[ReportDimension: String]: Double] {
    var out: [[ReportDimension: String]: Double] = [:]
    for row in try db.query(
      """
      SELECT \(Self.groupColumns),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - received_at) / 86400) AS days
      FROM (
        SELECT coalesce(p.unit_id, 0) AS unit_id, i.kind, i.source, i.channel, coalesce(i.category, '') AS category,
          p.closed_at, i.received_at
        FROM item_periods p JOIN items i ON i.id = p.item_id
        WHERE p.status = 'closed' AND p.closed_at >= $11 AND p.closed_at < $12 AND p.from_at < $12
          AND NOT EXISTS (
            SELECT 1 FROM item_periods later
            WHERE later.item_id = p.item_id AND later.from_at > p.from_at AND later.from_at < $12)
      ) closed
      WHERE \(Self.scopeCondition)
      GROUP BY g_unit, g_kind, g_source, g_channel, g_category
      """, scopeParameters(scope, dimensions) + [start, end])
    {
      var key: [ReportDimension: String] = [:]
      for dimension in dimensions {
        if let value: String = try row.optional("g_" + dimension.rawValue) { key[dimension] = value }
      }
      out[key] = try row.optional("days")
    }
    return out
  }

  static func day(_ row: Row, _ column: String) throws(DatabaseError) -> CivilDate {
    let text: String = try row.decode(column)
    guard let day = CivilDate(text) else {
      throw DatabaseError(kind: .decoding, message: "column \(column) holds '\(text)', not a date")
    }
    return day
  }

  /// Items received in [from, to), by channel and kind: how many, and how many of them were
  /// duplicates as of `to`.
  public func intake(from: Date, to: Date) throws(DatabaseError) -> [(
    channel: Channel, kind: Kind, received: Int, duplicates: Int
  )] {
    try db.query(
      """
      SELECT i.channel, i.kind, count(*) FILTER (WHERE p.status IS DISTINCT FROM 'duplicate') AS received,
        count(*) FILTER (WHERE p.status = 'duplicate') AS duplicates
      FROM items i LEFT JOIN LATERAL (
        SELECT status FROM item_periods WHERE item_id = i.id AND from_at < $2 ORDER BY from_at DESC LIMIT 1
      ) p ON true
      WHERE i.received_at >= $1 AND i.received_at < $2
      GROUP BY i.channel, i.kind ORDER BY i.channel, i.kind
      """, [from, to]
    ).map { row throws(DatabaseError) in
      (
        try ItemRepository.term(row, "channel"), try ItemRepository.term(row, "kind"),
        try row.decode("received"), try row.decode("duplicates")
      )
    }
  }

  /// Items that closed in [from, to) and were still closed at `to`, by responsible unit (nil: none).
  public func closures(from: Date, to: Date) throws(DatabaseError) -> [(unitID: Int?, count: Int)] {
    try db.query(
      """
      SELECT p.unit_id, count(*) AS n FROM item_periods p
      WHERE p.status = 'closed' AND p.closed_at >= $1 AND p.closed_at < $2 AND p.from_at < $2
        AND NOT EXISTS (
          SELECT 1 FROM item_periods later
          WHERE later.item_id = p.item_id AND later.from_at > p.from_at AND later.from_at < $2)
      GROUP BY p.unit_id ORDER BY p.unit_id NULLS LAST
      """, [from, to]
    ).map { row throws(DatabaseError) in (try row.optional("unit_id"), try row.decode("n")) }
  }

  /// The items open (or overdue) at `moment`, by id.
  public func openItems(at moment: Date) throws(DatabaseError) -> [Int64] {
    try db.query(
      """
      SELECT p.item_id FROM item_periods p
      WHERE p.status IN ('open', 'overdue') AND p.from_at < $1
        AND NOT EXISTS (
          SELECT 1 FROM item_periods later
          WHERE later.item_id = p.item_id AND later.from_at > p.from_at AND later.from_at < $1)
      """, [moment]
    ).map { row throws(DatabaseError) in try row.decode("item_id") }
  }
}
