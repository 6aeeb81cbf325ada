import DocketStore
import DocketTestSupport
import Foundation

/// Helpers shared by the store tests: databases on the test cluster, temporary directories, and
/// threads that start the same work at the same moment.
enum Store {
  /// A new database cloned from the migrated template, and a connection to it.
  static func fresh(_ label: String) throws -> (database: String, db: Connection) {
    let database = try TestCluster.shared.freshDatabase(label)
    return (database, try Connection(conninfo: TestCluster.shared.conninfo(database: database)))
  }

  /// Another connection to a database of the test cluster, as a second process would have.
  static func connect(_ database: String) throws -> Connection {
    try Connection(conninfo: TestCluster.shared.conninfo(database: database))
  }

  /// A new database created from `template0`: empty, nothing migrated.
  static func empty(_ label: String) throws -> String {
    let name = "empty_\(label)_\(UInt32.random(in: 0...UInt32.max))"
    let admin = try connect("postgres")
    try admin.run(script: "CREATE DATABASE \(name) TEMPLATE template0")
    return name
  }

  /// The socket directory of the test cluster, percent-encoded for the host part of a URI.
  static var encodedSocketDirectory: String {
    TestCluster.shared.cluster.socketDirectory.path
      .addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
  }

  /// A new, empty temporary directory.
  static func temporaryDirectory(_ label: String) throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("docket-store-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A temporary directory holding copies of the package's `sql/*.sql`.
  static func migrationDirectory(_ label: String) throws -> URL {
    let directory = try temporaryDirectory(label)
    let source = TestCluster.shared.sqlDirectory
    let files = try FileManager.default.contentsOfDirectory(atPath: source.path)
    for file in files where file.hasSuffix(".sql") {
      try FileManager.default.copyItem(
        at: source.appendingPathComponent(file), to: directory.appendingPathComponent(file))
    }
    return directory
  }

  /// Whether a table exists in the connected database.
  static func tableExists(_ db: Connection, _ name: String) throws -> Bool {
    try db.first("SELECT to_regclass($1) IS NOT NULL AS present", [name])!.decode("present")
  }

  /// How many advisory locks are held in the connected database (by any session).
  static func advisoryLocks(_ db: Connection) throws -> Int {
    try db.first(
      """
      SELECT count(*) AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      """)!.decode("n")
  }

  /// The rows of `docket_migrations`, in version order.
  static func appliedMigrations(_ db: Connection) throws -> [(version: Int, name: String, checksum: String)] {
    try db.query("SELECT version, name, checksum FROM docket_migrations ORDER BY version").map { row in
      (try row.decode("version"), try row.decode("name"), try row.decode("checksum"))
    }
  }

  /// Runs `body` on `count` threads of their own. Each thread prepares (for instance opens its own
  /// connection), then calls `ready()`; no thread goes past `ready()` until all have reached it, so
  /// the work after it starts at the same moment. Returns each thread's result, in thread order.
  static func simultaneously<T: Sendable>(
    _ count: Int, _ body: @escaping @Sendable (_ index: Int, _ ready: () -> Void) throws -> T
  ) -> [Result<T, any Error>] {
    let barrier = Barrier(count)
    let results = Locked([Result<T, any Error>?](repeating: nil, count: count))
    let done = DispatchGroup()
    for index in 0..<count {
      done.enter()
      let thread = Thread {
        var arrived = false
        let ready = {
          if !arrived {
            arrived = true
            barrier.arrive()
          }
        }
        let result = Result { try body(index, ready) }
        ready()  // a thread that failed before it was ready must not hold the others back
        results.update { $0[index] = result }
        done.leave()
      }
      thread.start()
    }
    done.wait()
    return results.value.map { $0! }
  }
}

/// Holds back threads until `count` of them have arrived.
final class Barrier: @unchecked Sendable {
  private let condition = NSCondition()
  private let count: Int
  private var arrived = 0

  init(_ count: Int) { self.count = count }

  func arrive() {
    condition.lock()
    defer { condition.unlock() }
    arrived += 1
    if arrived == count { condition.broadcast() }
    while arrived < count { condition.wait() }
  }
}

/// A value shared between threads under a lock.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value

  init(_ value: Value) { stored = value }

  var value: Value { lock.withLock { stored } }

  func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

/// Measures how long `body` takes, returning its result or error along with the time.
func timed<T>(_ body: () throws -> T) -> (result: Result<T, any Error>, seconds: Double) {
  let start = ContinuousClock.now
  let result = Result { try body() }
  let elapsed = ContinuousClock.now - start
  return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
