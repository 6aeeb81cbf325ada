import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Connecting and binding parameters")
struct ConnectionTests {
  @Test("a key=value connection string reaches the named database as the named role")
  func keyValue() throws {
    let database = try TestCluster.shared.freshDatabase("kv")
    let db = try Connection(conninfo: TestCluster.shared.conninfo(database: database))
    let row = try #require(try db.first("SELECT current_database() AS db, current_user AS who"))
    #expect(try row.decode("db", as: String.self) == database)
    #expect(try row.decode("who", as: String.self) == LocalCluster.roleName)
    #expect(db.user == LocalCluster.roleName)
  }

  @Test("a postgresql:// URI with a percent-encoded socket directory as host connects")
  func uri() throws {
    let database = try TestCluster.shared.freshDatabase("uri")
    let url = "postgresql://\(LocalCluster.roleName)@\(Store.encodedSocketDirectory)/\(database)"
    #expect(url.contains("%2F"))
    let db = try Connection(conninfo: url)
    let row = try #require(try db.first("SELECT current_database() AS db, current_user AS who"))
    #expect(try row.decode("db", as: String.self) == database)
    #expect(try row.decode("who", as: String.self) == LocalCluster.roleName)
    // The URI that `docket db status` prints for the embedded database works as well.
    let embedded = try Connection(conninfo: TestCluster.shared.cluster.url)
    #expect(try embedded.first("SELECT current_database() AS db")!.decode("db", as: String.self) == "docket")
  }

  @Test("a URI can carry query parameters such as application_name")
  func uriParameters() throws {
    let database = try TestCluster.shared.freshDatabase("uriparams")
    let url =
      "postgresql://\(LocalCluster.roleName)@\(Store.encodedSocketDirectory)/\(database)?application_name=ledger-check"
    let db = try Connection(conninfo: url)
    #expect(
      try db.first("SHOW application_name")!.decode("application_name", as: String.self) == "ledger-check")
  }

  @Test("a value that looks like SQL is stored as text and runs nothing")
  func injection() throws {
    let (_, db) = try Store.fresh("inject")
    let hostile = "'); DROP TABLE units; --"
    let stored = try #require(try db.first("INSERT INTO units (name) VALUES ($1) RETURNING name", [hostile]))
    #expect(try stored.decode("name", as: String.self) == hostile)
    #expect(try Store.tableExists(db, "units"))
    let found = try db.query("SELECT name FROM units WHERE name = $1", [hostile])
    #expect(found.count == 1)
    #expect(try found.first?.decode("name", as: String.self) == hostile)
  }

  @Test(
    "awkward text round-trips exactly through a bound parameter",
    arguments: [
      "O'Brien said \"hello\"",
      #"back\slash \\ and \N and \x41 and E'\n'"#,
      "tab\there\tand\nnewline\r\nand carriage return",
      "举报人反映：某局长收受红包，金额约 5000 元。",
      "emoji 👮‍♂️📨✅ and 🇨🇳 flags",
      "$1 $2 ? %s {} ; -- /* comment */",
      String(repeating: "长", count: 20_000),
      "  leading and trailing spaces  ",
    ]
  )
  func roundTrip(text: String) throws {
    let (_, db) = try Store.fresh("roundtrip")
    let echoed = try #require(try db.first("SELECT $1::text AS v, length($1::text) AS n", [text]))
    #expect(try echoed.decode("v", as: String.self) == text)
    #expect(try echoed.decode("n", as: Int.self) == text.unicodeScalars.count)
    // And stored in a table, read back from another connection.
    let id: Int = try db.first("INSERT INTO units (name) VALUES ($1) RETURNING id", [text])!.decode("id")
    let other = try Store.connect(try db.first("SELECT current_database() AS d")!.decode("d"))
    #expect(
      try other.first("SELECT name FROM units WHERE id = $1", [id])!.decode("name", as: String.self) == text)
    #expect(try Store.tableExists(db, "units"))
  }

  @Test("text with a NUL character is refused rather than cut short")
  func nulCharacter() throws {
    let (_, db) = try Store.fresh("nul")
    let error = try #require(throws: DatabaseError.self) {
      try db.query("INSERT INTO units (name) VALUES ($1)", ["before\u{0}after"])
    }
    #expect(error.kind == .statement)
    #expect(error.sqlState == "22021")  // as the server says for a NUL byte in text
    #expect(try db.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 0)
  }

  @Test("nil binds as SQL NULL and NULL reads back as nil")
  func nullBinding() throws {
    let (_, db) = try Store.fresh("null")
    let missing: String? = nil
    let present: String? = "有"
    let row = try #require(
      try db.first(
        "SELECT $1::text IS NULL AS a_null, $1::text AS a, $2::text IS NULL AS b_null, $2::text AS b, $3::int AS c",
        [missing, present, Int?.none]))
    #expect(try row.decode("a_null", as: Bool.self))
    #expect(try row.text("a") == nil)
    #expect(try row.optional("a", as: String.self) == nil)
    #expect(try !row.decode("b_null", as: Bool.self))
    #expect(try row.optional("b", as: String.self) == "有")
    #expect(try row.optional("c", as: Int.self) == nil)
    // A NULL where a value is required is an error, not an empty string or zero.
    let error = try #require(throws: DatabaseError.self) { try row.decode("a", as: String.self) }
    #expect(error.kind == .decoding)
    // A NOT NULL column refuses it.
    let refused = try #require(throws: DatabaseError.self) {
      try db.query("INSERT INTO units (name) VALUES ($1)", [missing])
    }
    #expect(refused.sqlState == "23502")
  }

  @Test("the same parameter may be used several times and many parameters may be bound")
  func manyParameters() throws {
    let (_, db) = try Store.fresh("many")
    let values = (1...200).map { "v\($0)" }
    let sql = "SELECT " + (1...200).map { "$\($0)::text AS c\($0)" }.joined(separator: ", ")
    let row = try #require(try db.first(sql, values))
    for i in 1...200 { #expect(try row.decode("c\(i)", as: String.self) == "v\(i)") }
  }
}
