import DocketCore
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
      "DOCKET_OFFICE_KEY_PIN": shared.root.appendingPathComponent("\(database).pin").path,
      "DOCKET_SQL_DIR": shared.sqlDirectory.path,
    ]
    let docket = try Docket.open(
      environment: environment, sqlDirectory: shared.sqlDirectory, checkSchema: false)
    if let now { docket.now = { now } }
    docket.passphraseCost = TestDocket.cheap
    try docket.initialize(
      custodian: CustodianSetup(login: TestDocket.keeper, name: "保管人", passphrase: TestDocket.passphrase))
    return TestDocket(docket: docket, database: database, conninfo: conninfo, environment: environment)
  }

  /// The office key's first custodian on every test database, a leader.
  public static let keeper = "keeper"
  /// Every test custodian's passphrase.
  public static let passphrase = "测试口令 test passphrase"
  /// A scrypt cost cheap enough for tests (the stored cost is what a reveal pays).
  public static let cheap = PassphraseCost(rounds: 1 << 10, blockSize: 8, parallelism: 1)

  /// Another connection to the same database, as a second person would have.
  public func second() throws -> Docket {
    let other = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    other.now = docket.now
    return other
  }
}

extension TestDocket {
  /// Adds a staff member who works on a database role of their own, as the office's people do: the
  /// role is created (trusted on the test cluster's socket), mapped to the staff record and enrolled
  /// in docket_staff by `staff add`. Returns the connection string that logs in as that role.
  public func staffOnOwnRole(
    _ login: String, name: String, roles: Set<Role>, unit: String? = nil
  ) throws -> String {
    let role = Self.roleName(database, login)
    let admin = try Connection(conninfo: TestCluster.shared.conninfo(database: "postgres"))
    try admin.run(script: "CREATE ROLE \(role) LOGIN")
    _ = try docket.addStaff(
      login: login, name: name, roles: roles, unit: unit, databaseRole: role, actor: "admin")
    return conninfo + " user=\(role)"
  }

  /// docket as an existing staff member working on a database role of their own, which is created
  /// and mapped on first use: what a leader needs to reveal an identity (never done on their behalf).
  /// A leader is made a custodian of the office key on first use too, under ``passphrase``, by
  /// the keeper, as `docket key custodian add` does.
  public func person(_ login: String) throws -> Docket {
    let person = try open(as: try personConninfo(login))
    if login != Self.keeper, try person.actor(nil).roles.contains(.leader) { try makeCustodian(login) }
    return person
  }

  /// Makes a leader a custodian of the office key under ``passphrase``, as the keeper would with
  /// `docket key custodian add`; nothing if they are one.
  public func makeCustodian(_ login: String) throws {
    guard try !docket.keyStatus(actor: "admin").custodians.contains(where: { $0.login == login }) else {
      return
    }
    let keeper = try open(as: try personConninfo(Self.keeper))
    keeper.passphraseCost = Self.cheap
    try keeper.addCustodian(
      login, passphrase: Self.passphrase,
      unlockedBy: [CustodianPassphrase(login: Self.keeper, passphrase: Self.passphrase)], actor: nil)
  }

  /// The connection string that logs in as `login`'s own database role, created and mapped on first use.
  public func personConninfo(_ login: String) throws -> String {
    let role = Self.roleName(database, login)
    let admin = try Connection(conninfo: TestCluster.shared.conninfo(database: "postgres"))
    if try admin.first("SELECT 1 AS one FROM pg_roles WHERE rolname = $1", [role]) == nil {
      try admin.run(script: "CREATE ROLE \(role) LOGIN")
      try docket.mapStaff(login: login, databaseRole: role, actor: "admin")
    }
    return conninfo + " user=\(role)"
  }

  /// A database role (and its connection string) with no staff record behind it.
  public func bareRole(_ name: String, enrolled: Bool) throws -> String {
    let role = Self.roleName(database, name)
    let admin = try Connection(conninfo: TestCluster.shared.conninfo(database: "postgres"))
    try admin.run(script: "CREATE ROLE \(role) LOGIN")
    if enrolled { try admin.run(script: "GRANT docket_staff TO \(role)") }
    return conninfo + " user=\(role)"
  }

  /// docket opened by someone logged in with `conninfo`, sharing this test's key file and clock.
  public func open(as conninfo: String) throws -> Docket {
    var environment = environment
    environment["DOCKET_DATABASE_URL"] = conninfo
    let other = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    other.now = docket.now
    return other
  }

  static func roleName(_ database: String, _ login: String) -> String {
    String("r_\(database)_\(login)".lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(63))
  }
}
