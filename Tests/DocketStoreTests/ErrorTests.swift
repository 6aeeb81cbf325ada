import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Errors carry the SQLSTATE and the server's own words")
struct StatementErrorTests {
  @Test("a unique violation names SQLSTATE 23505 and the constraint")
  func uniqueViolation() throws {
    let (_, db) = try Store.fresh("unique")
    try db.query("INSERT INTO units (name) VALUES ($1)", ["第一纪检监察室"])
    let error = try #require(throws: DatabaseError.self) {
      try db.query("INSERT INTO units (name) VALUES ($1)", ["第一纪检监察室"])
    }
    #expect(error.kind == .statement)
    #expect(error.sqlState == SQLState.uniqueViolation)
    #expect(error.constraint == "units_name_key")
    #expect(error.message == #"duplicate key value violates unique constraint "units_name_key""#)
    #expect(error.detail?.contains("already exists") == true)
    #expect(error.statement == "INSERT INTO units (name) VALUES ($1)")
    #expect(!error.isTemporary)
    #expect(error.description.contains("SQLSTATE 23505"))
    #expect(error.description.contains("units_name_key"))
    // The connection is still usable afterwards.
    #expect(try db.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 1)
  }

  @Test("a syntax error gives SQLSTATE 42601 and says where")
  func syntaxError() throws {
    let (_, db) = try Store.fresh("syntax")
    let error = try #require(throws: DatabaseError.self) { try db.query("SELEC 1") }
    #expect(error.kind == .statement)
    #expect(error.sqlState == "42601")
    #expect(error.message == #"syntax error at or near "SELEC""#)
    #expect(error.statement == "SELEC 1")
    #expect(try db.first("SELECT 1 AS one")!.decode("one", as: Int.self) == 1)
  }

  @Test("a script error carries its SQLSTATE as well")
  func scriptError() throws {
    let (_, db) = try Store.fresh("script")
    let error = try #require(throws: DatabaseError.self) {
      try db.run(script: "CREATE TABLE fine (x int);\nSELECT * FROM no_such_table")
    }
    #expect(error.sqlState == SQLState.undefinedTable)
    #expect(error.message == #"relation "no_such_table" does not exist"#)
    #expect(error.statement == "CREATE TABLE fine (x int);")
  }

  @Test("check and foreign-key violations name their SQLSTATE and constraint")
  func constraintViolations() throws {
    let (_, db) = try Store.fresh("checks")
    let check = try #require(throws: DatabaseError.self) {
      try db.query("INSERT INTO units (name) VALUES ($1)", ["   "])
    }
    #expect(check.sqlState == SQLState.checkViolation)
    #expect(check.constraint == "units_name_check")
    let foreign = try #require(throws: DatabaseError.self) {
      try db.query(
        "INSERT INTO staff (login, name, roles, unit_id) VALUES ($1, $2, $3, $4)",
        ["h1", "承办一", TextArray(["handler"]), 999])
    }
    #expect(foreign.sqlState == SQLState.foreignKeyViolation)
    #expect(foreign.constraint == "staff_unit_id_fkey")
  }

  @Test("a value of the wrong type for its column is refused by the server, not mangled")
  func badInput() throws {
    let (_, db) = try Store.fresh("badinput")
    let error = try #require(throws: DatabaseError.self) {
      try db.query("SELECT $1::integer AS n", ["12abc"])
    }
    #expect(error.sqlState == "22P02")
    #expect(error.message.contains("12abc") || error.message.contains("invalid input syntax"))
  }

  @Test("a RAISE EXCEPTION from the database reaches the caller with its hint")
  func raisedException() throws {
    let (_, db) = try Store.fresh("raise")
    let error = try #require(throws: DatabaseError.self) {
      try db.run(
        script: """
          DO $$ BEGIN RAISE EXCEPTION 'custom refusal %', 42 USING HINT = 'try later', ERRCODE = 'P0001'; END $$
          """)
    }
    #expect(error.sqlState == SQLState.raiseException)
    #expect(error.message == "custom refusal 42")
    #expect(error.hint == "try later")
  }
}

@Suite("Connection failures are reported at once in libpq's and the server's words")
struct ConnectionFailureTests {
  var socket: String { TestCluster.shared.cluster.socketDirectory.path }

