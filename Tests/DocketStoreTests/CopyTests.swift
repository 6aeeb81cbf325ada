import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
  /// Text that the COPY text format would misread if it were not escaped.
  static let awkward = [
    "tab\tin the middle", "new\nline", "carriage\r\nreturn", #"back\slash"#, #"\N"#, #"\\N"#, #"\."#,
    "\\", "\t", "\n", "", " ", "引号\"'和反斜杠\\", "👮‍♂️📨", "trailing backslash\\", "a\u{7F}b",
  ]

  static func rows(_ count: Int) -> [[String?]] {
    (1...count).map { i in
      let a: String? = i % 7 == 0 ? nil : awkward[i % awkward.count] + " #\(i)"
      let b: String? = i % 5 == 0 ? nil : awkward[(i * 3) % awkward.count]
      return [String(i), a, b]
    }
  }

  @Test("10,000 rows with tabs, newlines, backslashes, \\N-looking text and NULLs land exactly")
  func tenThousandRows() throws {
    let (database, db) = try Store.fresh("copy")
    try db.run(script: "CREATE TABLE copied (id int PRIMARY KEY, a text, b text)")
    let rows = Self.rows(10_000)
    let count = try db.copy("COPY copied (id, a, b) FROM STDIN", rows: rows)
    #expect(count == 10_000)
    let back = try Store.connect(database).query("SELECT id, a, b FROM copied ORDER BY id")
    #expect(back.count == 10_000)
    var mismatches = 0
    for (row, expected) in zip(back, rows) {
      let got: [String?] = [try row.text("id"), try row.text("a"), try row.text("b")]
      if got != expected {
        mismatches += 1
        if mismatches <= 5 { Issue.record("row \(expected[0]!): expected \(expected), got \(got)") }
      }
    }
    #expect(mismatches == 0)
    // NULLs are real NULLs and the literal text "\N" is text.
    let nulls = try db.first(
      "SELECT count(*) FILTER (WHERE a IS NULL) AS a_null, count(*) FILTER (WHERE b IS NULL) AS b_null, count(*) FILTER (WHERE b = '\\N') AS b_backslash_n FROM copied"
    )!
    #expect(try nulls.decode("a_null", as: Int.self) == 10_000 / 7)
    #expect(try nulls.decode("b_null", as: Int.self) == 10_000 / 5)
    #expect(try nulls.decode("b_backslash_n", as: Int.self) > 0)
  }

  @Test("COPY accepts a lazy sequence of rows")
  func lazySequence() throws {
    let (_, db) = try Store.fresh("copylazy")
    try db.run(script: "CREATE TABLE numbers (n int PRIMARY KEY, word text NOT NULL)")
    let count = try db.copy(
      "COPY numbers (n, word) FROM STDIN", rows: (1...2_500).lazy.map { [String($0), "第\($0)号"] })
    #expect(count == 2_500)
    let row = try db.first("SELECT count(*) AS n, max(word) FILTER (WHERE n = 2500) AS last FROM numbers")!
    #expect(try row.decode("n", as: Int.self) == 2_500)
    #expect(try row.decode("last", as: String.self) == "第2500号")
  }

  @Test("a COPY whose data breaks a constraint throws with the SQLSTATE and leaves nothing")
  func constraintViolationInsideTransaction() throws {
    let (database, db) = try Store.fresh("copyfail")
    try db.run(script: "CREATE TABLE copied (id int PRIMARY KEY, a text NOT NULL)")
    try db.query("INSERT INTO copied (id, a) VALUES (0, 'before')")
    var rows = (1...10_000).map { [String($0), "行\($0)"] as [String?] }
    rows[7_000] = ["42", "a duplicate of row 42"]
    do {
      try db.transaction { () throws(DatabaseError) -> Void in
        try db.query("INSERT INTO copied (id, a) VALUES (-1, 'in the same transaction')")
        try db.copy("COPY copied (id, a) FROM STDIN", rows: rows)
      }
      Issue.record("the COPY did not fail")
    } catch {
      guard case .body(let inner) = error else {
        Issue.record("expected .body, got \(error)")
        return
      }
      #expect(inner.kind == .statement)
      #expect(inner.sqlState == SQLState.uniqueViolation)
      #expect(inner.constraint == "copied_pkey")
      #expect(inner.statement == "COPY copied (id, a) FROM STDIN")
    }
    let ids = try Store.connect(database).query("SELECT id FROM copied ORDER BY id").map {
      try $0.decode("id", as: Int.self)
    }
    #expect(ids == [0])
    // The connection is ready for the next statement.
    #expect(try db.first("SELECT count(*) AS n FROM copied")!.decode("n", as: Int.self) == 1)
  }

  @Test("a NULL into a NOT NULL column fails the whole COPY")
  func notNullViolation() throws {
    let (_, db) = try Store.fresh("copynull")
    try db.run(script: "CREATE TABLE copied (id int PRIMARY KEY, a text NOT NULL)")
    let error = try #require(throws: DatabaseError.self) {
      try db.copy("COPY copied (id, a) FROM STDIN", rows: [["1", "ok"], ["2", nil], ["3", "ok"]])
    }
    #expect(error.sqlState == "23502")
    #expect(try db.first("SELECT count(*) AS n FROM copied")!.decode("n", as: Int.self) == 0)
  }

  @Test("a COPY into a table that does not exist fails before any data is sent")
  func missingTable() throws {
    let (_, db) = try Store.fresh("copymissing")
    let error = try #require(throws: DatabaseError.self) {
      try db.copy("COPY nowhere (a) FROM STDIN", rows: [["x"]])
    }
    #expect(error.sqlState == SQLState.undefinedTable)
    #expect(try db.first("SELECT 1 AS one")!.decode("one", as: Int.self) == 1)
  }

  @Test("a field with a NUL character fails the COPY rather than being cut short")
  func nulCharacter() throws {
    let (_, db) = try Store.fresh("copynul")
    try db.run(script: "CREATE TABLE copied (id int PRIMARY KEY, a text)")
    let error = try #require(throws: DatabaseError.self) {
      try db.copy("COPY copied (id, a) FROM STDIN", rows: [["1", "before\u{0}after"]])
    }
    #expect(error.sqlState == "22021")
    #expect(try db.first("SELECT count(*) AS n FROM copied")!.decode("n", as: Int.self) == 0)
  }
}
