import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// sql/0013_ledger_references.sql: the references of items, accused and journal events are checked
/// once per statement, and the rows they refer to can never go away.
@Suite("The ledger's references hold, checked per statement")
struct LedgerReferenceTests {
  private func staff(_ db: Connection) throws -> Int {
    try db.first(
      "INSERT INTO staff (login, name, roles) VALUES ('reg', '登记员', $1) RETURNING id",
      [TextArray(["registrar"])])!.decode("id")
  }

  private func item(_ ref: String, by staffID: Int) -> NewItem {
    NewItem(
      ref: ref, kind: .petition, source: .inspection, channel: .handover, subject: "反映问题",
      summary: "反映某局乱收费", category: nil, reporterKind: .anonymous, reporterSealed: nil, reporterMatch: [],
      receivedAt: Date(timeIntervalSince1970: 1_632_796_200), channelDetails: "{}", registeredBy: staffID,
      accused: [])
  }

  /// Writes `item` as every registration writes one, and returns its id.
  private func insert(_ db: Connection, _ item: NewItem, batchID: Int64? = nil) throws(DatabaseError) -> Int64
  {
    let registration = RegistrationRepository(db)
    let id = try registration.reserveItemIDs(1)[0]
    let facts = ClockRepository.Worked(
      itemID: id, facts: ClockFacts(spans: [], holds: []), periods: [], through: item.receivedAt)
    try registration.write(NewItemRows([item], ids: [id], batchID: batchID, worked: [facts]))
    return id
  }

  private func count(_ db: Connection, _ table: String) throws -> Int {
    try db.first("SELECT count(*) AS n FROM \(table)")!.decode("n")
  }

  private func expectMissing(
    _ constraint: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(DatabaseError) -> Void
  ) {
    do {
      try body()
      Issue.record("a row referring to nothing was written (\(constraint))", sourceLocation: sourceLocation)
    } catch {
      #expect(error.sqlState == SQLState.foreignKeyViolation, sourceLocation: sourceLocation)
      #expect(error.constraint == constraint, sourceLocation: sourceLocation)
      #expect(error.message.contains("does not exist"), "\(error.message)", sourceLocation: sourceLocation)
    }
  }

  @Test("a row that refers to no item, staff member, unit or batch is refused under the foreign key's name")
  func missingReferences() throws {
    let (_, db) = try Store.fresh("refs_missing")
    let reg = try staff(db)
    let itemID = try insert(db, item("2021-XF-00001", by: reg))

    expectMissing("items_registered_by_fkey") { () throws(DatabaseError) in
      _ = try insert(db, item("2021-XF-00002", by: reg + 999))
    }
    expectMissing("items_batch_id_fkey") { () throws(DatabaseError) in
      _ = try insert(db, item("2021-XF-00003", by: reg), batchID: 4242)
    }
    expectMissing("accused_item_id_fkey") { () throws(DatabaseError) in
      try db.query(
        "INSERT INTO accused (item_id, position, name) VALUES ($1, 1, '王某')", [itemID + 999])
    }
    expectMissing("accused_unit_id_fkey") { () throws(DatabaseError) in
      try db.query(
        "INSERT INTO accused (item_id, position, name, unit_id) VALUES ($1, 1, '王某', 999)", [itemID])
    }
    expectMissing("journal_item_id_fkey") { () throws(DatabaseError) in
      try JournalRepository(db).append(
        itemID: itemID + 999, actor: "reg", event: "note", effectiveAt: Date(), payload: "{}")
    }
    #expect(try count(db, "items") == 1)
    #expect(try count(db, "accused") == 0)
    #expect(try count(db, "journal") == 0)
  }

  @Test("one row referring to nothing refuses its whole COPY")
  func wholeStatement() throws {
    let (_, db) = try Store.fresh("refs_copy")
    let reg = try staff(db)
    let itemID = try insert(db, item("2021-XF-00001", by: reg))
    let rows = CopyRows(
      columns: ["item_id", "position", "name"],
      rows: [[String(itemID), "1", "王某"], [String(itemID + 1), "1", "李某"], [String(itemID), "2", "张某"]])
    expectMissing("accused_item_id_fkey") { () throws(DatabaseError) in try db.copy(into: "accused", rows) }
    #expect(try count(db, "accused") == 0)
    // The good rows alone go in.
    try db.copy(
      into: "accused",
      CopyRows(columns: ["item_id", "position", "name"], rows: [[String(itemID), "1", "王某"]]))
    #expect(try count(db, "accused") == 1)
  }

  @Test("items, staff, units and batches are never deleted, emptied or renumbered, even by their owner")
  func kept() throws {
    let (_, db) = try Store.fresh("refs_kept")
    let reg = try staff(db)
    let itemID = try insert(db, item("2021-XF-00001", by: reg))
    try db.query("INSERT INTO units (name) VALUES ('市公安局')")
    let refusals = [
      "DELETE FROM items", "TRUNCATE items CASCADE", "UPDATE items SET id = id + 1000",
      "DELETE FROM staff", "TRUNCATE staff CASCADE", "UPDATE staff SET id = id + 1000",
      "DELETE FROM units", "TRUNCATE units CASCADE", "UPDATE units SET id = id + 1000",
      "TRUNCATE handover_batches CASCADE",
    ]
    for statement in refusals {
      let error = try #require(throws: DatabaseError.self, "\(statement)") { try db.query(statement) }
      #expect(error.sqlState == "42501", "\(statement): \(error.message)")
    }
    #expect(try count(db, "items") == 1)
    #expect(try count(db, "staff") == 1)
    #expect(try count(db, "units") == 1)
    // Changing other columns, or writing the same id, is an ordinary update.
    try db.query("UPDATE items SET id = id, summary = '反映某局违规收费' WHERE id = $1", [itemID])
    try db.query("UPDATE staff SET name = '登记员甲'")
  }
}
