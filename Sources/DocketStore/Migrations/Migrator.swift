import Crypto
import Foundation

/// One numbered file of `sql/`, such as `0001_ledger.sql`.
public struct Migration: Sendable, Equatable {
  public let version: Int
  public let name: String
  public let sql: String
  /// SHA-256 of the file's bytes, recorded when applied so that a later edit is caught.
  public let checksum: String
}

/// The state of one migration in a database.
public struct MigrationStatus: Sendable {
  public let migration: Migration
  public let appliedAt: Date?
  /// Applied, but the file has changed since.
  public let changed: Bool
}

/// Applies `sql/` in order, each file in its own transaction, under an advisory lock so that two
/// processes migrating at once apply each file once.
public struct Migrator: Sendable {
  public let migrations: [Migration]

  /// Session-level advisory lock key ("docket" in ASCII), shared by every docket process.
  static let lockKey: Int64 = 0x646F_636B_6574

  public init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

  /// Reads `NNNN_name.sql` files from `directory`.
  public init(directory: URL) throws(MigrationError) {
    let files: [String]
    do {
      files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw .directory(directory.path, error.localizedDescription)
    }
    var found: [Migration] = []
    for file in files.sorted() where file.hasSuffix(".sql") {
      let stem = file.dropLast(4)
      guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
        throw .badName(file)
      }
      guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path),
        let sql = String(data: data, encoding: .utf8)
      else { throw .directory(file, "cannot be read as UTF-8") }
      if let twin = found.first(where: { $0.version == version }) {
        throw .duplicateVersion(version, twin.name, file)
      }
      found.append(
        Migration(
          version: version, name: file, sql: sql, checksum: SHA256.hash(data: data).map { $0 }.hex))
    }
    self.init(migrations: found)
  }

  /// Finds `sql/`: `$DOCKET_SQL_DIR`, then `share/docket/sql` beside the installed binary, then the
  /// source checkout the binary was built in.
  public static func locateDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(MigrationError) -> URL {
    if let dir = environment["DOCKET_SQL_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
    // /proc/self/exe names the binary even when it was started through PATH or a symlink.
    let executable = URL(
      fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments.first ?? "."
    ).resolvingSymlinksInPath()
    var candidates = [executable.deletingLastPathComponent().appendingPathComponent("../share/docket/sql")]
    var directory = executable.deletingLastPathComponent()
    while directory.path != "/" {
      candidates.append(directory.appendingPathComponent("sql"))
      directory = directory.deletingLastPathComponent()
    }
    for candidate in candidates
    where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("0001_ledger.sql").path) {
      return candidate.standardizedFileURL
    }
    throw .notFound(candidates.map(\.path))
  }

  /// Each known migration with whether and when it was applied.
  public func status(_ db: Connection) throws(MigrationError) -> [MigrationStatus] {
    let applied = try appliedChecksums(db)
    return migrations.map { migration in
      let record = applied[migration.version]
      return MigrationStatus(
        migration: migration, appliedAt: record?.at,
        changed: record.map { $0.checksum != migration.checksum } ?? false)
    }
  }

  /// The migrations not applied yet.
  public func pending(_ db: Connection) throws(MigrationError) -> [Migration] {
    try status(db).filter { $0.appliedAt == nil }.map(\.migration)
  }

  /// Applies every pending migration and returns them; refuses if an applied file has changed.
  @discardableResult
  public func migrate(_ db: Connection) throws(MigrationError) -> [Migration] {
    do {
      try db.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
    } catch { throw .database(error) }
    defer { _ = try? db.query("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
    do {
      try db.run(
        script: """
          CREATE TABLE IF NOT EXISTS docket_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )
          """)
    } catch { throw .database(error) }
    let applied = try appliedChecksums(db)
    for (version, record) in applied {
      guard let migration = migrations.first(where: { $0.version == version }) else {
        throw .unknownApplied(version, record.name)
      }
      if migration.checksum != record.checksum { throw .changed(migration.name) }
    }
    var done: [Migration] = []
    for migration in migrations where applied[migration.version] == nil {
      do {
        try db.forgetPreparedStatements()
        try db.run(script: "BEGIN")
        try db.run(script: migration.sql)
        try db.query(
          "INSERT INTO docket_migrations (version, name, checksum) VALUES ($1, $2, $3)",
          [migration.version, migration.name, migration.checksum])
        try db.run(script: "COMMIT")
      } catch {
        try? db.run(script: "ROLLBACK")
        throw .failed(migration.name, error)
      }
      done.append(migration)
    }
    return done
  }

  private func appliedChecksums(_ db: Connection) throws(MigrationError) -> [Int: (
    name: String, checksum: String, at: Date
  )] {
    do {
      // Every command reads this first, so a database docket has not set up yet is told apart by
      // the error rather than by asking first; inside a transaction an error would end it.
      let rows: [Row]
      if db.isInTransaction {
        let exists = try db.first("SELECT to_regclass('docket_migrations') IS NOT NULL AS present")
        guard try exists?.decode("present", as: Bool.self) == true else { return [:] }
        rows = try db.query("SELECT version, name, checksum, applied_at FROM docket_migrations")
      } else {
        do {
          rows = try db.query("SELECT version, name, checksum, applied_at FROM docket_migrations")
        } catch  where error.sqlState == SQLState.undefinedTable {
          return [:]
        }
      }
      var out: [Int: (name: String, checksum: String, at: Date)] = [:]
      for row in rows {
        out[try row.decode("version")] = (
          try row.decode("name"), try row.decode("checksum"), try row.decode("applied_at")
        )
      }
      return out
    } catch { throw .database(error) }
  }
}

/// Why migrations could not be read or applied.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
  case directory(String, String)
  case notFound([String])
  case badName(String)
  case duplicateVersion(Int, String, String)
  case changed(String)
  case unknownApplied(Int, String)
  case failed(String, DatabaseError)
  case database(DatabaseError)

  public var description: String {
    switch self {
    case .directory(let path, let problem): "The migrations in \(path) \(problem)."
    case .notFound(let searched):
      "The sql/ directory of migrations was not found (looked in \(searched.prefix(3).joined(separator: ", ")) …); set DOCKET_SQL_DIR."
    case .badName(let file): "The migration file \(file) is not named NNNN_description.sql; rename it."
    case .duplicateVersion(let version, let a, let b):
      "Migrations \(a) and \(b) both have number \(version); renumber one."
    case .changed(let file):
      "The migration \(file) was applied and has changed since; restore the applied version and put the change in a new numbered file."
    case .unknownApplied(let version, let name):
      "The database has migration \(version) (\(name)) applied, which this docket does not have; use the docket version that created it."
    case .failed(let file, let error): "The migration \(file) failed and was rolled back: \(error)"
    case .database(let error): error.description
    }
  }
}
