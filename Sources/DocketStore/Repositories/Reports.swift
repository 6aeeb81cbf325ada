import DocketCore
import Foundation

/// One item as reports read it, with its stored periods.
public struct StoredReportItem: Sendable {
  public var id: Int64
  public var item: ReportItem
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
    // An item per row with its first period, and a row more for each further period.
    for row in try db.query(
      """
      SELECT i.id, i.received_at, i.kind, i.source, i.channel, i.category, i.clocks_through, p.n,
        p.from_at, p.status::text AS status, p.unit_id, p.closed_at, p.on_time
      FROM items i LEFT JOIN LATERAL unnest(CASE WHEN i.clocks_through IS NOT NULL THEN i.periods END)
        WITH ORDINALITY AS p (from_at, status, unit_id, closed_at, on_time, n) ON true
      WHERE i.received_at < $1 ORDER BY i.id, p.n
      """, [end])
    {
      let id: Int64 = try row.decode("id")
      if out.last?.id != id {
        out.append(
          StoredReportItem(
            id: id, item: try Self.reportItem(row), clocksThrough: try row.optional("clocks_through")))
      }
      if try row.optional("n") as Int? != nil { out[out.count - 1].item.periods.append(try Self.period(row)) }
    }
    return out
  }

  /// The items `ids` with their stored periods, by id.
  public func items(ids: [Int64]) throws(DatabaseError) -> [Int64: ReportItem] {
    var out: [Int64: ReportItem] = [:]
    for row in try db.query(
      """
      SELECT i.id, i.received_at, i.kind, i.source, i.channel, i.category, p.n,
        p.from_at, p.status::text AS status, p.unit_id, p.closed_at, p.on_time
      FROM items i LEFT JOIN LATERAL unnest(i.periods)
        WITH ORDINALITY AS p (from_at, status, unit_id, closed_at, on_time, n) ON true
      WHERE i.id = ANY($1::bigint[]) ORDER BY i.id, p.n
      """, [TextArray(ids.map(String.init))])
    {
      let id: Int64 = try row.decode("id")
      if out[id] == nil { out[id] = try Self.reportItem(row) }
      if try row.optional("n") as Int? != nil { out[id]!.periods.append(try Self.period(row)) }
    }
    return out
  }

  /// An item's columns as reports read them, its periods still to be added.
  private static func reportItem(_ row: Row) throws(DatabaseError) -> ReportItem {
    ReportItem(
      receivedAt: try row.decode("received_at"), kind: try ItemRepository.term(row, "kind"),
      source: try ItemRepository.term(row, "source"), channel: try ItemRepository.term(row, "channel"),
      category: try row.optional("category"), periods: [])
  }

  /// Adds `change` to the rollup, cell by cell in key order (so that two writers cannot deadlock);
  /// cells that change by nothing are left out.
  public func apply(_ change: [RollupKey: Int]) throws(DatabaseError) {
    try db.insert([], alongside: Self.statements(applying: change, parametersAfter: 0))
  }

  /// The statements that add `change` to the rollup's three tables, their parameters numbered from
  /// `base` + 1: sent alone by ``apply(_:)``, or with the journal's events that make the change
  /// (``JournalRepository/append(_:ifClockGeneration:alongside:)``). Empty when nothing changes.
  public static func statements(applying change: [RollupKey: Int], parametersAfter base: Int) -> (
    statements: [String], parameters: [any SQLBindable]
  ) {
    let cells = change.filter { $0.value != 0 }.sorted { $0.key < $1.key }
    guard !cells.isEmpty else { return ([], []) }
    // The same change summed over kind, source, channel and category, for reports of units.
    var units: [RollupKey: Int] = [:]
    for (key, count) in cells {
      var lean = key
      lean.kind = .accusation
      lean.source = .public
      lean.channel = .letter
      lean.category = ""
      units[lean, default: 0] += count
    }
    let unitCells = units.filter { $0.value != 0 }.sorted { $0.key < $1.key }
    // The same change by year, without the months, for the years a report only needs the end of.
    var years: [YearKey: Int] = [:]
    for (key, count) in cells {
      years[YearKey(key), default: 0] += count
    }
    let yearly = years.filter { $0.value != 0 }.sorted { $0.key < $1.key }
    // Each table's rows are taken in key order, so two transactions cannot deadlock on them.
    func p(_ n: Int) -> String { "$\(base + n)" }
    var statements = [
      """
      INSERT INTO report_rollup AS r (month, received_month, kind, source, channel, category, unit_id, status,
        closed_month, on_time, n)
      SELECT * FROM unnest(\(p(1))::date[], \(p(2))::date[], \(p(3))::text[], \(p(4))::text[], \(p(5))::text[],
        \(p(6))::text[], \(p(7))::integer[], \(p(8))::text[], \(p(9))::date[], \(p(10))::smallint[], \(p(11))::bigint[])
      ON CONFLICT (month, received_month, kind, source, channel, category, unit_id, status, closed_month, on_time)
      DO UPDATE SET n = r.n + EXCLUDED.n
      """
    ]
    var parameters: [any SQLBindable] = [
      TextArray(cells.map(\.key.month.description)), TextArray(cells.map(\.key.receivedMonth.description)),
      TextArray(cells.map(\.key.kind.rawValue)), TextArray(cells.map(\.key.source.rawValue)),
      TextArray(cells.map(\.key.channel.rawValue)), TextArray(cells.map(\.key.category)),
      TextArray(cells.map { String($0.key.unitID) }), TextArray(cells.map(\.key.status.rawValue)),
      TextArray(cells.map { $0.key.closedMonth?.description ?? "0001-01-01" }),
      TextArray(cells.map { $0.key.onTime.map { $0 ? "1" : "0" } ?? "-1" }),
      TextArray(cells.map { String($0.value) }),
    ]
    if !unitCells.isEmpty {
      statements.append(
        """
        INSERT INTO report_rollup_by_unit AS r (month, received_month, unit_id, status, closed_month, on_time, n)
        SELECT * FROM unnest(\(p(12))::date[], \(p(13))::date[], \(p(14))::integer[], \(p(15))::text[],
          \(p(16))::date[], \(p(17))::smallint[], \(p(18))::bigint[])
        ON CONFLICT (month, received_month, unit_id, status, closed_month, on_time) DO UPDATE SET n = r.n + EXCLUDED.n
        """)
      parameters += [
        TextArray(unitCells.map(\.key.month.description)),
        TextArray(unitCells.map(\.key.receivedMonth.description)),
        TextArray(unitCells.map { String($0.key.unitID) }), TextArray(unitCells.map(\.key.status.rawValue)),
        TextArray(unitCells.map { $0.key.closedMonth?.description ?? "0001-01-01" }),
        TextArray(unitCells.map { $0.key.onTime.map { $0 ? "1" : "0" } ?? "-1" }),
        TextArray(unitCells.map { String($0.value) }),
      ]
    }
    if !yearly.isEmpty {
      let at = parameters.count
      statements.append(
        """
        INSERT INTO report_years AS r (year, kind, source, channel, category, unit_id, status, n)
        SELECT * FROM unnest(\(p(at + 1))::integer[], \(p(at + 2))::text[], \(p(at + 3))::text[], \(p(at + 4))::text[],
          \(p(at + 5))::text[], \(p(at + 6))::integer[], \(p(at + 7))::text[], \(p(at + 8))::bigint[])
        ON CONFLICT (year, kind, source, channel, category, unit_id, status) DO UPDATE SET n = r.n + EXCLUDED.n
        """)
      parameters += [
        TextArray(yearly.map { String($0.key.year) }), TextArray(yearly.map(\.key.kind)),
        TextArray(yearly.map(\.key.source)), TextArray(yearly.map(\.key.channel)),
        TextArray(yearly.map(\.key.category)), TextArray(yearly.map { String($0.key.unitID) }),
        TextArray(yearly.map(\.key.status)), TextArray(yearly.map { String($0.value) }),
      ]
    }
    return (statements, parameters)
  }

  /// A rollup cell by year: what report_years is keyed by.
  private struct YearKey: Hashable, Comparable {
    var year: Int
    var kind, source, channel, category: String
    var unitID: Int
    var status: String
    init(_ key: RollupKey) {
      year = key.month.year
      kind = key.kind.rawValue
      source = key.source.rawValue
      channel = key.channel.rawValue
      category = key.category
      unitID = key.unitID
      status = key.status.rawValue
    }
    static func < (a: YearKey, b: YearKey) -> Bool {
      if a.year != b.year { return a.year < b.year }
      if a.unitID != b.unitID { return a.unitID < b.unitID }
      return [a.kind, a.source, a.channel, a.category, a.status]
        .lexicographicallyPrecedes([b.kind, b.source, b.channel, b.category, b.status])
    }
  }

  /// Empties the rollup and every item's periods, for a rebuild (the office's time zone changed).
  public func reset() throws(DatabaseError) {
    try db.query("DELETE FROM report_rollup")
    try db.query("DELETE FROM report_rollup_by_unit")
    try db.query("DELETE FROM report_years")
    try db.query("DELETE FROM item_closures")
    try db.query("UPDATE items SET periods = '{}' WHERE cardinality(periods) > 0")
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

  /// The rollup's cells with a month from `from` through `through` (first days of months), per
  /// group of `dimensions` (an empty key without), summed over everything else but what a month's
  /// figures need, within `scope`.
  public func cells(from: CivilDate, through: CivilDate, scope: ReportScope, dimensions: [ReportDimension])
    throws(DatabaseError) -> [[ReportDimension: String]: [RollupCell]]
  {
    var out: [[ReportDimension: String]: [RollupCell]] = [:]
    // The whole office or its units: the small table summed over the other dimensions.
    let byUnit =
      scope.kinds.isEmpty && scope.sources.isEmpty && scope.channels.isEmpty && scope.categories.isEmpty
      && dimensions.allSatisfy { $0 == .unit }
    let rows =
      byUnit
      ? try db.query(
        """
        SELECT CASE WHEN $2::boolean THEN nullif(unit_id, 0)::text END AS g_unit, month, received_month, status,
          closed_month, on_time, sum(n) AS n
        FROM report_rollup_by_unit
        WHERE month >= $3::date AND month <= $4::date
          AND (cardinality($1::text[]) = 0 OR unit_id = ANY($1::integer[]))
        GROUP BY g_unit, month, received_month, status, closed_month, on_time
        HAVING sum(n) <> 0
        """,
        [
          TextArray(scope.unitIDs.map(String.init)), dimensions.contains(.unit), from.description,
          through.description,
        ])
      : try db.query(
        """
        SELECT \(Self.groupColumns), month, received_month, status, closed_month, on_time, sum(n) AS n
        FROM report_rollup
        WHERE month >= $11::date AND month <= $12::date AND \(Self.scopeCondition)
        GROUP BY g_unit, g_kind, g_source, g_channel, g_category, month, received_month, status, closed_month,
          on_time
        HAVING sum(n) <> 0
        """, scopeParameters(scope, dimensions) + [from.description, through.description])
    for row in rows {
      let onTime: Int = try row.decode("on_time")
      let closed = try Self.day(row, "closed_month")
      out[try Self.groupKey(row, dimensions), default: []].append(
        RollupCell(
          month: try Self.day(row, "month"), receivedMonth: try Self.day(row, "received_month"),
          status: try ItemRepository.term(row, "status"), closedMonth: closed.year == 1 ? nil : closed,
          onTime: onTime < 0 ? nil : onTime == 1, count: try row.decode("n")))
    }
    return out
  }

  /// How many items stood each way at the end of `year`, per group of `dimensions`, within
  /// `scope`: every change up to then, from report_years.
  public func standing(atEndOf year: Int, scope: ReportScope, dimensions: [ReportDimension])
    throws(DatabaseError) -> [[ReportDimension: String]: [ReportStatus: Int]]
  {
    var out: [[ReportDimension: String]: [ReportStatus: Int]] = [:]
    for row in try db.query(
      """
      SELECT \(Self.groupColumns), status, sum(n) AS n FROM report_years
      WHERE year <= $11 AND \(Self.scopeCondition)
      GROUP BY g_unit, g_kind, g_source, g_channel, g_category, status HAVING sum(n) <> 0
      """, scopeParameters(scope, dimensions) + [year])
    {
      let status: ReportStatus = try ItemRepository.term(row, "status")
      out[try Self.groupKey(row, dimensions), default: [:]][status, default: 0] += try row.decode("n")
    }
    return out
  }

  private static func groupKey(_ row: Row, _ dimensions: [ReportDimension]) throws(DatabaseError)
    -> [ReportDimension: String]
  {
    var key: [ReportDimension: String] = [:]
    for dimension in dimensions {
      if let value: String = try row.optional("g_" + dimension.rawValue) { key[dimension] = value }
    }
    return key
  }

  /// The median days from receipt to closing of the items closed in [start, end) and still
  /// closed at `end`, over `scope`: over all of them, and per group of `dimensions`.
  ///
  /// One pass computes both, because finding the periods still closed at `end` is the expensive
  /// part and a report by unit needs the total's median too.
  public func medianDaysToClose(
    start: Date, end: Date, scope: ReportScope, dimensions: [ReportDimension]
  ) throws(DatabaseError) -> (total: Double?, groups: [[ReportDimension: String]: Double]) {
    var total: Double?
    var groups: [[ReportDimension: String]: Double] = [:]
    for row in try db.query(
      """
      SELECT g_unit, g_kind, g_source, g_channel, g_category,
        GROUPING(g_unit, g_kind, g_source, g_channel, g_category) <> 0 AS whole,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS days
      FROM (
        SELECT \(Self.groupColumns), days
        FROM (
          SELECT coalesce(c.unit_id, 0) AS unit_id, i.kind, i.source, i.channel,
            coalesce(i.category, '') AS category,
            extract(epoch FROM c.closed_at - i.received_at) / 86400 AS days
          FROM item_closures c JOIN items i ON i.id = c.item_id
          WHERE c.closed_at >= $11 AND c.closed_at < $12 AND c.from_at < $12
            AND (c.until_at IS NULL OR c.until_at >= $12)
        ) closed
        WHERE \(Self.scopeCondition)
      ) grouped
      GROUP BY GROUPING SETS ((), (g_unit, g_kind, g_source, g_channel, g_category))
      """, scopeParameters(scope, dimensions) + [start, end])
    {
      let days: Double? = try row.optional("days")
      if try row.decode("whole") as Bool {
        total = days
      } else if !dimensions.isEmpty, let days {
        groups[try Self.groupKey(row, dimensions)] = days
      }
    }
    return (total, groups)
  }

  static func day(_ row: Row, _ column: String) throws(DatabaseError) -> CivilDate {
    let text: String = try row.decode(column)
    guard let day = CivilDate(text) else {
      throw DatabaseError(kind: .decoding, message: "column \(column) holds '\(text)', not a date")
    }
    return day
  }
}
