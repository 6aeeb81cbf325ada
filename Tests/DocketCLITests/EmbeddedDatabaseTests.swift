import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// The embedded database as a new user meets it: a fresh DOCKET_HOME and nothing configured.
@Suite("The embedded local database", .serialized)
struct EmbeddedDatabaseTests {
  let home: URL
  var environment: [String: String] {
    ["DOCKET_HOME": home.path, "DOCKET_SQL_DIR": TestCluster.shared.sqlDirectory.path]
  }

  init() throws {
    home = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "docket-home-\(UUID().uuidString)")
  }

  func cleanUp() {
    LocalCluster(home: home).destroy()
    try? FileManager.default.removeItem(at: home)
  }

  @Test("the first command creates, starts and initialises the cluster; db stop stops it")
  func firstUse() throws {
    defer { cleanUp() }
    let list = try CLI.run(["list", "--json"], environment: environment)
    #expect(list.status == 0, "\(list.stderr)")
    let items = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any]
    #expect(items?.isEmpty == true)
    // First use writes no key of any kind: there is no office key until a leader makes one.
    #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("identity.key").path))

    // db init makes the office key and its first custodian; registering a named reporter then needs
    // nothing but the database, and the custodian's passphrase opens it.
    let passphrase = home.appendingPathComponent("l1.pass")
    _ = FileManager.default.createFile(
      atPath: passphrase.path, contents: Data("领导一的口令 first custodian\n".utf8),
      attributes: [.posixPermissions: 0o600])
    let initialised = try CLI.run(
      ["db", "init", "--custodian", "l1", "--custodian-name", "领导一", "--passphrase-file", passphrase.path],
      environment: environment)
    #expect(initialised.status == 0, "\(initialised.stderr)")
    #expect(initialised.stdout.contains("office key: "))
    let intake = try CLI.run(
      [
        "intake", "phone", "--as", "admin", "--kind", "accusation", "--subject", "反映某局长收受红包",
        "--reporter-name", "张三丰", "--reporter-phone", "13800138000",
      ], environment: environment)
    #expect(intake.status == 0, "\(intake.stderr)")
    let ref = String(intake.stdout.prefix { $0 != "\n" })
    let files = try FileManager.default.subpathsOfDirectory(atPath: home.path).filter {
      !$0.hasPrefix("cluster")
    }
    #expect(files.allSatisfy { !$0.hasSuffix(".key") }, "\(files)")
    // Not in l1's name: on l1's own database role, which the DBA (here the embedded superuser) makes.
    let onBehalf = try CLI.run(
      ["reveal", ref, "--as", "l1", "--reason", "核实", "--passphrase-file", passphrase.path],
      environment: environment)
    #expect(onBehalf.status == 1)
    #expect(onBehalf.stderr.contains("on behalf of l1"))
    let embedded = try Connection(conninfo: LocalCluster(home: home).conninfo)
    try embedded.run(script: "CREATE ROLE l1 LOGIN")
    #expect(try CLI.run(["staff", "map", "l1", "--db-role", "l1"], environment: environment).status == 0)
    var asLeader = environment
    asLeader["DOCKET_DATABASE_URL"] = LocalCluster(home: home).conninfo + " user=l1"
    let reveal = try CLI.run(
      ["reveal", ref, "--reason", "核实", "--passphrase-file", passphrase.path], environment: asLeader)
    #expect(reveal.status == 0, "\(reveal.stderr)")
    #expect(reveal.stdout.contains("张三丰") && reveal.stdout.contains("13800138000"))

    let status = try CLI.run(["db", "status", "--json"], environment: environment)
    #expect(status.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    let url = try #require(json["url"] as? String)
    #expect(url.hasPrefix("postgresql://docket@%2F"))
    // Unix socket only: the server listens on no TCP address.
    let db = try Connection(conninfo: url)
    let listen: String = try #require(try db.first("SHOW listen_addresses")).decode("listen_addresses")
    #expect(listen == "")

    let stop = try CLI.run(["db", "stop"], environment: environment)
    #expect(stop.status == 0)
    #expect(!LocalCluster(home: home).isRunning)
    // A status says it is stopped, with the same URL, and leaves it stopped.
    for arguments in [["db", "status", "--json"], ["db", "status"]] {
      let stopped = try CLI.run(arguments, environment: environment)
      #expect(stopped.status == 0, "\(stopped.stderr)")
      #expect(!LocalCluster(home: home).isRunning, "\(arguments) started the database")
      if arguments.contains("--json") {
        let json = try #require(
          try JSONSerialization.jsonObject(with: Data(stopped.stdout.utf8)) as? [String: Any])
        #expect(json["running"] as? Bool == false)
        #expect(json["url"] as? String == url)
        #expect(json["user"] is NSNull)
      } else {
        #expect(stopped.stdout.contains("running: no"), "\(stopped.stdout)")
      }
    }
    // On demand again, with the data kept.
    let again = try CLI.run(["unit", "list", "--json"], environment: environment)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(LocalCluster(home: home).isRunning)
  }

  @Test(
    "a server that will not start makes a command exit 75 with a sentence naming the log, and starts once put right"
  )
  func serverWillNotStart() throws {
    defer { cleanUp() }
    #expect(try CLI.run(["db", "init"], environment: environment).status == 0)
    #expect(try CLI.run(["db", "stop"], environment: environment).status == 0)
    let cluster = LocalCluster(home: home)
    let conf = cluster.dataDirectory.appendingPathComponent("postgresql.conf")
    let original = try Data(contentsOf: conf)
    // A setting the server refuses at startup, as a hand edit gone wrong would be.
    try (original + Data("\nshared_buffers = 'plenty'\n".utf8)).write(to: conf)
    let refused = try CLI.run(["unit", "list"], environment: environment)
    #expect(refused.status == 75, "\(refused.stderr)")
    #expect(refused.stderr.contains("could not be started"), "\(refused.stderr)")
    #expect(refused.stderr.contains(cluster.logFile.path), "\(refused.stderr)")
    #expect(!cluster.isRunning)

    try original.write(to: conf)
    let again = try CLI.run(["unit", "list"], environment: environment)
    #expect(again.status == 0, "\(again.stderr)")
  }

  @Test("two processes starting it at the same moment create one cluster and both succeed")
  func concurrentStart() throws {
    defer { cleanUp() }
    let results = CLI.runConcurrently([["db", "init"], ["db", "init"], ["list"]], environment: environment)
    for result in results { #expect(result.status == 0, "\(result.stderr)") }
    let cluster = LocalCluster(home: home)
    #expect(cluster.exists)
    let db = try Connection(conninfo: cluster.conninfo)
    let count: Int = try #require(try db.first("SELECT count(*) AS n FROM staff WHERE login = 'admin'"))
      .decode("n")
    #expect(count == 1)
    let applied: Int = try #require(try db.first("SELECT count(*) AS n FROM docket_migrations")).decode("n")
    #expect(applied == TestCluster.shared.migrator.migrations.count)
  }
}
