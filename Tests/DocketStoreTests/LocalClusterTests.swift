import DocketStore
import Foundation
import Testing

/// The embedded cluster in a fresh DOCKET_HOME. Each test starts one cluster (1–2 s), so there are
/// few tests, run one at a time.
@Suite("The embedded local cluster", .serialized)
struct LocalClusterTests {
  /// A cluster in a new temporary home, destroyed (with the home) after `body`.
  private func withCluster(_ label: String, _ body: (LocalCluster) throws -> Void) throws {
    let home = try Store.temporaryDirectory(label)
    let cluster = LocalCluster(home: home, durable: false)
    defer {
      // As root the cluster lives under /var/lib/docket/clusters/<key>; remove that directory too
      // once it is empty (rmdir leaves it alone if not).
      let base = cluster.dataDirectory.deletingLastPathComponent().deletingLastPathComponent()
      cluster.destroy()
      if base.path != home.path { rmdir(base.path) }
      try? FileManager.default.removeItem(at: home)
    }
    try body(cluster)
  }

  /// The directory holding the cluster (`$DOCKET_HOME`, or its relocation as root).
  private func base(_ cluster: LocalCluster) -> URL {
    cluster.dataDirectory.deletingLastPathComponent().deletingLastPathComponent()
  }

  @Test("created once, Unix socket only, stopped, and started again with its data")
  func lifecycle() throws {
    try withCluster("lc") { cluster in
      #expect(!cluster.exists)
      #expect(!cluster.isRunning)
      #expect(try cluster.ensureRunning() == true)
      #expect(cluster.exists)
      #expect(cluster.isRunning)
      #expect(try cluster.ensureRunning() == false)

      let db = try Connection(conninfo: cluster.conninfo)
      #expect(try db.first("SHOW listen_addresses")!.decode("listen_addresses", as: String.self) == "")
      #expect(
        try db.first("SHOW unix_socket_directories")!.decode("unix_socket_directories", as: String.self)
          == cluster.socketDirectory.path)
      #expect(
        try db.first("SELECT current_database() AS d")!.decode("d", as: String.self)
          == LocalCluster.databaseName)
      #expect(db.user == LocalCluster.roleName)
      // Only the server's account may reach the socket.
      let mode = try FileManager.default.attributesOfItem(atPath: cluster.socketDirectory.path)[
        .posixPermissions]
      #expect((mode as? NSNumber)?.intValue == 0o700)
      // The URI form that `docket db status` prints reaches the same database.
      #expect(cluster.url.hasPrefix("postgresql://docket@%2F"))
      let viaURL = try Connection(conninfo: cluster.url)
      #expect(try viaURL.first("SELECT current_database() AS d")!.decode("d", as: String.self) == "docket")

      try db.run(script: "CREATE TABLE kept (note text NOT NULL)")
      try db.query("INSERT INTO kept (note) VALUES ($1)", ["保留的数据"])

      try cluster.stop()
      #expect(!cluster.isRunning)
      #expect(cluster.exists)
      let down = try #require(throws: DatabaseError.self) { try Connection(conninfo: cluster.conninfo) }
      #expect(down.kind == .connection)
      #expect(down.isTemporary)
      let dropped = try #require(throws: DatabaseError.self) { try db.query("SELECT 1") }
      #expect(dropped.kind == .connection)
      try cluster.stop()  // stopping a stopped cluster is no error
      #expect(!cluster.isRunning)

      #expect(try cluster.ensureRunning() == false)
      #expect(cluster.isRunning)
      let again = try Connection(conninfo: cluster.conninfo)
      #expect(try again.first("SELECT note FROM kept")!.decode("note", as: String.self) == "保留的数据")
    }
  }

  @Test("two threads starting it at the same moment both succeed and make one cluster")
  func concurrentStart() throws {
    try withCluster("lcrace") { cluster in
      let results = Store.simultaneously(2) { _, ready in
        ready()
        return try cluster.ensureRunning()
      }
      var created: [Bool] = []
      for result in results {
        switch result {
        case .success(let flag): created.append(flag)
        case .failure(let error): Issue.record("ensureRunning failed: \(error)")
        }
      }
      #expect(created.sorted { !$0 && $1 } == [false, true], "exactly one call creates the cluster")
      #expect(cluster.isRunning)

      let base = base(cluster)
      let entries = try FileManager.default.contentsOfDirectory(atPath: base.path)
      let clusters = entries.filter {
        FileManager.default.fileExists(atPath: base.appendingPathComponent("\($0)/data/PG_VERSION").path)
      }
      #expect(clusters == ["cluster"], "clusters found in \(base.path): \(entries)")
      #expect(!entries.contains("cluster.partial"))

      let db = try Connection(conninfo: cluster.conninfo)
      let count: Int = try db.first(
        "SELECT count(*) AS n FROM pg_database WHERE datname = $1", [LocalCluster.databaseName])!.decode("n")
      #expect(count == 1)
    }
  }
}
