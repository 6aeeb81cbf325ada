import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("A reporter's identity is stored only encrypted and revealed only to a leader, with a reason")
struct ConfidentialityTests {
  static let name = "张三丰"
  static let phone = "13800138000"
  static let email = "zhangsanfeng@example.cn"
  static let address = "雷州市西湖大道88号"
  static let subject = "反映市公安局某副局长收受红包"

  /// A real-name accusation from 张三丰 with every identity field.
  static func named() -> IntakeRequest {
    var request = Office.call(subject: subject, at: beijing("2021-09-28 09:00"), name: name, phone: phone)
    request.reporterEmail = email
    request.reporterAddress = address
    return request
  }

  static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

  @Test("no column of any table holds the name, phone, email or address, as text or as bytes")
  func noPlainTextInTables() throws {
    let scene = try Scene.make("plaintables")
    let item = try scene.register(Self.named())
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try scene.test.person("boss").reveal(item.ref, reason: "核实后向举报人反馈", actor: nil)
    #expect(item.reporterKind == .realName)

    let secrets = [Self.name, Self.phone, Self.email, Self.address]
    let tables = try scene.d.db.query(
      """
      SELECT table_name::text AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1
      """
    ).map { try $0.decode("name", as: String.self) }
    #expect(tables.contains("items"))
    #expect(tables.contains("journal"))
    var sawSubject = false
    for table in tables {
      for row in try scene.d.db.query("SELECT t::text AS row FROM \"\(table)\" t") {
        let text = try row.decode("row", as: String.self)
        sawSubject = sawSubject || text.contains(Self.subject)
        for secret in secrets {
          #expect(!text.contains(secret), "\(table) holds a reporter's identity in plain text")
          #expect(
            !text.lowercased().contains(Self.hex(secret)), "\(table) holds a reporter's identity as bytes")
        }
      }
    }
    #expect(sawSubject, "the inspection did not see the item at all")
    let sealed = try #require(
      try scene.d.db.first("SELECT reporter_sealed FROM items WHERE ref = $1", [item.ref])?
        .optional("reporter_sealed", as: [UInt8].self))
    #expect(sealed.count > 16)
  }

  @Test("pg_dump of the database contains the subject but not the reporter's name or phone")
  func pgDumpHasNoIdentity() throws {
    let scene = try Scene.make("pgdump")
    let item = try scene.register(Self.named())
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try scene.test.person("boss").reveal(item.ref, reason: "核实后向举报人反馈", actor: nil)

    let program = try #require(postgresProgram("pg_dump"), "pg_dump is not installed")
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(
      "docket-dump-\(scene.test.database)-\(UUID().uuidString).sql")
    defer { try? FileManager.default.removeItem(at: output) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = ["--dbname=\(scene.test.conninfo)", "--file=\(output.path)"]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: stderr, as: UTF8.self))")

    let dump = try Data(contentsOf: output)
    #expect(dump.range(of: Data(Self.subject.utf8)) != nil)
    #expect(dump.range(of: Data("2021-JB-00001".utf8)) != nil)
    for secret in [Self.name, Self.phone, Self.email, Self.address] {
      #expect(dump.range(of: Data(secret.utf8)) == nil, "pg_dump holds a reporter's identity")
      #expect(
        dump.range(of: Data(Self.hex(secret).utf8)) == nil, "pg_dump holds a reporter's identity as hex")
    }
  }

  @Test("a leader reveals the identity; the journal keeps the reason and not the identity")
  func leaderReveals() throws {
    let scene = try Scene.make("reveal")
    let item = try scene.register(Self.named())
    let identity = try scene.test.person("boss").reveal(item.ref, reason: "核实后向举报人反馈", actor: nil)
    #expect(identity.name == Self.name)
    #expect(identity.phone == Self.phone)
    #expect(identity.email == Self.email)
    #expect(identity.address == Self.address)
    #expect(identity.idNumber == nil)
    // Printing the identity shows only its kind.
    #expect("\(identity)" == "实名")

    let events = try scene.reload(item.ref).events
    #expect(events.map(\.event) == ["registered", "identity_revealed"])
    let reveal = try #require(events.last)
    #expect(reveal.actor == "boss")
    #expect(reveal.payload == #"{"reason":"核实后向举报人反馈"}"#)
    for event in try scene.d.journalLog(ref: nil, actor: "aud") {
      #expect(!event.payload.contains(Self.name))
      #expect(!event.payload.contains(Self.phone))
    }
    // A reveal is not a move: the item is as it was.
    #expect(try scene.reload(item.ref).item.version == item.version)
    #expect(try scene.reload(item.ref).item.state == .registered)
  }

  @Test(
    "registrars, handlers, the case office and auditors may not reveal; each refusal is journaled, no identity is"
  )
  func othersMayNotReveal() throws {
    let scene = try Scene.make("revealperm")
    let item = try scene.register(Self.named())
    for login in ["reg", "h1", "cm", "aud"] {
      let error = expectRefusal(.forbidden) { () throws(DocketError) in
        try scene.d.reveal(item.ref, reason: "想知道是谁举报的", actor: login)
      }
      #expect(error?.description.contains(Self.name) == false)
    }
    let events = try scene.reload(item.ref).events
    #expect(events.map(\.event) == ["registered"] + Array(repeating: "custodian_refused", count: 4))
    #expect(events.dropFirst().map(\.actor) == ["reg", "h1", "cm", "aud"])
    #expect(events.allSatisfy { !$0.payload.contains(Self.name) && !$0.payload.contains(Self.phone) })
  }

  @Test("a reveal needs a reason, and an anonymous item has nothing to reveal")
  func revealRefusals() throws {
    let scene = try Scene.make("revealrefuse")
    let boss = try scene.test.person("boss")
    let named = try scene.register(Self.named())
    expectRefusal(.invalid) { () throws(DocketError) in
      try boss.reveal(named.ref, reason: "  ", actor: nil)
    }
    let anonymous = try scene.register(Office.call(at: beijing("2021-09-28 09:30"), name: nil, phone: nil))
    #expect(anonymous.reporterKind == .anonymous)
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(anonymous.ref, reason: "核实", actor: nil)
    }
    #expect(error?.description == "2021-JB-00002 was sent anonymously (匿名); there is no identity to reveal.")
    expectRefusal(.notFound) { () throws(DocketError) in
      try boss.reveal("2021-JB-09999", reason: "核实", actor: nil)
    }
    #expect(try scene.reload(named.ref).events.map(\.event) == ["registered"])
    #expect(try scene.reload(anonymous.ref).events.map(\.event) == ["registered"])
  }
}
