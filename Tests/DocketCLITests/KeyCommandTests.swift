import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("docket key rotate from the command line")
struct KeyCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("keycli")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String..., environment: [String: String]? = nil) throws -> CommandResult {
    try CLI.run(arguments, environment: environment ?? self.environment)
  }

  @Test(
    "key rotate prints the old and new key ids and counts; the key file holds the new key; the journal verifies"
  )
  func rotate() throws {
    let item = try test.docket.intake(
      Office.call(at: beijing("2021-09-28 09:00"), name: "张三丰", phone: "13800138000"), actor: "reg")
    let keyFile = test.docket.keyFile
    let old = try keyFile.load().keyID

    let plain = try docket("key", "rotate")
    #expect(plain.status == 0, "\(plain.stderr)")
    let new = try keyFile.load().keyID
    #expect(new != old)
    #expect(plain.stdout.hasPrefix("Identity key rotated: \(old) → \(new).\n"))
    #expect(
      plain.stdout.contains(
        "Sealed again under the new key: 1 reporter identity, 0 email messages, 0 quarantined messages."))
    #expect(plain.stdout.contains(keyFile.url.path))
    #expect(!keyFile.next.exists)

    let result = try docket("key", "rotate", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["old_key_id"] as? String == new)
    #expect(json["new_key_id"] as? String == (try keyFile.load().keyID))
    #expect(json["identities"] as? Int == 1)
    #expect(json["messages"] as? Int == 0)
    #expect(json["quarantined"] as? Int == 0)
    #expect(json["key_file"] as? String == keyFile.url.path)

    // The identity opens with the key file as it now is, and with nothing older.
    let sealed: [UInt8] = try #require(
      try test.docket.db.first("SELECT reporter_sealed FROM items WHERE ref = $1", [item.ref])?
        .optional("reporter_sealed"))
    #expect(try keyFile.load().open(sealed, ref: item.ref).name == "张三丰")
    for output in [plain.stdout, plain.stderr, result.stdout, result.stderr] {
      #expect(!output.contains("张三丰") && !output.contains("13800138000"))
    }

    let verify = try docket("audit", "verify")
    #expect(verify.status == 0, "\(verify.stderr)")
    let log = try docket("audit", "log", "--json")
    #expect(log.stdout.components(separatedBy: "identity_key_rotated").count == 3)
  }

  @Test("key rotate with another key file, or by someone not an administrator, is refused")
  func refused() throws {
    _ = try test.docket.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    let keyID = try test.docket.keyFile.load().keyID
    let otherKey = TestCluster.shared.root.appendingPathComponent("\(test.database)-other.key")
    _ = try KeyFile(url: otherKey).create()
    var other = environment
    other["DOCKET_KEY_FILE"] = otherKey.path

    let wrong = try docket("key", "rotate", environment: other)
    #expect(wrong.status == 1)
    #expect(wrong.stdout.isEmpty)
    #expect(
      wrong.stderr.hasPrefix(
        "The identity key was not rotated: the key file \(otherKey.path) is not the key this database's identities are sealed with"
      ))
    #expect(!KeyFile(url: otherKey).next.exists)

    let registrar = try docket("key", "rotate", "--as", "reg")
    #expect(registrar.status == 1)
    #expect(registrar.stderr == "reg may not rotate the identity key; ask a colleague with that role.\n")
    #expect(try test.docket.keyFile.load().keyID == keyID)
  }
}
