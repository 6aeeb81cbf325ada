import DocketCore
import Foundation

/// What `docket search` narrows the hits to, besides the query.
public struct SearchFilter: Sendable {
  /// An item kind's raw value, or `measure` for rectification measures only.
  public var kind: String?
  /// An item's or a measure's state (raw value).
  public var state: String?
  /// A unit's name: the unit an item is assigned to, or one of a measure's responsible units.
  public var unit: String?
  /// Received (an item) or planned (a measure) at or after `from` and before `to`.
  public var from: Date?
  public var to: Date?
  public var limit = 20
  /// A handler's unit: only its items and the measures it is responsible for, as row-level
  /// security draws the line for a handler on a role of their own.
  public var scopeUnitID: Int?

  public init() {}
}

/// One row found: an item or a measure, with what a result line shows and what its snippet is cut
/// from.
public struct SearchRow: Sendable, Equatable {
  /// `item` or `measure`.
  public var what: String
  public var ref: String
  /// An item's kind, or `measure`.
  public var kind: String
  public var state: String
  public var unit: String?
  /// Received (an item) or planned (a measure).
  public var at: Date
  /// An item's subject, a measure's text.
  public var title: String
  /// An item's summary, a measure's problem.
  public var body: String
  /// An item's accused persons, names and units.
  public var accused: String
  public var rank: Double
  /// All the rows the query found, before `limit`.
  public var total: Int
}

