import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// Attachments sealed like identities and released on purpose (issue 16, item 5).
@Suite("Attachments: sealed at intake, listed by name, type and size, released by a custodian")
struct AttachmentTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("attach", now: beijing("2021-10-08 12:00"))
  }

  /// A scanned letter whose bytes carry a token to look for, and whose name is the reporter's.
  static let scan = Array("%PDF-1.4 举报信扫描件 TOKEN-attach-7Q3 张三丰 13800138000".utf8)
  static let recording = Array("#!AMR\n来电录音 TOKEN-attach-9K1".utf8)

  func letter() throws -> Item {
    var request = Office.call(at: beijing("2021-09-28 09:00"))
    request.channel = .letter
    request.attachments = [
      IntakeAttachment(filename: "/home/reg/扫描/张三丰的举报信.pdf", bytes: Self.scan),
      IntakeAttachment(filename: "录音.bin", bytes: Self.recording),
    ]
    return try d.intake(request, actor: "reg")
  }

  @Test("files at intake are sealed; handlers see the redacted name, the sniffed type and the size")
  func sealedAtIntake() throws {
    let item = try letter()
    let entries = try d.attachments(item.ref, actor: "aud")
    #expect(entries.map(\.number) == [1, 2])
    #expect(entries.map(\.filename) == ["〔举报人信息已隐去〕的举报信.pdf", "录音.bin"])
    #expect(entries.map(\.contentType) == ["application/pdf", "audio/amr"])
    #expect(entries.map(\.size) == [Int64(Self.scan.count), Int64(Self.recording.count)])
    #expect(entries.allSatisfy { $0.source == "intake" && $0.releasedAt == nil })
    for row in try d.db.query("SELECT content FROM attachments") {
      let bytes: [UInt8] = try row.decode("content")
      #expect(Data(bytes).range(of: Data("TOKEN-attach".utf8)) == nil)
    }
    #expect(try scene.reload(item.ref).item.channelDetails["attachments"] == "2")
  }

  @Test(
    "an unreleased attachment is refused to everyone but a custodian; a release keeps a copy for the unit")
  func releaseThenGet() throws {
    let item = try letter()
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    let handler = try scene.test.open(as: try scene.test.personConninfo("h1"))
    let sealed = expectRefusal(.refused) { () throws(DocketError) in
      try handler.attachmentContent(item.ref, number: 1, actor: nil)
    }
    #expect(sealed?.description.contains("has not been released") == true)
    // A handler cannot release it, passphrase or not.
    expectRefusal(.forbidden) { () throws(DocketError) in
      try handler.releaseAttachment(
        item.ref, number: 1, reason: "核查", custodians: try handler.testCustodians(nil), actor: nil)
    }

    let boss = try scene.test.person("boss")
    // A custodian opens it without releasing it, on the record.
    let opened = try boss.attachmentContent(
      item.ref, number: 2, reason: "核实来电", custodians: try boss.testCustodians(nil), actor: nil)
    #expect(opened.bytes == Self.recording)
    let released = try boss.releaseAttachment(
      item.ref, number: 1, reason: "交承办部门核查", custodians: try boss.testCustodians(nil), actor: nil)
    #expect(released.releasedBy == "boss")
    #expect(try handler.attachmentContent(item.ref, number: 1, actor: nil).bytes == Self.scan)
    expectRefusal(.refused) { () throws(DocketError) in
      try handler.attachmentContent(item.ref, number: 2, actor: nil)
    }
    expectRefusal(.refused) { () throws(DocketError) in
      try boss.releaseAttachment(
        item.ref, number: 1, reason: "再次", custodians: try boss.testCustodians(nil), actor: nil)
    }
    expectRefusal(.notFound) { () throws(DocketError) in
      try handler.attachmentContent(item.ref, number: 3, actor: nil)
    }

    let disclosures = try d.journalLog(ref: item.ref, reveals: true, actor: "aud").map {
      JournalEvent(name: $0.event, payload: $0.payload)
    }
    #expect(
      disclosures == [
        .attachmentOpened(attachment: 2, reason: "核实来电", with: nil),
        .attachmentReleased(attachment: 1, reason: "交承办部门核查", with: nil),
      ])
  }

  @Test("a file over the size limit is refused by name, and nothing is registered")
  func sizeLimit() throws {
    try d.setSetting("email_size_limit_mb", "1", actor: "admin")
    var request = Office.call(at: beijing("2021-09-28 09:00"))
    request.attachments = [
      IntakeAttachment(filename: "大文件.tif", bytes: [UInt8](repeating: 0x49, count: 2 << 20))
    ]
    let error = expectRefusal(.invalid) { () throws(DocketError) in try d.intake(request, actor: "reg") }
    #expect(error?.description.contains("大文件.tif") == true)
    #expect(try d.list(LedgerQuery(), actor: "aud").isEmpty)
  }

  @Test("attachments stored in plain bytes before sealing are sealed by db migrate, and still open")
  func sealsOldPlainAttachments() throws {
    let item = try letter()
    // As an older docket left them: plain bytes, not marked sealed.
    try d.db.query(
      "UPDATE attachments SET content = $1, sealed = false WHERE size = $2", [Self.scan, Self.scan.count])
    #expect(try d.sealPlainAttachments() == 1)
    #expect(try d.sealPlainAttachments() == 0)
    let stored: [UInt8] = try #require(
      try d.db.first("SELECT content FROM attachments WHERE size = $1", [Self.scan.count])
    ).decode("content")
    #expect(Data(stored).range(of: Data("TOKEN-attach".utf8)) == nil)
    let boss = try scene.test.person("boss")
    let opened = try boss.attachmentContent(
      item.ref, number: 1, reason: "核实", custodians: try boss.testCustodians(nil), actor: nil)
    #expect(opened.bytes == Self.scan)
  }

  @Test("the type comes from the bytes, not the name")
  func sniffing() {
    #expect(FileType.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0]) == "image/jpeg")
    #expect(FileType.sniff(Array("%PDF-1.7".utf8)) == "application/pdf")
    #expect(FileType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == "image/png")
    #expect(FileType.sniff(Array("RIFF\0\0\0\0WAVEfmt ".utf8)) == "audio/wav")
    #expect(FileType.sniff(Array("群众来信的文字".utf8)) == "text/plain; charset=utf-8")
    #expect(FileType.sniff([0x00, 0x01, 0xFE]) == "application/octet-stream")
  }
}

