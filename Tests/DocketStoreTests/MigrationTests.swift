import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Migrations")
struct MigrationTests {
  private func write(_ sql: String, _ file: String, in directory: URL) throws {
    try Data(sql.utf8).write(to: directory.appendingPathComponent(file))
  }

  /// The migrations shipped in `sql/`.
  private var shipped: [Migration] {
    (try? Migrator(directory: TestCluster.shared.sqlDirectory).migrations) ?? []
  }

  /// The number `offset` places after the last shipped migration, so that the files these tests add
  /// come after the real ones (`0002` while `sql/` holds only `0001_ledger.sql`).
  private func number(_ offset: Int) -> Int { (shipped.map(\.version).max() ?? 0) + offset }

  /// `NNNN_name.sql` for the number `offset` places after the last shipped migration.
  private func file(_ offset: Int, _ name: String) -> String {
    let digits = String(number(offset))
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_\(name).sql"
  }

  @Test("on an empty database the migrations apply in order and are recorded with checksums")
  func freshDatabase() throws {
    let database = try Store.empty("fresh")
    let db = try Store.connect(database)
    let migrator = try Migrator(directory: TestCluster.shared.sqlDirectory)
    #expect(migrator.migrations.first?.name == "0001_ledger.sql")
    #expect(try migrator.pending(db).map(\.name) == migrator.migrations.map(\.name))

    let applied = try migrator.migrate(db)
    #expect(applied.map(\.name) == migrator.migrations.map(\.name))
    #expect(applied.map(\.version) == applied.map(\.version).sorted())
    for table in ["units", "staff", "items", "accused", "journal", "journal_head", "reference_counters"] {
      #expect(try Store.tableExists(db, table), "\(table) was not created")
    }
    let records = try Store.appliedMigrations(db)
    #expect(records.map(\.version) == migrator.migrations.map(\.version))
    #expect(records.map(\.name) == migrator.migrations.map(\.name))
    // The recorded checksum is the SHA-256 of the file's bytes, as the server computes it too.
    for record in records {
      let bytes = [UInt8](
        try Data(contentsOf: TestCluster.shared.sqlDirectory.appendingPathComponent(record.name)))
      let sha: String = try db.first("SELECT encode(sha256($1::bytea), 'hex') AS h", [bytes])!.decode("h")
      #expect(record.checksum == sha)
    }
    let status = try migrator.status(db)
    #expect(status.allSatisfy { $0.appliedAt != nil && !$0.changed })
    #expect(try migrator.pending(db).isEmpty)
  }

  @Test("migrating again applies nothing")
  func idempotent() throws {
    let db = try Store.connect(try Store.empty("again"))
    let migrator = try Migrator(directory: TestCluster.shared.sqlDirectory)
    try migrator.migrate(db)
    let before = try Store.appliedMigrations(db)
    #expect(try migrator.migrate(db).isEmpty)
    #expect(try migrator.migrate(db).isEmpty)
    let after = try Store.appliedMigrations(db)
    #expect(after.map(\.version) == before.map(\.version))
    #expect(after.map(\.checksum) == before.map(\.checksum))
    // The seed rows of the first migration are there once, not once per run.
    #expect(try db.first("SELECT count(*) AS n FROM journal_head")!.decode("n", as: Int.self) == 1)
  }

