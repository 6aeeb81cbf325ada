import Foundation

/// The embedded PostgreSQL cluster under `$DOCKET_HOME`: created with initdb on first use,
/// reachable only through a Unix socket in its own directory (no TCP port), started on demand.
///
/// Creation and start-up run under an exclusive file lock, and a new cluster is built in a side
/// directory that is renamed into place only when complete, so two processes starting at the same
/// moment neither corrupt nor double-create it.
public struct LocalCluster: Sendable {
  /// `$DOCKET_HOME`.
  public let home: URL
  /// Whether the server syncs to disk. Off only for throw-away test clusters.
  public let durable: Bool

  /// The database docket uses inside the cluster, and its owner role.
  public static let databaseName = "docket"
  public static let roleName = "docket"

  public init(home: URL, durable: Bool = true) {
    self.home = home.standardizedFileURL
    self.durable = durable
  }

  /// `$DOCKET_HOME`, else `${XDG_DATA_HOME:-$HOME/.local/share}/docket`.
  public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let home = environment["DOCKET_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
    let data =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return URL(fileURLWithPath: data).appendingPathComponent("docket")
  }

  /// The cluster's directory: `$DOCKET_HOME/cluster`, a symlink when the server account cannot
  /// reach `$DOCKET_HOME` (as root with a home under /root).
  public var clusterDirectory: URL { home.appendingPathComponent("cluster") }
  /// The cluster's real directory, the symlink followed (the server account needs real paths).
  var realClusterDirectory: URL { clusterDirectory.resolvingSymlinksInPath() }
  public var dataDirectory: URL { realClusterDirectory.appendingPathComponent("data") }
  public var socketDirectory: URL { realClusterDirectory.appendingPathComponent("run") }
  public var logFile: URL { realClusterDirectory.appendingPathComponent("postgresql.log") }

  /// A libpq connection string for the docket database over the Unix socket.
  public var conninfo: String { conninfo(database: Self.databaseName) }

