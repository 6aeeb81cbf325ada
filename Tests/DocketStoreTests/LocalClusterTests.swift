import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// The embedded cluster in a fresh DOCKET_HOME. Each test starts one cluster (1–2 s), so there are
/// few tests, run one at a time.
@Suite("The embedded local cluster", .serialized)
struct LocalClusterTests {
  /// A cluster in a new DOCKET_HOME that does not exist yet, as on first use; destroyed (with the
  /// home) after `body`.
  private func withCluster(_ label: String, _ body: (LocalCluster) throws -> Void) throws {
    let parent = try Store.temporaryDirectory(label)
    let cluster = LocalCluster(home: parent.appendingPathComponent("home"), durable: false)
    defer {
      // As root the cluster lives under /var/lib/docket/clusters/<key>; remove that directory too
      // once it is empty (rmdir leaves it alone if not).
      let base = base(cluster)
      cluster.destroy()
      if base.path != cluster.home.path { rmdir(base.path) }
      try? FileManager.default.removeItem(at: parent)
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
      // The home is private to its user, however the two calls interleaved.
      let mode = try FileManager.default.attributesOfItem(atPath: cluster.home.path)[.posixPermissions]
      #expect((mode as? NSNumber)?.intValue == 0o700)

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

  @Test("a cluster started while another is being created in the same process does not hold it up")
  func startDuringCreate() throws {
    _ = TestCluster.shared  // started before, so that its own initdb is not the one watched below
    try withCluster("lcstopped") { stopped in
      try withCluster("lcnew") { new in
        try stopped.ensureRunning()
        try stopped.stop()
        // One thread creates a cluster (initdb runs for about a second) while another starts the
        // stopped one. The server started meanwhile must not inherit and keep open the output pipe
        // of the initdb that is running, or the creating thread would wait for its end for ever.
        let created = Locked<Result<Bool, LocalClusterError>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
          let result = Result { () throws(LocalClusterError) -> Bool in try new.ensureRunning() }
          created.update { $0 = result }
          finished.signal()
        }.start()
        // Wait until that initdb runs, and note the pipe it writes its output to.
        var initdbOutput: String?
        for _ in 0..<200 where initdbOutput == nil {
          initdbOutput = Self.outputOfInitdbSpawnedHere()
          if initdbOutput == nil { usleep(5_000) }
        }
        #expect(try stopped.ensureRunning() == false)
        if let initdbOutput, let server = Self.serverPID(stopped) {
          #expect(
            !Self.openFiles(of: server).contains(initdbOutput),
            "the server holds the output pipe of the other cluster's initdb (\(initdbOutput))")
        }
        let inTime = finished.wait(timeout: .now() + 60) == .success
        #expect(inTime, "creating a cluster did not finish within a minute while another was started")
        guard inTime else {
          // End the server that holds the pipe, which releases the thread, before cleaning up.
          stopped.destroy()
          _ = finished.wait(timeout: .now() + 60)
          return
        }
        #expect(try created.value?.get() == true)
        for cluster in [stopped, new] {
          let db = try Connection(conninfo: cluster.conninfo)
          #expect(
            try db.first("SHOW data_directory")!.decode("data_directory", as: String.self)
              == cluster.dataDirectory.path)
        }
      }
    }
  }

  /// The pid of a running cluster's postmaster.
  private static func serverPID(_ cluster: LocalCluster) -> Int32? {
    let file = cluster.dataDirectory.appendingPathComponent("postmaster.pid")
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").first.flatMap { Int32($0) }
  }

  /// What a process's file descriptors refer to (`pipe:[123]`, paths), from /proc.
  private static func openFiles(of pid: Int32) -> Set<String> {
    let directory = "/proc/\(pid)/fd"
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return Set(
      fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)") })
  }

  /// The parent of a process, from /proc.
  private static func parentPID(_ pid: Int32) -> Int32? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    // "pid (comm) state ppid …"
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
  }

  /// The output (fd 1) of an initdb that this test process spawned itself, directly or through
  /// runuser as root — not one run by a docket child process of another suite.
  private static func outputOfInitdbSpawnedHere() -> String? {
    let me = getpid()
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = Int32(entry), let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { continue }
      let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      guard arguments.first?.hasSuffix("/initdb") == true else { continue }
      guard let parent = parentPID(pid), parent == me || parentPID(parent) == me else { continue }
      if let output = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/1"),
        output.hasPrefix("pipe:")
      {
        return output
      }
    }
    return nil
  }
}