  @Test("files are applied by number, each seeing the ones before it")
  func order() throws {
    let directory = try Store.migrationDirectory("order")
    defer { try? FileManager.default.removeItem(at: directory) }
    // Written in the opposite order, and the later one needs the earlier one's table.
    try write("ALTER TABLE later_table ADD COLUMN note text;", file(9, "note"), in: directory)
    try write("CREATE TABLE later_table (id int PRIMARY KEY);", file(2, "later"), in: directory)
    let migrator = try Migrator(directory: directory)
    let db = try Store.connect(try Store.empty("order"))
    let applied = try migrator.migrate(db)
    #expect(applied.map(\.version) == shipped.map(\.version) + [number(2), number(9)])
    #expect(
      try Store.appliedMigrations(db).map(\.name) == shipped.map(\.name) + [
        file(2, "later"), file(9, "note"),
      ])
    #expect(try db.query("SELECT note FROM later_table").isEmpty)
  }

  @Test("an applied file that has since been edited is refused, naming the file")
  func changedFile() throws {
    let directory = try Store.migrationDirectory("changed")
    defer { try? FileManager.default.removeItem(at: directory) }
    let db = try Store.connect(try Store.empty("changed"))
    try Migrator(directory: directory).migrate(db)

    let edited = directory.appendingPathComponent("0001_ledger.sql")
    var text = try String(contentsOf: edited, encoding: .utf8)
    text += "\n-- an innocent-looking edit\n"
    try Data(text.utf8).write(to: edited)
    // A new file alongside must not be applied while an old one is in dispute.
    try write("CREATE TABLE should_not_appear (id int);", file(1, "new"), in: directory)

    let migrator = try Migrator(directory: directory)
    let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
    guard case .changed(let name) = error else {
      Issue.record("expected .changed, got \(error)")
      return
    }
    #expect(name == "0001_ledger.sql")
    #expect(error.description.contains("0001_ledger.sql"))
    #expect(!(try Store.tableExists(db, "should_not_appear")))
    #expect(try Store.appliedMigrations(db).map(\.version) == shipped.map(\.version))
    let status = try migrator.status(db)
    #expect(status.first { $0.migration.version == 1 }?.changed == true)
    #expect(status.first { $0.migration.version == number(1) }?.appliedAt == nil)
  }

  @Test("a new numbered file is applied on the next run")
  func newFile() throws {
    let directory = try Store.migrationDirectory("newfile")
    defer { try? FileManager.default.removeItem(at: directory) }
    let db = try Store.connect(try Store.empty("newfile"))
    try Migrator(directory: directory).migrate(db)

    let x = file(1, "x")
    try write(
      "CREATE TABLE x_notes (id serial PRIMARY KEY, body text NOT NULL);\nINSERT INTO x_notes (body) VALUES ('见');",
      x, in: directory)
    let migrator = try Migrator(directory: directory)
    #expect(try migrator.pending(db).map(\.name) == [x])
    let applied = try migrator.migrate(db)
    #expect(applied.map(\.name) == [x])
    #expect(try db.first("SELECT body FROM x_notes")!.decode("body", as: String.self) == "见")
    let records = try Store.appliedMigrations(db)
    #expect(records.map(\.name) == shipped.map(\.name) + [x])
    #expect(records.last?.checksum == migrator.migrations.last?.checksum)
    #expect(try migrator.migrate(db).isEmpty)
  }

  @Test("a failing migration is rolled back entirely and not recorded")
  func failingMigration() throws {
    let directory = try Store.migrationDirectory("failing")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Store.empty("failing")
    let db = try Store.connect(database)
    try Migrator(directory: directory).migrate(db)

    let bad = file(1, "bad")
    try write(
      """
      CREATE TABLE half_done (id int PRIMARY KEY);
      INSERT INTO half_done VALUES (1);
      INSERT INTO units (name) VALUES ('added by a failed migration');
      SELECT 1 / 0;
      """, bad, in: directory)
    try write("CREATE TABLE after_bad (id int);", file(2, "after"), in: directory)
    let migrator = try Migrator(directory: directory)
    let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
    guard case .failed(let name, let cause) = error else {
      Issue.record("expected .failed, got \(error)")
      return
    }
    #expect(name == bad)
    #expect(cause.sqlState == "22012")
    #expect(error.description.contains(bad))
    #expect(error.description.contains("division by zero"))
    #expect(!(try Store.tableExists(db, "half_done")))
    #expect(!(try Store.tableExists(db, "after_bad")))
    #expect(try db.first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 0)
    #expect(try Store.appliedMigrations(db).map(\.version) == shipped.map(\.version))
    let status = try migrator.status(db)
    #expect(status.first { $0.migration.version == number(1) }?.appliedAt == nil)
    #expect(try migrator.pending(db).map(\.version) == [number(1), number(2)])
    // The session is not left inside a transaction (what it writes next is seen by others) nor
    // holding the lock.
    try db.query("INSERT INTO units (name) VALUES ($1)", ["written after the failure"])
    #expect(
      try Store.connect(database).first("SELECT count(*) AS n FROM units")!.decode("n", as: Int.self) == 1)
    #expect(try Store.advisoryLocks(db) == 0)

    // Once the file is fixed, it and the one after it apply.
    try write("CREATE TABLE half_done (id int PRIMARY KEY);", bad, in: directory)
    #expect(try Migrator(directory: directory).migrate(db).map(\.version) == [number(1), number(2)])
    #expect(try Store.tableExists(db, "after_bad"))
  }

  @Test("two connections migrating at the same moment apply each file exactly once")
  func concurrent() throws {
    let directory = try Store.migrationDirectory("concurrent")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write("CREATE TABLE second_step (id int);", file(1, "second"), in: directory)
    let database = try Store.empty("concurrent")
    let migrator = try Migrator(directory: directory)
    let conninfo = TestCluster.shared.conninfo(database: database)
    let results = Store.simultaneously(2) { _, ready in
      let db = try Connection(conninfo: conninfo)
      ready()
      return try migrator.migrate(db).map(\.version)
    }
    var applied: [Int] = []
    for result in results {
      switch result {
      case .success(let versions): applied += versions
      case .failure(let error): Issue.record("a migrating connection failed: \(error)")
      }
    }
    let expected = shipped.map(\.version) + [number(1)]
    #expect(applied.sorted() == expected)
    let db = try Store.connect(database)
    #expect(try Store.appliedMigrations(db).map(\.version) == expected)
    #expect(try db.first("SELECT count(*) AS n FROM journal_head")!.decode("n", as: Int.self) == 1)
    // Both sessions released the advisory lock.
    #expect(try Store.advisoryLocks(db) == 0)
  }

  @Test("a file not named NNNN_description.sql is refused, naming it")
  func badName() throws {
    let directory = try Store.migrationDirectory("badname")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write("SELECT 1;", "abc.sql", in: directory)
    let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory) }
    guard case .badName(let name) = error else {
      Issue.record("expected .badName, got \(error)")
      return
    }
    #expect(name == "abc.sql")
    #expect(error.description.contains("abc.sql"))
  }

  @Test("two files with the same number are refused, naming both")
  func duplicateNumber() throws {
    let directory = try Store.migrationDirectory("dupnum")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write("SELECT 1;", file(1, "a"), in: directory)
    try write("SELECT 2;", file(1, "b"), in: directory)
    let error = try #require(throws: MigrationError.self) { try Migrator(directory: directory) }
    guard case .duplicateVersion(let version, _, _) = error else {
      Issue.record("expected .duplicateVersion, got \(error)")
      return
    }
    #expect(version == number(1))
    #expect(error.description.contains(file(1, "a")))
    #expect(error.description.contains(file(1, "b")))
  }

  @Test("files other than .sql are ignored")
  func otherFiles() throws {
    let directory = try Store.migrationDirectory("others")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write("notes", "README.md", in: directory)
    try write("SELECT 1;", file(1, "backup") + "~", in: directory)
    let migrator = try Migrator(directory: directory)
    #expect(migrator.migrations.map(\.name) == shipped.map(\.name))
  }

  @Test("a database with a migration this docket does not know is refused")
  func unknownApplied() throws {
    let directory = try Store.migrationDirectory("unknown")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write("CREATE TABLE future (id int);", file(1, "future"), in: directory)
    let db = try Store.connect(try Store.empty("unknown"))
    try Migrator(directory: directory).migrate(db)
    let older = try Migrator(directory: TestCluster.shared.sqlDirectory)
    let error = try #require(throws: MigrationError.self) { try older.migrate(db) }
    guard case .unknownApplied(let version, let name) = error else {
      Issue.record("expected .unknownApplied, got \(error)")
      return
    }
    #expect(version == number(1))
    #expect(name == file(1, "future"))
  }

  @Test("a missing directory is reported with its path")
  func missingDirectory() throws {
    let path = "/nonexistent/docket-sql-\(getpid())"
    let error = try #require(throws: MigrationError.self) {
      try Migrator(directory: URL(fileURLWithPath: path))
    }
    #expect(error.description.contains(path))
  }
}
