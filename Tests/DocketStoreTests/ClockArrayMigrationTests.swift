import DocketTestSupport
import Foundation
import Testing

@testable import DocketStore

/// sql/0015_clock_arrays.sql: a ledger's clock facts and report periods, kept in tables before it,
/// are on each item's row after it, with nothing lost.
@Suite("Clock facts moved onto the items")
struct ClockArrayMigrationTests {
  @Test(
    "0015 moves every item's clocks, holds and periods onto its row, and its closed periods into item_closures"
  )
  func movesEveryFact() throws {
    let directory = try Store.migrationDirectory("clock-arrays")
    let later = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 >= "0015" }
    let parked = try Store.temporaryDirectory("clock-arrays-later")
    for file in later {
      try FileManager.default.moveItem(
        at: directory.appendingPathComponent(file), to: parked.appendingPathComponent(file))
    }
    let db = try Store.connect(try Store.empty("clock_arrays"))
    try Migrator(directory: directory).migrate(db)

    // Two items: one worked out, closed and reopened and closed again; one never worked out since a
    // change of policy, whose stale rows must move too (the rollup still counts them).
    try db.run(
      script: """
        INSERT INTO staff (id, login, name, roles) VALUES (1, 'reg', '登记员', '{registrar}');
        INSERT INTO units (id, name) VALUES (7, '第一纪检监察室');
        INSERT INTO items (id, ref, kind, source, channel, subject, reporter_kind, received_at, state_since,
          registered_by, last_event_at, clocks_through)
        VALUES (1, 'JB-2021-0001', 'accusation', 'public', 'phone', '反映某局长', 'anonymous', '2021-03-01 09:00+08',
            '2021-03-01 09:00+08', 1, '2021-05-10 09:00+08', '2021-05-10 09:00+08'),
          (2, 'JB-2021-0002', 'accusation', 'public', 'phone', '反映某科长', 'anonymous', '2021-03-02 09:00+08',
            '2021-03-02 09:00+08', 1, '2021-03-02 09:00+08', NULL);
        INSERT INTO item_clocks (item_id, clock, started_at, stopped_at, extension_days) VALUES
          (1, 'disposal_proposal', '2021-03-02 09:00+08', '2021-03-20 09:00+08', 5),
          (1, 'forward', '2021-03-01 09:00+08', '2021-03-02 09:00+08', 0),
          (2, 'forward', '2021-03-02 09:00+08', NULL, 0);
        INSERT INTO item_holds (item_id, held_from, held_until) VALUES
          (1, '2021-03-10 09:00+08', '2021-03-12 09:00+08'), (2, '2021-03-03 09:00+08', NULL);
        INSERT INTO item_periods (item_id, from_at, status, unit_id, closed_at, on_time) VALUES
          (1, '2021-03-01 09:00+08', 'open', NULL, NULL, NULL),
          (1, '2021-04-01 09:00+08', 'closed', 7, '2021-04-01 09:00+08', true),
          (1, '2021-04-20 09:00+08', 'open', 7, NULL, NULL),
          (1, '2021-05-10 09:00+08', 'closed', 7, '2021-05-10 09:00+08', false),
          (2, '2021-03-02 09:00+08', 'open', NULL, NULL, NULL);
        """)
    for file in later {
      try FileManager.default.moveItem(
        at: parked.appendingPathComponent(file), to: directory.appendingPathComponent(file))
    }
    try Migrator(directory: directory).migrate(db)

    #expect(try !Store.tableExists(db, "item_clocks") && !Store.tableExists(db, "item_periods"))
    let clocks = try db.query(
      """
      SELECT i.id, c.clock::text AS clock, c.stopped_at IS NULL AS running, c.extension_days
      FROM items i, unnest(i.clocks) WITH ORDINALITY c (clock, started_at, stopped_at, extension_days, n)
      ORDER BY i.id, c.n
      """
    ).map {
      "\(try $0.decode("id") as Int64) \(try $0.decode("clock") as String) \(try $0.decode("running") as Bool) \(try $0.decode("extension_days") as Int)"
    }
    // In DocketCore's order of clocks, as the service writes them.
    #expect(clocks == ["1 forward false 0", "1 disposal_proposal false 5", "2 forward true 0"])
    let holds: [Int64] = try db.query("SELECT i.id FROM items i, unnest(i.holds) ORDER BY i.id").map {
      try $0.decode("id")
    }
    #expect(holds == [1, 2])
    let periods = try db.query(
      "SELECT i.id, p.status::text AS status FROM items i, unnest(i.periods) WITH ORDINALITY p ORDER BY i.id, p.ordinality"
    ).map { "\(try $0.decode("id") as Int64) \(try $0.decode("status") as String)" }
    #expect(periods == ["1 open", "1 closed", "1 open", "1 closed", "2 open"])
    let closures = try db.query(
      """
      SELECT item_id, to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD') AS closed,
        coalesce(to_char(until_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD'), '-') AS until, unit_id
      FROM item_closures ORDER BY item_id, from_at
      """
    ).map {
      "\(try $0.decode("item_id") as Int64) \(try $0.decode("closed") as String) \(try $0.decode("until") as String) \(try $0.decode("unit_id") as Int)"
    }
    // The April closing was undone on 04-20; May's still stands.
    #expect(closures == ["1 04-01 04-20 7", "1 05-10 - 7"])
    let unworked: Int = try db.first("SELECT count(*) AS n FROM items WHERE clocks_through IS NULL")!.decode(
      "n")
    #expect(unworked == 1)
  }

  @Test(
    "a composite array literal round-trips fields with quotes, backslashes, commas, spaces and empty text")
  func compositeLiteral() throws {
    let (_, db) = try Store.fresh("composite_literal")
    try db.query("CREATE TYPE pair AS (a text, b text)")
    let fields: [[String?]] = [
      ["a,b", #"say "hi""#], [#"back\slash"#, nil], ["", "two words (here)"], ["{}", "\t"],
    ]
    let rows = try db.query(
      "SELECT p.a, p.b FROM unnest($1::pair[]) WITH ORDINALITY p (a, b, n) ORDER BY n",
      [CompositeArray.literal(fields)])
    let read: [[String?]] = try rows.map { [try $0.optional("a"), try $0.optional("b")] }
    #expect(read == fields)
  }
}