  /// A libpq connection string for `database` over the socket; the path is quoted as libpq wants.
  public func conninfo(database: String) -> String {
    let host = socketDirectory.path.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "'", with: "\\'")
    return "host='\(host)' dbname=\(database) user=\(Self.roleName)"
  }

  /// The same as a URI, for `docket db status` and for pointing psql or pg_dump at it.
  public var url: String {
    let host = socketDirectory.path
      .addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
    return "postgresql://\(Self.roleName)@\(host)/\(Self.databaseName)"
  }

  public var exists: Bool {
    FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
  }

  /// Whether the server answers on its socket. Asked of the server itself (PQping) rather than read
  /// from postmaster.pid, whose pid may belong to another process after a power cut.
  public var isRunning: Bool {
    Connection.ping(conninfo(database: "postgres") + " connect_timeout=5")
  }

  /// Whether a postmaster process of this cluster exists, answering or not (starting, shutting down).
  var hasServerProcess: Bool {
    let pidFile = dataDirectory.appendingPathComponent("postmaster.pid").path
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
      let pid = Int32(text.split(separator: "\n").first ?? "")
    else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// Creates the cluster if there is none and starts it if it is not running; returns whether it
  /// was created by this call.
  @discardableResult
  public func ensureRunning() throws(LocalClusterError) -> Bool {
    try createDirectory(home, mode: 0o700, forServer: false)
    let lock = try FileLock(path: home.appendingPathComponent(".cluster.lock").path)
    defer { withExtendedLifetime(lock) {} }
    var created = false
    if !exists {
      try create()
      created = true
    }
    if !isRunning { try start() }
    // A marker rather than `created`: a process killed between start and CREATE DATABASE leaves a
    // cluster without its database, and the next one must finish the job.
    let ready = realClusterDirectory.appendingPathComponent("database-created")
    if !FileManager.default.fileExists(atPath: ready.path) {
      try createDatabase()
      _ = FileManager.default.createFile(atPath: ready.path, contents: Data())
    }
    return created
  }

  /// Stops the server if it runs (fast shutdown: sessions are ended, transactions rolled back).
  public func stop() throws(LocalClusterError) {
    guard exists else { return }
    let lock = try FileLock(path: home.appendingPathComponent(".cluster.lock").path)
    defer { withExtendedLifetime(lock) {} }
    guard isRunning || hasServerProcess else { return }
    try Subprocess.run(
      try binary("pg_ctl"), ["stop", "-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60"],
      asServerUser: true)
  }

  /// Stops the server at once and removes the whole cluster; for tests.
  public func destroy() {
    if hasServerProcess {
      _ = try? Subprocess.run(
        try binary("pg_ctl"), ["stop", "-D", dataDirectory.path, "-m", "immediate", "-w"], asServerUser: true)
    }
    let real = realClusterDirectory
    try? FileManager.default.removeItem(at: real)
    try? FileManager.default.removeItem(at: clusterDirectory)
    // A cluster relocated for the server account leaves its own directory under /var/lib/docket.
    let base = real.deletingLastPathComponent()
    if base.deletingLastPathComponent().path == "/var/lib/docket/clusters" {
      try? FileManager.default.removeItem(at: base)
    }
  }

  private func create() throws(LocalClusterError) {
    let base = try serverReachableBase()
    let partial = base.appendingPathComponent("cluster.partial")
    let final = base.appendingPathComponent("cluster")
    try? FileManager.default.removeItem(at: partial)
    try createDirectory(partial, mode: 0o700, forServer: true)
    try createDirectory(partial.appendingPathComponent("run"), mode: 0o700, forServer: true)
    let socket = final.appendingPathComponent("run").path
    guard socket.utf8.count + "/.s.PGSQL.5432".utf8.count <= 107 else {
      throw .socketPathTooLong(socket)
    }
    var arguments = [
      "-D", partial.appendingPathComponent("data").path, "-U", Self.roleName, "--auth=trust",
      "--encoding=UTF8", "--no-locale",
    ]
    if !durable { arguments.append("--no-sync") }
    try Subprocess.run(try binary("initdb"), arguments, asServerUser: true)
    // Unix socket only, in the cluster's own 0700 directory: only this account (and root) connects.
    var settings = """

      # docket: embedded cluster, Unix socket only
      listen_addresses = ''
      unix_socket_directories = '\(socket)'
      unix_socket_permissions = 0700
      logging_collector = off
      """
    if !durable { settings += "\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n" }
    let config = partial.appendingPathComponent("data/postgresql.auto.conf").path
    guard let handle = FileHandle(forWritingAtPath: config) else {
      throw .filesystem(config, "cannot be written")
    }
    handle.seekToEndOfFile()
    handle.write(Data((settings + "\n").utf8))
    handle.closeFile()
    do {
      try FileManager.default.moveItem(at: partial, to: final)
      if final.path != clusterDirectory.path {
        try? FileManager.default.removeItem(at: clusterDirectory)
        try FileManager.default.createSymbolicLink(at: clusterDirectory, withDestinationURL: final)
      }
    } catch {
      throw .filesystem(final.path, error.localizedDescription)
    }
  }

  private func start() throws(LocalClusterError) {
    let pgctl = try binary("pg_ctl")
    do {
      try Subprocess.run(
        pgctl, ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-s"],
        asServerUser: true)
    } catch .program(_, let problem) {
      throw .serverDidNotStart(problem, log: logFile.path)
    }
  }

  private func createDatabase() throws(LocalClusterError) {
    do {
      let admin = try Connection(conninfo: conninfo(database: "postgres"))
      let present = try admin.first(
        "SELECT 1 AS one FROM pg_database WHERE datname = $1", [Self.databaseName])
      // CREATE DATABASE takes no parameters; the name is this type's constant, never input.
      if present == nil { try admin.run(script: "CREATE DATABASE \(Self.databaseName)") }
    } catch {
      throw .program("CREATE DATABASE", "failed: \(error)")
    }
  }

  /// Where the server account can reach: `$DOCKET_HOME` itself, or, when running as root with a
  /// home the account cannot traverse (such as /root), a directory under /var/lib/docket.
  private func serverReachableBase() throws(LocalClusterError) -> URL {
    guard Subprocess.isRoot, !serverCanTraverse(home) else { return home }
    let key = home.path.utf8.reduce(UInt64(14_695_981_039_346_656_037)) {
      ($0 ^ UInt64($1)) &* 1_099_511_628_211
    }
    let base = URL(fileURLWithPath: "/var/lib/docket/clusters/\(String(key, radix: 16))")
    try createDirectory(
      base.deletingLastPathComponent().deletingLastPathComponent(), mode: 0o755, forServer: false)
    try createDirectory(base.deletingLastPathComponent(), mode: 0o755, forServer: false)
    try createDirectory(base, mode: 0o700, forServer: true)
    return base
  }

  private func serverCanTraverse(_ url: URL) -> Bool {
    guard let (uid, gid) = try? Subprocess.serverIDs() else { return false }
    var path = url
    while true {
      var info = stat()
      guard stat(path.path, &info) == 0 else { return false }
      let mode = info.st_mode
      let ok =
        info.st_uid == uid
        ? mode & S_IXUSR != 0 : info.st_gid == gid ? mode & S_IXGRP != 0 : mode & S_IXOTH != 0
      if !ok { return false }
      if path.path == "/" { return true }
      path = path.deletingLastPathComponent()
    }
  }

  private func createDirectory(_ url: URL, mode: Int, forServer: Bool) throws(LocalClusterError) {
    // mkdir with the mode rather than FileManager's mkdir-then-chmod: another process deciding under
    // the lock whether the server account can reach $DOCKET_HOME must never see it with the wider
    // permissions of that moment (it would then build the cluster where the server cannot go).
    var missing: [URL] = []
    var directory = url
    while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.path) {
      missing.insert(directory, at: 0)
      directory = directory.deletingLastPathComponent()
    }
    for directory in missing {
      if mkdir(directory.path, mode_t(mode)) == 0 {
        chmod(directory.path, mode_t(mode))  // the umask may have narrowed it
      } else if errno != EEXIST {
        throw .filesystem(directory.path, String(cString: strerror(errno)))
      }
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw .filesystem(url.path, "is not a directory")
    }
    if forServer && Subprocess.isRoot {
      let (uid, gid) = try Subprocess.serverIDs()
      guard chown(url.path, uid, gid) == 0 else {
        throw .filesystem(url.path, String(cString: strerror(errno)))
      }
    }
  }

  /// Finds a server program: `$DOCKET_PG_BINDIR`, then the newest /usr/lib/postgresql/N/bin
  /// (Debian keeps initdb off the PATH), then the PATH.
  func binary(_ name: String) throws(LocalClusterError) -> String {
    let environment = ProcessInfo.processInfo.environment
    var candidates: [String] = []
    if let bindir = environment["DOCKET_PG_BINDIR"], !bindir.isEmpty { candidates.append(bindir) }
    let versions =
      ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
      .compactMap(Int.init).sorted(by: >)
    candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
    candidates += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    for directory in candidates {
      let path = directory + "/" + name
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw .serverNotInstalled(searched: candidates)
  }
}
