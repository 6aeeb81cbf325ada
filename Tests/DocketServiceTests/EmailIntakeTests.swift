import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// A message as a mail client writes it: UTF-8 text, base64 encoded-word subject, CRLF.
func mail(
  from: String? = "=?UTF-8?B?5byg5p+Q5p+Q?= <zhang.moumou@example.com>", to: String = "xfjb@example.gov.cn",
  subject: String = "反映某局长收受红包", messageID: String? = "<m1@example.com>", inReplyTo: String? = nil,
  body: String = "某局长在2021年春节期间收受红包。", attachment: (name: String, bytes: [UInt8])? = nil,
  extraHeaders: [String] = []
) -> [UInt8] {
  var lines: [String] = []
  if let from { lines.append("From: \(from)") }
  lines.append("To: \(to)")
  lines.append("Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=")
  lines.append("Date: Mon, 29 Nov 2021 09:30:00 +0800")
  if let messageID { lines.append("Message-ID: \(messageID)") }
  if let inReplyTo { lines.append("In-Reply-To: \(inReplyTo)") }
  lines += extraHeaders
  lines.append("MIME-Version: 1.0")
  let text = Data(body.utf8).base64EncodedString(options: .lineLength76Characters)
  if let attachment {
    lines += [
      "Content-Type: multipart/mixed; boundary=\"b1\"", "", "--b1", "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64", "", text, "--b1", "Content-Type: application/pdf",
      "Content-Disposition: attachment; filename*=utf-8''"
        + attachment.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
      "Content-Transfer-Encoding: base64", "", Data(attachment.bytes).base64EncodedString(), "--b1--",
    ]
  } else {
    lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", text]
  }
  return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
}

