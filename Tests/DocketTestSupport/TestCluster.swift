import DocketService
import DocketStore
import Foundation

/// One throw-away PostgreSQL cluster per test process, with a migrated template database that each
/// test clones (CREATE DATABASE … TEMPLATE), after SwiftPackageIndex-Server's approach: every test
/// gets a real, empty, fully migrated database in a few tens of milliseconds.
public final class TestCluster: @unchecked Sendable {
  /// Started on first use; stopped when the test process exits.
  public static let shared: TestCluster = {
    do {
      return try TestCluster()
    } catch {
      fatalError("The test PostgreSQL cluster could not be started: \(error)")
    }
  }()

  public let root: URL
  public let cluster: LocalCluster
  public let sqlDirectory: URL
  public let migrator: Migrator
  private let lock = NSLock()
  private var counter = 0

  static let template = "docket_template"

  private init() throws {
    root = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("docket-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    cluster = LocalCluster(home: root, durable: false)
    try cluster.ensureRunning()
    sqlDirectory = Self.packageRoot.appendingPathComponent("sql")
    migrator = try Migrator(directory: sqlDirectory)
    let admin = try Connection(conninfo: conninfo(database: "postgres"))
    try admin.run(script: "DROP DATABASE IF EXISTS \(Self.template)")
    try admin.run(script: "CREATE DATABASE \(Self.template)")
    let template = try Connection(conninfo: conninfo(database: Self.template))
    try migrator.migrate(template)
    TestCluster.registerCleanup(cluster, root)
  }

  /// The package's root directory, found from this file's path.
  public static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  public func conninfo(database: String) -> String {
    cluster.conninfo(database: database)
  }

  /// A new database cloned from the migrated template, with a name of its own.
  public func freshDatabase(_ label: String = "t") throws -> String {
    let name = lock.withLock { () -> String in
      counter += 1
      let safe = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
      return "test_\(safe)_\(counter)"
    }
    let admin = try Connection(conninfo: conninfo(database: "postgres"))
    // Clones of one template must not overlap: CREATE DATABASE refuses while another copies it.
    try lock.withLock { try admin.run(script: "CREATE DATABASE \(name) TEMPLATE \(Self.template)") }
    return name
  }

  private static func registerCleanup(_ cluster: LocalCluster, _ root: URL) {
    cleanup = (cluster, root)
    atexit {
      guard let (cluster, root) = TestCluster.cleanup else { return }
      cluster.destroy()
      try? FileManager.default.removeItem(at: root)
    }
  }
  nonisolated(unsafe) private static var cleanup: (LocalCluster, URL)?
}

/// A docket opened on a fresh test database, with its own key file and an administrator.
public struct TestDocket {
  public let docket: Docket
  public let database: String
  public let conninfo: String
  public let environment: [String: String]

  /// Opens docket on a new database; `now` fixes the clock for entering history.
  public static func make(_ label: String = "t", now: Date? = nil) throws -> TestDocket {
    let shared = TestCluster.shared
    let database = try shared.freshDatabase(label)
    let conninfo = shared.conninfo(database: database)
    let environment = [
      "DOCKET_DATABASE_URL": conninfo,
      "DOCKET_HOME": shared.root.path,
      "DOCKET_KEY_FILE": shared.root.appendingPathComponent("\(database).key").path,
      "DOCKET_SQL_DIR": shared.sqlDirectory.path,
    ]
    let docket = try Docket.open(
      environment: environment, sqlDirectory: shared.sqlDirectory, checkSchema: false)
    if let now { docket.now = { now } }
    try docket.initialize()
    return TestDocket(docket: docket, database: database, conninfo: conninfo, environment: environment)
  }

  /// Another connection to the same database, as a second person would have.
  public func second() throws -> Docket {
    let other = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    other.now = docket.now
    return other
  }
}