  @Test("a role that does not exist")
  func missingRole() throws {
    _ = TestCluster.shared
    let (result, seconds) = timed { try Connection(conninfo: "host='\(socket)' dbname=postgres user=nobody") }
    let error = try #require(throws: DatabaseError.self) { try result.get() }
    #expect(seconds < 3)
    #expect(error.kind == .connection)
    #expect(error.message.contains(#"role "nobody" does not exist"#), "\(error.message)")
    #expect(!error.isTemporary)
    #expect(error.description.hasPrefix("Could not connect to the database: "))
  }

  @Test("a database that does not exist")
  func missingDatabase() throws {
    _ = TestCluster.shared
    let (result, seconds) = timed {
      try Connection(conninfo: "host='\(socket)' dbname=no_such_db user=\(LocalCluster.roleName)")
    }
    let error = try #require(throws: DatabaseError.self) { try result.get() }
    #expect(seconds < 3)
    #expect(error.kind == .connection)
    #expect(error.message.contains(#"database "no_such_db" does not exist"#), "\(error.message)")
    #expect(!error.isTemporary)
  }

  @Test("a socket directory where no server runs")
  func noServer() throws {
    let empty = try Store.temporaryDirectory("nosrv")
    defer { try? FileManager.default.removeItem(at: empty) }
    let (result, seconds) = timed {
      try Connection(conninfo: "host='\(empty.path)' dbname=docket user=docket")
    }
    let error = try #require(throws: DatabaseError.self) { try result.get() }
    #expect(seconds < 3)
    #expect(error.kind == .connection)
    #expect(error.message.contains(empty.path), "\(error.message)")
    #expect(error.message.contains("No such file or directory"), "\(error.message)")
    #expect(error.isTemporary)
  }

  @Test("the same socket directory given as a URI")
  func noServerURI() throws {
    let empty = try Store.temporaryDirectory("nosrvuri")
    defer { try? FileManager.default.removeItem(at: empty) }
    let host = empty.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    let (result, seconds) = timed { try Connection(conninfo: "postgresql://docket@\(host)/docket") }
    let error = try #require(throws: DatabaseError.self) { try result.get() }
    #expect(seconds < 3)
    #expect(error.kind == .connection)
    #expect(error.message.contains(empty.path), "\(error.message)")
    #expect(error.isTemporary)
  }

  @Test("a TCP port where nothing listens")
  func refusedPort() throws {
    let (result, seconds) = timed {
      try Connection(conninfo: "host=127.0.0.1 port=1 dbname=docket user=docket")
    }
    let error = try #require(throws: DatabaseError.self) { try result.get() }
    #expect(seconds < 3)
    #expect(error.kind == .connection)
    #expect(error.message.contains("Connection refused"), "\(error.message)")
    #expect(error.isTemporary)
  }

  @Test("a malformed connection string is refused with libpq's reason")
  func malformed() throws {
    let uri = try #require(throws: DatabaseError.self) {
      try Connection(conninfo: "postgresql://docket@%zz/docket")
    }
    #expect(uri.kind == .connection)
    #expect(uri.message.contains("percent-encoded"), "\(uri.message)")
    #expect(!uri.isTemporary)
    let keyValue = try #require(throws: DatabaseError.self) {
      try Connection(conninfo: "host=/tmp nonsense_key=1")
    }
    #expect(keyValue.kind == .connection)
    #expect(keyValue.message.contains("nonsense_key"), "\(keyValue.message)")
    #expect(!keyValue.isTemporary)
  }

  @Test("a session ended by the server is reported as a connection failure")
  func terminated() throws {
    let (database, db) = try Store.fresh("terminated")
    let pid: Int = try db.first("SELECT pg_backend_pid() AS pid")!.decode("pid")
    let admin = try Store.connect(database)
    try admin.query("SELECT pg_terminate_backend($1)", [pid])
    // Termination is asynchronous; wait until the backend is gone.
    for _ in 0..<100 {
      let alive = try admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])
      if alive.isEmpty { break }
      usleep(20_000)
    }
    let error = try #require(throws: DatabaseError.self) { try db.query("SELECT 1") }
    #expect(error.kind == .connection)
    #expect(error.isTemporary)
  }
}
