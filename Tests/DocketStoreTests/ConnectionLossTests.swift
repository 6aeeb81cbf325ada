import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// A connection the server ends (a restart, a crash, an administrator) in the middle of work: every
/// such failure must be temporary (exit 75, try again) and say so in words, with libpq's own after.
@Suite("A connection lost in the middle is a temporary failure that says the database is unavailable")
struct ConnectionLossTests {
  /// Ends `db`'s session from another connection, as a server shutdown does, and waits until it is gone.
  static func terminate(_ db: Connection, in database: String) {
    do {
      let pid: Int = try db.first("SELECT pg_backend_pid() AS pid")!.decode("pid")
      terminate(pid: pid, in: database)
    } catch {
      Issue.record("could not read the backend's pid: \(error)")
    }
  }

  static func terminate(pid: Int, in database: String) {
    do {
      let admin = try Store.connect(database)
      try admin.query("SELECT pg_terminate_backend($1)", [pid])
      for _ in 0..<200 {
        if try admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]).isEmpty { return }
        usleep(10_000)
      }
      Issue.record("backend \(pid) was still there after 2 seconds")
    } catch {
      Issue.record("could not end backend \(pid): \(error)")
    }
  }

  static func expectUnavailable(_ error: DatabaseError, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(error.kind == .connection, "\(error)", sourceLocation: sourceLocation)
    #expect(error.isTemporary, "\(error)", sourceLocation: sourceLocation)
    #expect(error.isUnavailable, "\(error)", sourceLocation: sourceLocation)
    #expect(
      error.description.hasPrefix("The database is unavailable at the moment; try again later. "),
      "\(error.description)", sourceLocation: sourceLocation)
    #expect(!error.description.contains("\n"), "\(error.description)", sourceLocation: sourceLocation)
  }

  @Test("ended between two statements of a transaction: the next statement fails, temporary; nothing kept")
  func midTransaction() throws {
    let (database, db) = try Store.fresh("lossmid")
    let thrown = try #require(throws: TransactionError<DatabaseError>.self) {
      try db.transaction { () throws(DatabaseError) in
        try db.query("INSERT INTO units (name) VALUES ($1)", ["半途单位"])
        Self.terminate(db, in: database)
        try db.query("INSERT INTO units (name) VALUES ($1)", ["第二个单位"])
      }
    }
    guard case .body(let error) = thrown else {
      Issue.record("expected the statement inside to fail, got \(thrown)")
      return
    }
    Self.expectUnavailable(error)
    // The server's own words come after the sentence.
    #expect(error.description.contains("terminating connection") || error.description.contains("closed"))
    let check = try Store.connect(database)
    #expect(try check.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 0)
  }

  @Test("ended just before COMMIT: temporary, and it says that whether it was saved is unknown")
  func atCommit() throws {
    let (database, db) = try Store.fresh("losscommit")
    let thrown = try #require(throws: TransactionError<DatabaseError>.self) {
      try db.transaction { () throws(DatabaseError) in
        try db.query("INSERT INTO units (name) VALUES ($1)", ["提交前单位"])
        Self.terminate(db, in: database)
      }
    }
    guard case .database(let error) = thrown else {
      Issue.record("expected COMMIT to fail, got \(thrown)")
      return
    }
    #expect(error.kind == .connection)
    #expect(error.sqlState == SQLState.transactionResolutionUnknown)
    #expect(error.isTemporary)
    #expect(error.isCommitOutcomeUnknown)
    #expect(error.description.contains("it is not known whether it was saved"), "\(error.description)")
    #expect(error.description.contains("try"), "\(error.description)")
    let check = try Store.connect(database)
    #expect(try check.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 0)
  }

  @Test("ended while idle: BEGIN of the next transaction fails, temporary")
  func atBegin() throws {
    let (database, db) = try Store.fresh("lossbegin")
    Self.terminate(db, in: database)
    let thrown = try #require(throws: TransactionError<DatabaseError>.self) {
      try db.transaction { () throws(DatabaseError) in try db.query("SELECT 1") }
    }
    guard case .database(let error) = thrown else {
      Issue.record("expected BEGIN to fail, got \(thrown)")
      return
    }
    Self.expectUnavailable(error)
  }

  @Test("ended during a script (run(script:)): temporary")
  func duringScript() throws {
    let (database, db) = try Store.fresh("lossscript")
    Self.terminate(db, in: database)
    let error = try #require(throws: DatabaseError.self) { try db.run(script: "SELECT 1; SELECT 2") }
    Self.expectUnavailable(error)
  }

  @Test("ended in the middle of a COPY: temporary, no rows kept, and it returns rather than hangs")
  func duringCopy() throws {
    let (database, db) = try Store.fresh("losscopy")
    let pid: Int = try db.first("SELECT pg_backend_pid() AS pid")!.decode("pid")
    // Rows made as COPY asks for them; the session is ended a third of the way through, after
    // several 64 KB chunks have gone.
    let total = 30_000
    let rows = (0..<total).lazy.map { index -> [String?] in
      if index == total / 3 { Self.terminate(pid: pid, in: database) }
      return ["复制单位\(index)" + String(repeating: "长", count: 20)]
    }
    let (result, seconds) = timed { () throws -> Int in
      try db.transaction { () throws(DatabaseError) in
        try db.copy("COPY units (name) FROM STDIN", rows: rows)
      }
    }
    #expect(seconds < 10)
    let thrown = try #require(throws: TransactionError<DatabaseError>.self) { try result.get() }
    let error: DatabaseError
    switch thrown {
    case .body(let inner): error = inner
    case .database(let inner): error = inner
    }
    #expect(error.kind == .connection, "\(error)")
    #expect(error.isTemporary, "\(error)")
    #expect(error.description.contains("try again"), "\(error.description)")
    let check = try Store.connect(database)
    #expect(try check.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 0)
  }

  @Test("no server at the socket: temporary, and the sentence says unavailable, then libpq's words")
  func noServer() throws {
    let empty = try Store.temporaryDirectory("lossnosrv")
    defer { try? FileManager.default.removeItem(at: empty) }
    let error = try #require(throws: DatabaseError.self) {
      try Connection(conninfo: "host='\(empty.path)' dbname=docket user=docket")
    }
    Self.expectUnavailable(error)
    #expect(error.description.contains("No such file or directory"), "\(error.description)")
    #expect(error.description.contains(empty.path), "\(error.description)")
  }

  @Test("a refused password or a missing database is not temporary and keeps its own sentence")
  func notTemporary() throws {
    _ = TestCluster.shared
    let socket = TestCluster.shared.cluster.socketDirectory.path
    let error = try #require(throws: DatabaseError.self) {
      try Connection(conninfo: "host='\(socket)' dbname=no_such_db_loss user=\(LocalCluster.roleName)")
    }
    #expect(!error.isTemporary)
    #expect(!error.isUnavailable)
    #expect(error.description.hasPrefix("Could not connect to the database: "))
  }

  @Test("a lost serialization race is temporary but not called unavailable")
  func serializationRace() {
    let error = DatabaseError(
      kind: .statement, sqlState: SQLState.serializationFailure,
      message: "could not serialize access due to concurrent update")
    #expect(error.isTemporary)
    #expect(!error.isUnavailable)
    #expect(error.description.contains("try again"))
    #expect(!error.description.contains("unavailable"))
  }
}
