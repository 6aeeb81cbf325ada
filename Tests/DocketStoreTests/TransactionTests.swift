import DocketStore
import DocketTestSupport
import Foundation
import Testing

private struct Refusal: Error, Equatable {
  let reason: String
}

@Suite("Transactions")
struct TransactionTests {
  private func unitCount(_ db: Connection) throws -> Int {
    try db.first("SELECT count(*) AS n FROM units")!.decode("n")
  }

  @Test("a transaction that returns is committed and visible to another connection")
  func commits() throws {
    let (database, db) = try Store.fresh("commit")
    let other = try Store.connect(database)
    let ids = try db.transaction { () throws -> [Int] in
      let a: Int = try db.first("INSERT INTO units (name) VALUES ($1) RETURNING id", ["甲"])!.decode("id")
      let b: Int = try db.first("INSERT INTO units (name) VALUES ($1) RETURNING id", ["乙"])!.decode("id")
      // Not visible to others before the commit.
      #expect(try unitCount(other) == 0)
      return [a, b]
    }
    #expect(ids.count == 2)
    #expect(try unitCount(other) == 2)
    #expect(
      try other.query("SELECT name FROM units ORDER BY id").map { try $0.decode("name", as: String.self) }
        == ["甲", "乙"])
  }

  @Test("a body that throws rolls everything back and surfaces as .body(error)")
  func rollsBack() throws {
    let (database, db) = try Store.fresh("rollback")
    do {
      try db.transaction { () throws -> Void in
        try db.query("INSERT INTO units (name) VALUES ($1)", ["甲"])
        try db.query("INSERT INTO units (name) VALUES ($1)", ["乙"])
        throw Refusal(reason: "changed meanwhile")
      }
      Issue.record("the transaction did not throw")
    } catch {
      guard case .body(let inner) = error else {
        Issue.record("expected .body, got \(error)")
        return
      }
      #expect(inner as? Refusal == Refusal(reason: "changed meanwhile"))
    }
    #expect(try unitCount(db) == 0)
    #expect(try unitCount(try Store.connect(database)) == 0)
    // The connection is out of the transaction: this insert commits on its own.
    try db.query("INSERT INTO units (name) VALUES ($1)", ["丙"])
    #expect(try unitCount(try Store.connect(database)) == 1)
  }

  @Test("a database error in the body rolls back the statements before it")
  func databaseErrorInBody() throws {
    let (database, db) = try Store.fresh("dberror")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["已有"])
    do {
      try db.transaction { () throws(DatabaseError) -> Void in
        try db.query("INSERT INTO units (name) VALUES ($1)", ["新的"])
        try db.query("INSERT INTO units (name) VALUES ($1)", ["已有"])
      }
      Issue.record("the transaction did not throw")
    } catch {
      guard case .body(let inner) = error else {
        Issue.record("expected .body, got \(error)")
        return
      }
      #expect(inner.sqlState == SQLState.uniqueViolation)
    }
    let names = try Store.connect(database).query("SELECT name FROM units").map {
      try $0.decode("name", as: String.self)
    }
    #expect(names == ["已有"])
    #expect(try db.first("SELECT 1 AS one")!.decode("one", as: Int.self) == 1)
  }

  @Test("a serializable transaction runs at that isolation level")
  func serializable() throws {
    let (_, db) = try Store.fresh("serial")
    let level: String = try db.transaction(isolation: .serializable) { () throws(DatabaseError) -> String in
      try db.first("SHOW transaction_isolation")!.decode("transaction_isolation")
    }
    #expect(level == "serializable")
    let normal: String = try db.transaction { () throws(DatabaseError) -> String in
      try db.first("SHOW transaction_isolation")!.decode("transaction_isolation")
    }
    #expect(normal == "read committed")
  }

  @Test("a failed COMMIT is reported as .database and nothing is kept")
  func commitFailure() throws {
    let (database, db) = try Store.fresh("commitfail")
    // A deferred constraint is checked at COMMIT, so the failure comes from the commit itself.
    try db.run(
      script: """
        CREATE TABLE parent (id int PRIMARY KEY);
        CREATE TABLE child (id int PRIMARY KEY,
          parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)
        """)
    do {
      try db.transaction { () throws(DatabaseError) -> Void in
        try db.query("INSERT INTO child (id, parent_id) VALUES (1, 99)")
      }
      Issue.record("the commit did not fail")
    } catch {
      guard case .database(let inner) = error else {
        Issue.record("expected .database, got \(error)")
        return
      }
      #expect(inner.sqlState == SQLState.foreignKeyViolation)
    }
    #expect(
      try Store.connect(database).first("SELECT count(*) AS n FROM child")!.decode("n", as: Int.self) == 0)
    #expect(try db.first("SELECT count(*) AS n FROM child")!.decode("n", as: Int.self) == 0)
  }
}
