import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// A statement that comes back on the same connection is prepared on the server once; what it
/// returns must never change for that.
@Suite("Statements prepared on their second use")
struct PreparedStatementTests {
  private static let byName = "SELECT id, name FROM units WHERE name = $1"

  private func unit(_ db: Connection, _ name: String) throws -> Int? {
    try db.first(Self.byName, [name])?.decode("id")
  }

  @Test(
    "the first use is one round trip, the second prepares it, later ones run it by name, each with its values"
  )
  func roundTrips() throws {
    let (_, db) = try Store.fresh("prepared")
    let ids = try ["甲", "乙", "丙", "丁"].map { name -> Int in
      try db.first("INSERT INTO units (name) VALUES ($1) RETURNING id", [name])!.decode("id")
    }
    var counts: [Int] = []
    var found: [Int?] = []
    for name in ["甲", "乙", "丙", "丁", "戊"] {
      let before = db.statements
      found.append(try unit(db, name))
      counts.append(db.statements - before)
    }
    #expect(found == ids.map(Optional.some) + [nil])
    #expect(counts == [1, 2, 1, 1, 1])
  }

  @Test("a statement prepared inside a transaction that rolls back is still there afterwards")
  func survivesRollback() throws {
    let (_, db) = try Store.fresh("preparedrollback")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["甲"])
    _ = try unit(db, "甲")
    struct Undo: Error {}
    #expect(throws: TransactionError<any Error>.self) {
      try db.transaction { () throws -> Void in
        _ = try unit(db, "甲")  // prepared here
        throw Undo()
      }
    }
    // Run by name in one round trip: the statement was not lost with the transaction (a lost one
    // would be found missing, all forgotten and the text sent again: three).
    let before = db.statements
    #expect(try unit(db, "甲") != nil)
    #expect(db.statements - before == 1)
  }

  @Test("after a migration changes a table, a statement prepared before it returns the new columns")
  func forgottenByMigrations() throws {
    let (_, db) = try Store.fresh("preparedmigration")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["甲"])
    let all = "SELECT * FROM units WHERE name = $1"
    for _ in 0..<3 { _ = try db.first(all, ["甲"]) }
    let directory = try Store.migrationDirectory("preparedmigration")
    try "ALTER TABLE units ADD COLUMN short_name text DEFAULT '甲单位';\n".write(
      to: directory.appendingPathComponent("9001_short_name.sql"), atomically: true, encoding: .utf8)
    _ = try Migrator(directory: directory).migrate(db)
    #expect(try db.first(all, ["甲"])?.decode("short_name", as: String.self) == "甲单位")
  }

  @Test(
    "after another connection changes its table, a prepared statement is sent afresh outside a transaction")
  func changedElsewhere() throws {
    let (database, db) = try Store.fresh("preparedelsewhere")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["甲"])
    let all = "SELECT * FROM units WHERE name = $1"
    for _ in 0..<3 { _ = try db.first(all, ["甲"]) }
    let other = try Store.connect(database)
    try other.run(script: "ALTER TABLE units ADD COLUMN short_name text DEFAULT '甲单位'")
    #expect(try db.first(all, ["甲"])?.decode("short_name", as: String.self) == "甲单位")

    // Inside a transaction the server's refusal aborts it; the next try, after it, succeeds.
    for _ in 0..<3 { _ = try db.first(all, ["甲"]) }
    try other.run(script: "ALTER TABLE units ADD COLUMN code text DEFAULT 'A1'")
    #expect(throws: TransactionError<DatabaseError>.self) {
      try db.transaction { () throws(DatabaseError) in _ = try db.first(all, ["甲"]) }
    }
    let code = try db.transaction { () throws(DatabaseError) in
      try db.first(all, ["甲"])?.decode("code", as: String.self)
    }
    #expect(code == "A1")
  }

  @Test("a statement the server no longer has (DISCARD ALL) is sent again whole")
  func discarded() throws {
    let (_, db) = try Store.fresh("prepareddiscard")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["甲"])
    for _ in 0..<3 { _ = try unit(db, "甲") }
    try db.run(script: "DISCARD ALL")
    try db.run(script: "SET TimeZone = 'UTC'")
    #expect(try unit(db, "甲") != nil)
    #expect(try unit(db, "甲") != nil)
  }
}
