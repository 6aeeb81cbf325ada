import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("docket key, reveal and passphrases from the command line")
struct KeyCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("keycli")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String..., as login: String? = nil, input: String? = nil) throws -> CommandResult {
    var environment = self.environment
    if let login { environment["DOCKET_DATABASE_URL"] = try test.personConninfo(login) }
    return try CLI.run(arguments, environment: environment, input: input)
  }

  /// A passphrase file with `mode`.
  func passphraseFile(_ text: String, mode: Int = 0o600) throws -> String {
    let url = TestCluster.shared.root.appendingPathComponent("\(test.database)-\(UUID()).pass")
    _ = FileManager.default.createFile(
      atPath: url.path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: mode])
    return url.path
  }

  @Test(
    "reveal reads the custodian's passphrase from a 0600 file or a descriptor, and refuses a readable file")
  func reveal() throws {
    let item = try test.docket.intake(
      Office.call(at: beijing("2021-09-28 09:00"), name: "张三丰", phone: "13800138000"), actor: "reg")
    _ = try test.person("boss")
    let file = try passphraseFile(TestDocket.passphrase)
    let fromFile = try docket("reveal", item.ref, "--reason", "核实", "--passphrase-file", file, as: "boss")
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    #expect(fromFile.stdout.contains("张三丰") && fromFile.stdout.contains("13800138000"))

    let fromDescriptor = try docket(
      "reveal", item.ref, "--reason", "核实", "--passphrase-fd", "0", "--json", as: "boss",
      input: TestDocket.passphrase + "\n")
    #expect(fromDescriptor.status == 0, "\(fromDescriptor.stderr)")
    let revealed = try #require(
      try JSONSerialization.jsonObject(with: Data(fromDescriptor.stdout.utf8)) as? [String: Any])
    #expect(revealed["phone"] as? String == "13800138000")

    let wrong = try docket(
      "reveal", item.ref, "--reason", "核实", "--passphrase-fd", "0", as: "boss", input: "not it at all\n")
    #expect(wrong.status == 1)
    #expect(wrong.stdout.isEmpty)
    #expect(wrong.stderr.hasPrefix("The passphrase of boss is wrong; nothing was opened"))

    let readable = try passphraseFile(TestDocket.passphrase, mode: 0o644)
    let refused = try docket("reveal", item.ref, "--reason", "核实", "--passphrase-file", readable, as: "boss")
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("chmod 600 \(readable)"))
    #expect(!refused.stderr.contains(TestDocket.passphrase))
  }

  @Test("key status lists the fingerprint, custodians and wraps; key rotate moves everything to a new key")
  func statusAndRotate() throws {
    let item = try test.docket.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    let before = try #require(try test.docket.keyStatus(actor: "admin").fingerprint)
    let status = try docket("key", "status")
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.hasPrefix("office key: \(before) "))
    #expect(status.stdout.contains("reveal quorum: 1\n"))
    #expect(status.stdout.contains("  keeper 保管人: added "))
    #expect(status.stdout.contains("wraps:\n  keeper: made "))

    let file = try passphraseFile(TestDocket.passphrase)
    let rotate = try docket("key", "rotate", "--passphrase-file", file, "--json", as: TestDocket.keeper)
    #expect(rotate.status == 0, "\(rotate.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(rotate.stdout.utf8)) as? [String: Any])
    #expect(json["from"] as? String == before)
    #expect(json["destroyed"] as? [String] == [before])
    let after = try #require(json["to"] as? String)
    #expect(try test.docket.keyStatus(actor: "admin").fingerprint == after)
    #expect(try test.person("boss").reveal(item.ref, reason: "核实", actor: nil).name == "张三丰")

    let registrar = try docket("key", "rotate", "--as", "reg", "--passphrase-file", file)
    #expect(registrar.status == 1)
    #expect(registrar.stderr.hasPrefix("reg may not change the office key; a leader who is a custodian must"))
    let verify = try docket("audit", "verify")
    #expect(verify.status == 0, "\(verify.stderr)")
  }

  @Test("policy set reveal_quorum 2 needs two custodians at every reveal, --with naming the second")
  func quorum() throws {
    let item = try test.docket.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    _ = try test.person("boss")
    let file = try passphraseFile(TestDocket.passphrase)
    let set = try docket(
      "policy", "set", "reveal_quorum", "2", "--passphrase-file", file, as: TestDocket.keeper)
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout.contains("(reveal quorum 2)"))
    let alone = try docket("reveal", item.ref, "--reason", "核实", "--passphrase-file", file, as: "boss")
    #expect(alone.status == 1)
    #expect(alone.stderr.contains("--with LOGIN"))
    let together = try docket(
      "reveal", item.ref, "--reason", "核实", "--passphrase-file", file, "--with", TestDocket.keeper,
      "--with-passphrase-file", file, as: "boss")
    #expect(together.status == 0, "\(together.stderr)")
    #expect(together.stdout.contains("张三丰"))
  }

  @Test("key custodian add asks the new custodian's passphrase; remove refuses the last custodian")
  func custodians() throws {
    _ = try test.person("h1")
    _ = try test.docket.addStaff(login: "boss2", name: "第二领导", roles: [.leader], unit: nil, actor: "admin")
    let file = try passphraseFile(TestDocket.passphrase)
    let newFile = try passphraseFile("第二位保管人的口令 second")
    let add = try docket(
      "key", "custodian", "add", "boss2", "--passphrase-file", file, "--new-passphrase-file", newFile,
      as: TestDocket.keeper)
    #expect(add.status == 0, "\(add.stderr)")
    #expect(try test.docket.keyStatus(actor: "admin").custodians.map(\.login) == ["boss2", "keeper"])
    let remove = try docket("key", "custodian", "remove", "boss2", as: TestDocket.keeper)
    #expect(remove.status == 0, "\(remove.stderr)")
    #expect(remove.stdout.contains("rotate it with 'docket key rotate'"))
    let last = try docket("key", "custodian", "remove", TestDocket.keeper, as: TestDocket.keeper)
    #expect(last.status == 1)
    #expect(last.stderr.contains("is the last custodian"))
  }
}