/// `docket redact`: a value found later, hidden in every text that shows it (issue 16, item 4).
@Suite("Redacting a value after registration")
struct RedactTests {
  @Test(
    "a witness's name and phone are hidden in the subject, summary and email text; the journal names the fields only"
  )
  func redact() throws {
    let scene = try Scene.make("redact", now: beijing("2021-10-08 12:00"))
    let d = scene.d
    var request = Office.call(subject: "反映王某某收受红包，证人李四知情", at: beijing("2021-09-28 09:00"))
    request.summary = "证人李四（电话139 1234 5678）可以作证。"
    let item = try d.intake(request, actor: "reg")
    let phone = try d.redact(item.ref, value: "13912345678", reason: "证人电话", actor: "reg")
    #expect(phone.fields == ["summary"])
    let name = try d.redact(item.ref, value: "李四", reason: "证人姓名", actor: "reg")
    #expect(name.fields == ["subject", "summary"])
    let after = try scene.reload(item.ref).item
    #expect(after.subject == "反映王某某收受红包，证人〔举报人信息已隐去〕知情")
    #expect(after.summary == "证人〔举报人信息已隐去〕（电话〔举报人信息已隐去〕）可以作证。")
    let events = try scene.reload(item.ref).events.filter { $0.event == "redacted" }
    #expect(
      events.map { JournalEvent(name: $0.event, payload: $0.payload) } == [
        .redacted(fields: "summary", reason: "证人电话"), .redacted(fields: "subject,summary", reason: "证人姓名"),
      ])
    #expect(events.allSatisfy { !$0.payload.contains("李四") && !$0.payload.contains("1234") })
    // The wording before is sealed, not plain.
    for row in try d.db.query("SELECT sealed FROM redactions") {
      let sealed: [UInt8] = try row.decode("sealed")
      #expect(Data(sealed).range(of: Data("李四".utf8)) == nil)
    }
    expectRefusal(.refused) { () throws(DocketError) in
      try d.redact(item.ref, value: "赵六", reason: "不在文中", actor: "reg")
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.redact(item.ref, value: "王某某", reason: "承办人", actor: "aud")
    }
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }
}
