import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

/// The command line as people on their own database roles use it.
@Suite("Access from the command line: own roles, unit scoping, reveals and exports with identities")
struct AccessCommandTests {
  let test: TestDocket

  init() throws {
    test = try TestDocket.make("accesscli", now: beijing("2021-10-08 12:00"))
    try Office.staff(test.docket)
  }

  /// Runs docket logged in with `conninfo`.
  func docket(_ conninfo: String, _ arguments: String...) throws -> CommandResult {
    var environment = test.environment
    environment["DOCKET_DATABASE_URL"] = conninfo
    return try CLI.run(arguments, environment: environment)
  }

  /// Two named reporters' items: one in 第一纪检监察室, one in 第二纪检监察室.
  func items() throws -> (first: Item, second: Item) {
    let d = test.docket
    let first = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    let second = try d.intake(
      Office.call(subject: "反映某所长违规收费", at: beijing("2021-09-28 09:30"), name: "李四", phone: "13900139000"),
      actor: "reg")
    for (item, unit) in [(first, "第一纪检监察室"), (second, "第二纪检监察室")] {
      _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-29 09:00")))
      _ = try d.assign(item.ref, unit: unit, actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    }
    return (first, second)
  }

  @Test("a leader exports identities with a reason; the reveals log names who, what and why")
  func exportWithIdentity() throws {
    let (first, second) = try items()
    _ = try test.person("boss")
    let leader = try test.personConninfo("boss")
    let passphrase = TestCluster.shared.root.appendingPathComponent("\(test.database)-boss.pass")
    _ = FileManager.default.createFile(
      atPath: passphrase.path, contents: Data(TestDocket.passphrase.utf8),
      attributes: [.posixPermissions: 0o600])
    let refused = try docket(leader, "export", "items", "--with-identity", "--format", "csv")
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--reason"))
    let csv = try docket(
      leader, "export", "items", "--with-identity", "--reason", "移送司法机关", "--format", "csv",
      "--passphrase-file", passphrase.path)
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.contains("反映人,联系电话,电子邮箱,通讯地址,身份证号"))
    #expect(csv.stdout.contains("张三丰,13800138000"))
    #expect(csv.stdout.contains("李四,13900139000"))
    let log = try docket(leader, "audit", "log", "--reveals", "--json")
    #expect(log.status == 0, "\(log.stderr)")
    let events = try #require(
      try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
    #expect(events.count == 2)
    #expect(Set(events.compactMap { $0["ref"] as? String }) == [first.ref, second.ref])
    #expect(
      events.allSatisfy {
        $0["actor"] as? String == "boss" && $0["event"] as? String == "identities_exported"
      })
    #expect(!log.stdout.contains("张三丰"))
    // The embedded administrator may not do it in the leader's name.
    let onBehalf = try CLI.run(
      ["export", "items", "--with-identity", "--reason", "看看", "--as", "boss"], environment: test.environment)
    #expect(onBehalf.status == 1)
    #expect(onBehalf.stderr.contains("on behalf of boss"))
    #expect(!onBehalf.stdout.contains("张三丰"))
  }

  @Test("a handler's list is their unit's; the whole journal is not theirs; an unmapped role may do nothing")
  func scoping() throws {
    let (first, second) = try items()
    let handler = try test.personConninfo("h1")
    let list = try docket(handler, "list", "--json")
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains(first.ref))
    #expect(!list.stdout.contains(second.ref))
    let show = try docket(handler, "show", second.ref)
    #expect(show.status == 1)
    #expect(show.stderr == "There is no item \(second.ref).\n")
    let verify = try docket(handler, "audit", "verify")
    #expect(verify.status == 1)
    #expect(verify.stderr.contains("h1 may not verify the journal"))
    let ghost = try docket(try test.bareRole("ghost", enrolled: true), "list")
    #expect(ghost.status == 1)
    #expect(ghost.stderr.contains("is not mapped to any staff member"))
  }

  @Test("staff add --db-role enrols an existing role and names a missing one")
  func enrol() throws {
    let missing = try CLI.run(
      ["staff", "add", "wang", "--name", "王某", "--role", "registrar", "--db-role", "no_such_role_here"],
      environment: test.environment)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("The database role 'no_such_role_here' does not exist"))
    let disabled = try CLI.run(["staff", "disable", "h2", "--reason", "调离"], environment: test.environment)
    #expect(disabled.status == 0, "\(disabled.stderr)")
    let gone = try docket(try test.personConninfo("h2"), "list")
    #expect(gone.status == 1)
    #expect(gone.stderr.contains("h2 is no longer active"))
  }
}