/// The full-text index (sql/0023_search.sql): one `tsvector` per item and per measure, made by
/// ``SearchDocument`` and passed as a parameter, and the query over both.
public struct SearchRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Sets an item's document (registration, a redaction, the migration's catch-up).
  public func setItem(_ itemID: Int64, _ document: SearchDocument) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO item_search (item_id, tokens) VALUES ($1, $2::tsvector)
      ON CONFLICT (item_id) DO UPDATE SET tokens = excluded.tokens
      """, [itemID, document.vector])
  }

  /// Adds to an item's document (a move's note, an email reply); its positions follow the ones
  /// already there.
  public func appendItem(_ itemID: Int64, _ document: SearchDocument) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO item_search (item_id, tokens) VALUES ($1, $2::tsvector)
      ON CONFLICT (item_id) DO UPDATE SET tokens = item_search.tokens || excluded.tokens
      """, [itemID, document.vector])
  }

  /// Sets a measure's document.
  public func setMeasure(_ measureID: Int64, _ document: SearchDocument) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO measure_search (measure_id, tokens) VALUES ($1, $2::tsvector)
      ON CONFLICT (measure_id) DO UPDATE SET tokens = excluded.tokens
      """, [measureID, document.vector])
  }

  /// Items with no document yet (registered before the index was kept), a batch at a time.
  public func unindexedItems(limit: Int) throws(DatabaseError) -> [Int64] {
    try db.query(
      """
      SELECT i.id FROM items i WHERE NOT EXISTS (SELECT FROM item_search s WHERE s.item_id = i.id)
      ORDER BY i.id LIMIT $1
      """, [limit]
    ).map { row throws(DatabaseError) in try row.decode("id") }
  }

  public func unindexedItemCount() throws(DatabaseError) -> Int {
    try db.first(
      "SELECT count(*) AS n FROM items i WHERE NOT EXISTS (SELECT FROM item_search s WHERE s.item_id = i.id)"
    )!.decode("n")
  }

  /// The indexed texts of items, but for their journal's notes: subject, summary, accused persons,
  /// email replies' text.
  public func itemTexts(_ ids: [Int64]) throws(DatabaseError) -> [Int64: (
    ref: String, subject: String, summary: String, accused: [(name: String, unit: String?)], replies: [String]
  )] {
    var texts: [Int64: (String, String, String, [(String, String?)], [String])] = [:]
    for row in try db.query(
      "SELECT id, ref, subject, summary FROM items WHERE id = ANY($1::bigint[])",
      [TextArray(ids.map(String.init))])
    {
      texts[try row.decode("id")] = (
        try row.decode("ref"), try row.decode("subject"), try row.decode("summary"), [], []
      )
    }
    for row in try db.query(
      """
      SELECT item_id, name, unit_name AS unit FROM accused WHERE item_id = ANY($1::bigint[])
      ORDER BY item_id, position
      """, [TextArray(ids.map(String.init))])
    {
      let id: Int64 = try row.decode("item_id")
      texts[id]?.3.append((try row.decode("name"), try row.optional("unit")))
    }
    for row in try db.query(
      "SELECT item_id, text FROM mail_messages WHERE item_id = ANY($1::bigint[]) AND is_reply ORDER BY id",
      [TextArray(ids.map(String.init))])
    {
      let id: Int64 = try row.decode("item_id")
      texts[id]?.4.append(try row.decode("text"))
    }
    return texts.mapValues { (ref: $0.0, subject: $0.1, summary: $0.2, accused: $0.3, replies: $0.4) }
  }

  /// Measures with no document yet, with the texts it is made of: the measure's and its problem's.
  public func unindexedMeasures() throws(DatabaseError) -> [(id: Int64, text: String, problem: String)] {
    try db.query(
      """
      SELECT m.id, m.text, p.title FROM measures m JOIN rectification_problems p ON p.id = m.problem_id
      WHERE NOT EXISTS (SELECT FROM measure_search s WHERE s.measure_id = m.id) ORDER BY m.id
      """
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("text"), try row.decode("title"))
    }
  }

  /// The items and measures the actor may see whose documents match `tsquery` (the text form
  /// ``SearchQuery/tsquery`` makes), best first, then newest.
  public func search(tsquery: String, _ filter: SearchFilter) throws(DatabaseError) -> [SearchRow] {
    try db.query(
      """
      WITH q AS (SELECT $1::tsquery AS query),
      hits AS (
        SELECT 'item' AS what, i.ref, i.kind, i.state, u.name AS unit, i.received_at AS at, i.subject AS title,
          i.summary AS body,
          coalesce((SELECT string_agg(a.name || coalesce(' ' || a.unit_name, ''), '、' ORDER BY a.position)
                    FROM accused a WHERE a.item_id = i.id), '') AS accused,
          ts_rank(s.tokens, q.query) AS rank
        FROM q, item_search s JOIN items i ON i.id = s.item_id LEFT JOIN units u ON u.id = i.unit_id
        WHERE s.tokens @@ q.query AND ($2::text IS NULL OR i.kind = $2) AND ($3::text IS NULL OR i.state = $3)
          AND ($4::text IS NULL OR u.name = $4) AND ($5::timestamptz IS NULL OR i.received_at >= $5)
          AND ($6::timestamptz IS NULL OR i.received_at < $6) AND ($8::integer IS NULL OR i.unit_id = $8)
        UNION ALL
        SELECT 'measure', m.round_id || '-' || m.number, 'measure', m.state,
          (SELECT lu.name FROM measure_units mu JOIN units lu ON lu.id = mu.unit_id
           WHERE mu.measure_id = m.id ORDER BY mu.position LIMIT 1),
          m.planned_at, m.text, p.title, '', ts_rank(s.tokens, q.query)
        FROM q, measure_search s JOIN measures m ON m.id = s.measure_id
          JOIN rectification_problems p ON p.id = m.problem_id
        WHERE s.tokens @@ q.query AND ($2::text IS NULL OR $2 = 'measure') AND ($3::text IS NULL OR m.state = $3)
          AND ($4::text IS NULL OR EXISTS (
            SELECT FROM measure_units mu JOIN units fu ON fu.id = mu.unit_id WHERE mu.measure_id = m.id AND fu.name = $4))
          AND ($5::timestamptz IS NULL OR m.planned_at >= $5) AND ($6::timestamptz IS NULL OR m.planned_at < $6)
          AND ($8::integer IS NULL OR EXISTS (SELECT FROM measure_units mu WHERE mu.measure_id = m.id AND mu.unit_id = $8))
      )
      SELECT *, count(*) OVER () AS total FROM hits ORDER BY rank DESC, at DESC, ref LIMIT $7
      """,
      [
        tsquery, filter.kind, filter.state, filter.unit, filter.from, filter.to, filter.limit,
        filter.scopeUnitID,
      ]
    ).map { row throws(DatabaseError) in
      SearchRow(
        what: try row.decode("what"), ref: try row.decode("ref"), kind: try row.decode("kind"),
        state: try row.decode("state"), unit: try row.optional("unit"), at: try row.decode("at"),
        title: try row.decode("title"), body: try row.decode("body"), accused: try row.decode("accused"),
        rank: try row.decode("rank"), total: try row.decode("total"))
    }
  }
}
