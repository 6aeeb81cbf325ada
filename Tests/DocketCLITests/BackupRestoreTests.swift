import DocketCore
import DocketService
import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// deploy/backup and deploy/restore end to end: a dump, and nothing else, restored into a database
/// that never held docket, gives back every item, a journal whose chain verifies up to the same head,
/// identities a custodian reveals with their passphrase, and reference numbers that go on where
/// they stopped.
@Suite("deploy/backup then deploy/restore into a new database")
struct BackupRestoreTests {
  let test: TestDocket

  init() throws {
    test = try TestDocket.make("backup")
    try Office.staff(test.docket)
  }

  /// Runs a deploy/ script with `environment` (plus PATH and HOME), standard input from /dev/null.
  func script(_ name: String, _ arguments: [String], environment: [String: String]) throws -> ScriptResult {
    let process = Process()
    process.executableURL = TestCluster.packageRoot.appendingPathComponent("deploy/\(name)")
    process.arguments = arguments
    var env = environment
    let own = ProcessInfo.processInfo.environment
    env["PATH"] = own["PATH"] ?? "/usr/bin:/bin"
    env["HOME"] = own["HOME"] ?? "/root"
    env["DOCKET"] = CLI.executable
    process.environment = env
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "docket-script-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out")
    let errURL = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return ScriptResult(
      status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
      stderr: try String(contentsOf: errURL, encoding: .utf8))
  }

  struct ScriptResult {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  func journalHead(_ conninfo: String) throws -> String {
    let db = try Connection(conninfo: conninfo)
    return try db.first("SELECT seq::text || ':' || encode(hash, 'hex') AS head FROM journal_head")!.decode(
      "head")
  }

  func refs(_ environment: [String: String]) throws -> [String] {
    let list = try CLI.run(["list", "--json"], environment: environment)
    #expect(list.status == 0, "\(list.stderr)")
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    return items.compactMap { $0["ref"] as? String }.sorted()
  }

  @Test("every item, the same journal head, identities a leader reveals, numbering that goes on")
  func roundTrip() throws {
    var made: [String] = []
    for index in 0..<6 {
      let item = try test.docket.intake(
        Office.call(
          subject: "反映某局长收受红包\(index)", at: beijing("2021-09-28 09:0\(index)"), name: "张三丰\(index)",
          phone: "1380013800\(index)"), actor: "reg")
      made.append(item.ref)
    }
    _ = try test.docket.accept(made[0], actor: "reg")
    // The leader works on a role of their own (reveal is never done on someone's behalf); the role
    // is the cluster's, the mapping is in the dump.
    _ = try test.person("boss")
    let bossSource = try test.personConninfo("boss")
    let bossRole = String(bossSource.dropFirst(test.conninfo.count)).trimmingCharacters(in: .whitespaces)
    #expect(bossRole.hasPrefix("user="))

    let scratch = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("docket-backup-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    let backup = try script(
      "backup", [scratch.appendingPathComponent("bk").path], environment: test.environment)
    #expect(backup.status == 0, "\(backup.stderr)")
    let written = backup.stdout.split(separator: "\n").map(String.init)
    // No key file exists to copy: the dump holds the office key only wrapped for its custodians.
    #expect(written.count == 1, "\(backup.stdout)")
    let dump = try #require(written.first { $0.hasSuffix(".dump") })
    #expect(backup.stderr.contains("no key file to copy"))
    let mode = try FileManager.default.attributesOfItem(atPath: dump)[.posixPermissions] as? Int
    #expect(mode == 0o600)

    // A database that never held docket.
    let target = "restored_\(test.database)"
    let admin = try Connection(conninfo: TestCluster.shared.conninfo(database: "postgres"))
    try admin.run(script: "CREATE DATABASE \(target) TEMPLATE template0")
    let targetConninfo = TestCluster.shared.conninfo(database: target)
    var restored = test.environment
    restored["DOCKET_DATABASE_URL"] = targetConninfo
    let restore = try script("restore", [dump], environment: restored)
    #expect(restore.status == 0, "\(restore.stderr)")

    #expect(try refs(restored) == refs(test.environment))
    #expect(try refs(restored).count == 6)
    #expect(try journalHead(targetConninfo) == journalHead(test.conninfo))
    let verify = try CLI.run(["audit", "verify", "--json"], environment: restored)
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("\"intact\" : true"), "\(verify.stdout)")
    let shown = try CLI.run(["show", made[0], "--json"], environment: restored)
    let original = try CLI.run(["show", made[0], "--json"], environment: test.environment)
    #expect(shown.status == 0 && shown.stdout == original.stdout)

    var boss = restored
    boss["DOCKET_DATABASE_URL"] = "\(targetConninfo) \(bossRole)"
    let passphrase = scratch.appendingPathComponent("boss.pass")
    _ = FileManager.default.createFile(
      atPath: passphrase.path, contents: Data(TestDocket.passphrase.utf8),
      attributes: [.posixPermissions: 0o600])
    let reveal = try CLI.run(
      ["reveal", made[3], "--reason", "核实举报人身份", "--passphrase-file", passphrase.path], environment: boss)
    #expect(reveal.status == 0, "\(reveal.stderr)")
    #expect(reveal.stdout.contains("张三丰3") && reveal.stdout.contains("13800138003"))

    let next = try CLI.run(
      [
        "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "恢复后的来电", "--at", "2021-10-08",
      ],
      environment: restored)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stdout.hasPrefix("2021-JB-00007\n"), "\(next.stdout)")
  }
}
