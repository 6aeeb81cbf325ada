import DocketCore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("docket intake --attach and docket attachment list / release / get")
struct AttachmentCommandTests {
  let test: TestDocket

  init() throws {
    test = try TestDocket.make("attachcli")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String..., as login: String? = nil) throws -> CommandResult {
    var environment = test.environment
    if let login { environment["DOCKET_DATABASE_URL"] = try test.personConninfo(login) }
    return try CLI.run(arguments, environment: environment)
  }

  @Test("a letter's scan goes in sealed; the list names it; get is refused until a custodian releases it")
  func attachReleaseGet() throws {
    let folder = TestCluster.shared.root.appendingPathComponent("\(test.database)-files")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let scan = folder.appendingPathComponent("举报信.jpg")
    let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("扫描件 TOKEN-cli-5R2".utf8)
    try Data(bytes).write(to: scan)
    let intake = try docket(
      "intake", "letter", "--as", "reg", "--kind", "accusation", "--subject", "反映某局长收受红包",
      "--reporter-name", "张三丰", "--attach", scan.path)
    #expect(intake.status == 0, "\(intake.stderr)")
    let ref = String(intake.stdout.prefix { $0 != "\n" })

    let list = try docket("attachment", "list", ref, "--json")
    #expect(list.status == 0, "\(list.stderr)")
    let entries = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(entries.count == 1)
    #expect(entries.first?["content_type"] as? String == "image/jpeg")
    #expect(entries.first?["filename"] as? String == "举报信.jpg")

    let out = folder.appendingPathComponent("out.jpg").path
    let refused = try docket("attachment", "get", ref, "1", "--output", out)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("has not been released"))
    #expect(!FileManager.default.fileExists(atPath: out))

    _ = try test.person("boss")
    let passphrase = folder.appendingPathComponent("boss.pass")
    _ = FileManager.default.createFile(
      atPath: passphrase.path, contents: Data(TestDocket.passphrase.utf8),
      attributes: [.posixPermissions: 0o600])
    let release = try docket(
      "attachment", "release", ref, "1", "--reason", "交承办部门核查", "--passphrase-file", passphrase.path,
      as: "boss")
    #expect(release.status == 0, "\(release.stderr)")
    let get = try docket("attachment", "get", ref, "1", "--output", out)
    #expect(get.status == 0, "\(get.stderr)")
    #expect(FileManager.default.contents(atPath: out).map(Array.init) == bytes)
    let log = try docket("audit", "log", "--reveals", "--json")
    #expect(log.stdout.contains("attachment_released"))
  }
}