@Suite("Email intake: items, dedupe, threading and quarantine")
struct EmailIntakeTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("email", now: beijing("2021-11-29 12:00"))
  }

  func take(_ raw: [UInt8], at: String = "2021-11-29 10:00") throws(DocketError) -> EmailOutcome {
    try d.intakeEmail(raw, origin: "test", arrivedAt: beijing(at), actor: "reg").outcome
  }

  func ref(_ outcome: EmailOutcome) -> String? {
    switch outcome {
    case .registered(let ref), .reply(let ref), .known(let ref): ref
    case .quarantined: nil
    }
  }

  @Test("a message becomes an email item with its text; the sender is sealed and shown as 实名 only")
  func registers() throws {
    let outcome = try take(mail(attachment: ("举报材料.pdf", Array("%PDF-1.4 demo".utf8))))
    #expect(outcome == .registered(ref: "2021-XF-00001"))
    let item = try scene.reload("2021-XF-00001").item
    #expect(item.channel == .email)
    #expect(item.kind == .petition)
    #expect(item.channelDetails["kind_to_screen"] == "true")
    #expect(item.channelDetails["attachments"] == "1")
    #expect(item.subject == "反映某局长收受红包")
    #expect(item.summary == "某局长在2021年春节期间收受红包。")
    #expect(item.receivedAt == beijing("2021-11-29 10:00"))
    #expect(item.reporterKind == .realName)
    let identity = try scene.test.person("boss").reveal("2021-XF-00001", reason: "核实举报人身份", actor: nil)
    #expect(identity.name == "张某某")
    #expect(identity.email == "zhang.moumou@example.com")
    // Neither the ledger nor the journal carries the sender.
    for event in try scene.reload("2021-XF-00001").events {
      #expect(!event.payload.contains("zhang.moumou"))
      #expect(!event.payload.contains("张某某"))
    }
  }

  @Test(
    "the sender's signature block and name are out of the text handlers read; someone else's number is flagged"
  )
  func signatureAndRedaction() throws {
    let body = "张某某反映：某局长在2021年春节期间收受红包。\n\n此致\n敬礼\n举报人：张某某\n电话：138 0013 8000"
    #expect(try take(mail(body: body)) == .registered(ref: "2021-XF-00001"))
    let item = try scene.reload("2021-XF-00001").item
    #expect(item.summary == "\(Redactor.marker)反映：某局长在2021年春节期间收受红包。")
    #expect(item.channelDetails["may_identify"] == nil)
    let stored = try d.db.query("SELECT text FROM mail_messages WHERE item_id = $1", [item.id])
    #expect(try stored.map { try $0.decode("text", as: String.self) } == [item.summary])

    let witness = "某局长收受红包，知情人李四，电话139 0000 1111。"
    #expect(try take(mail(messageID: "<m2@example.com>", body: witness)) == .registered(ref: "2021-XF-00002"))
    #expect(try scene.reload("2021-XF-00002").item.channelDetails["may_identify"] == "phone")
    var screening = LedgerQuery()
    screening.mayIdentify = true
    #expect(try d.list(screening, actor: "reg").map(\.ref) == ["2021-XF-00002"])
  }

  @Test("the office's rules make a suggestion: the subject's words, or the rectification mailbox")
  func kinds() throws {
    #expect(
      try take(mail(subject: "对巡视整改情况的意见建议", messageID: "<s1@example.com>"))
        == .registered(ref: "2021-JY-00001"))
    try d.setSetting("email_suggestion_addresses", "xszg@example.gov.cn", actor: "admin")
    #expect(
      try take(mail(to: "巡视整改 <XSZG@example.gov.cn>", subject: "几点想法", messageID: "<s2@example.com>"))
        == .registered(ref: "2021-JY-00002"))
    try d.setSetting("email_default_kind", "accusation", actor: "admin")
    #expect(try take(mail(messageID: "<s3@example.com>")) == .registered(ref: "2021-JB-00001"))
  }

  @Test("the same message twice creates nothing the second time, with or without a Message-ID")
  func dedupe() throws {
    let first = mail()
    #expect(try take(first) == .registered(ref: "2021-XF-00001"))
    #expect(try take(first) == .known(ref: "2021-XF-00001"))
    // Delivered again by another route: other bytes, the same Message-ID.
    let resent = Array("Received: from relay2.example.net\r\n".utf8) + first
    #expect(try take(resent) == .known(ref: "2021-XF-00001"))
    let bare = mail(messageID: nil, body: "没有Message-ID的来信。")
    #expect(try take(bare) == .registered(ref: "2021-XF-00002"))
    #expect(try take(bare) == .known(ref: "2021-XF-00002"))
    #expect(try d.list(LedgerQuery(), actor: "aud").count == 2)
  }

  @Test("a reply from the same sender joins its item; from anyone else it is a new item")
  func threading() throws {
    #expect(try take(mail()) == .registered(ref: "2021-XF-00001"))
    let reply = mail(subject: "Re: 反映某局长收受红包", messageID: "<m2@example.com>", inReplyTo: "<m1@example.com>")
    #expect(try take(reply, at: "2021-11-29 11:00") == .reply(ref: "2021-XF-00001"))
    let events = try scene.reload("2021-XF-00001").events.map(\.event)
    #expect(events.contains("email_reply"))
    // The sender's address in another case and with another display name is the same person.
    let bySubject = mail(
      from: "Zhang <Zhang.Moumou@Example.com>", subject: "关于2021-XF-00001的补充材料", messageID: "<m3@example.com>"
    )
    #expect(try take(bySubject, at: "2021-11-29 11:10") == .reply(ref: "2021-XF-00001"))
    // Someone else quoting the thread or the number is not the reporter.
    let stranger = mail(
      from: "li@example.com", subject: "Re: 2021-XF-00001", messageID: "<m4@example.com>",
      inReplyTo: "<m1@example.com>")
    #expect(try take(stranger, at: "2021-11-29 11:20") == .registered(ref: "2021-XF-00002"))
    let anonymous = mail(from: nil, subject: "Re: 2021-XF-00001", messageID: "<m5@example.com>")
    #expect(try take(anonymous, at: "2021-11-29 11:30") == .registered(ref: "2021-XF-00003"))
    #expect(try scene.reload("2021-XF-00003").item.reporterKind == .anonymous)
  }

  @Test("attachments are stored once by SHA-256, however many messages carry them")
  func attachmentsOnce() throws {
    let pdf = Array("%PDF-1.4 同一份材料".utf8)
    _ = try take(mail(messageID: "<a1@example.com>", attachment: ("材料.pdf", pdf)))
    _ = try take(mail(from: "li@example.com", messageID: "<a2@example.com>", attachment: ("copy.pdf", pdf)))
    let first = try d.attachments("2021-XF-00001", actor: "aud")
    let second = try d.attachments("2021-XF-00002", actor: "aud")
    #expect(first.map(\.filename) == ["材料.pdf"])
    #expect(second.map(\.filename) == ["copy.pdf"])
    #expect(first[0].sha256 == second[0].sha256)
    #expect(first[0].size == Int64(pdf.count))
    #expect(first[0].contentType == "application/pdf")
    #expect(try d.db.first("SELECT count(*) AS n FROM attachments")?.decode("n") == 1 as Int64)
    // Stored sealed: not the bytes that came.
    let stored: [UInt8] = try #require(try d.db.first("SELECT content FROM attachments")).decode("content")
    #expect(Data(stored).range(of: Data(pdf)) == nil)
  }

  @Test("what cannot be read goes to quarantine with the reason, and can be retried or dropped")
  func quarantine() throws {
    let notMail = Array("这不是一封邮件，只是一段文字。\n".utf8)
    guard case .quarantined(let id, let reason, true, false) = try take(notMail) else {
      Issue.record("not quarantined")
      return
    }
    #expect(reason.contains("not an email message"))
    // The same bytes again are the same entry.
    #expect(try take(notMail) == .quarantined(id: id, reason: reason, notMail: true, again: true))

    try d.setSetting("email_size_limit_mb", "1", actor: "admin")
    let big = mail(
      messageID: "<big@example.com>", attachment: ("扫描件.pdf", [UInt8](repeating: 0x25, count: 1_100_000)))
    guard case .quarantined(let bigID, let bigReason, false, false) = try take(big) else {
      Issue.record("a message over the limit was not quarantined")
      return
    }
    #expect(bigReason.contains("more than the limit"))
    let held = try d.quarantined(actor: "reg")
    #expect(held.map(\.id) == [id, bigID])
    #expect(held.allSatisfy { !$0.reason.contains("zhang") && !$0.origin.contains("zhang") })

    // Still too large: it stays, with the reason.
    #expect(
      try d.retryQuarantined(bigID, actor: "reg").outcome
        == .quarantined(id: bigID, reason: bigReason, notMail: false))
    try d.setSetting("email_size_limit_mb", "25", actor: "admin")
    #expect(try d.retryQuarantined(bigID, actor: "reg").outcome == .registered(ref: "2021-XF-00001"))
    #expect(try d.list(LedgerQuery(), actor: "aud").count == 1)

    expectRefusal(.invalid) { () throws(DocketError) in try d.dropQuarantined(id, reason: " ", actor: "reg") }
    expectRefusal(.forbidden) { () throws(DocketError) in try d.dropQuarantined(id, reason: "垃圾", actor: "h1")
    }
    try d.dropQuarantined(id, reason: "不是邮件", actor: "reg")
    #expect(try d.quarantined(actor: "reg").isEmpty)
    let all = try d.quarantined(all: true, actor: "reg")
    #expect(all.map(\.state) == ["dropped", "retried"])
    #expect(all[1].itemRef == "2021-XF-00001")
    expectRefusal(.refused) { () throws(DocketError) in try d.retryQuarantined(id, actor: "reg") }
    let log = try d.journalLog(ref: nil, actor: "aud").map(\.event)
    #expect(log.contains("email_quarantined"))
    #expect(log.contains("email_quarantine_dropped"))
    #expect(log.contains("email_quarantine_retried"))
  }

  @Test("a subject that names the sender does not carry the name into the ledger")
  func subjectRedacted() throws {
    _ = try take(mail(subject: "张某某实名举报某局长"))
    #expect(try scene.reload("2021-XF-00001").item.subject == "某实名举报某局长")
  }
}
