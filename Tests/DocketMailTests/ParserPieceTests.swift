import Foundation
import Testing

@testable import DocketMail

@Suite("Parser pieces the corpus does not reach")
struct ParserPieceTests {
  @Test("HTML: comments, nested tags, pre, cells and unknown entities")
  func html() {
    let text = HTMLText.text(
      """
      <html><head><title>邮件</title><style>p{color:red}</style></head><body>
      <!-- 注释 <p>不显示</p> --><div>第一段<b>加粗</b>&nbsp;文字</div>
      <table><tr><td>姓名</td><td>某某</td></tr></table><pre>  保留
        缩进</pre>a &unknown; b &#x4E2D;&#25991; 5 &lt; 6 <br/>末行</body></html>
      """)
    #expect(!text.contains("邮件"))
    #expect(!text.contains("不显示"))
    #expect(!text.contains("color"))
    #expect(text.contains("第一段加粗 文字"))
    #expect(text.contains("姓名\t某某"))
    #expect(text.contains("  保留\n  缩进"))
    #expect(text.contains("a &unknown; b 中文 5 < 6"))
    #expect(text.hasSuffix("\n末行"))
  }

  @Test("base64: skips what is not base64, keeps a short last group, and says so")
  func base64() {
    let clean = TransferEncoding.base64(Array("5Lit\r\n5paH".utf8)[...])
    #expect(String(decoding: clean.bytes, as: UTF8.self) == "中文")
    #expect(!clean.broken)
    let broken = TransferEncoding.base64(Array("5L*it5p".utf8)[...])
    // `5p` is two characters: one byte.
    #expect(broken.bytes == [0xE4, 0xB8, 0xAD, 0xE6])
    #expect(broken.broken)
  }

  @Test("quoted-printable: soft breaks, escapes and a lone = kept")
  func quotedPrintable() {
    let decoded = TransferEncoding.quotedPrintable(Array("caf=C3=A9 =\r\nsoft a=b =ZZ".utf8)[...])
    #expect(String(decoding: decoded, as: UTF8.self) == "café soft a=b =ZZ")
  }

  @Test("dates in the forms mail still carries")
  func dates() {
    func parse(_ text: String) -> String? {
      MailDate.parse(Array(text.utf8)).map {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: $0)
      }
    }
    #expect(parse("Mon, 29 Nov 2021 09:30:15 +0800") == "2021-11-29T01:30:15Z")
    #expect(parse("29 Nov 2021 09:30 -0000") == "2021-11-29T09:30:00Z")
    #expect(parse("Mon Nov 29 09:30:00 2021") == "2021-11-29T09:30:00Z")
    #expect(parse("2021-11-29 09:30:00 +0800") == "2021-11-29T01:30:00Z")
    #expect(parse("Tue, 1 Mar 1994 23:59:59 (comment) PST") == "1994-03-02T07:59:59Z")
    #expect(parse("Sat, 29 Feb 2020 12:00:00 Z") == "2020-02-29T12:00:00Z")
    #expect(parse("yesterday") == nil)
    #expect(parse("32 Nov 2021 09:00 +0800") == nil)
  }

  @Test("mbox: From_ lines split messages and >From quoting is undone")
  func mbox() {
    let box =
      "From a@example.com Mon Nov 29 09:30:00 2021\nSubject: one\n\n>From here on\n>>From quoted\n\nFrom b@example.com Mon Nov 29 09:31:00 2021\nSubject: two\n\nbody\n"
    let messages = Mbox.messages(in: Array(box.utf8)).map { String(decoding: $0, as: UTF8.self) }
    #expect(messages.count == 2)
    #expect(messages[0] == "Subject: one\n\nFrom here on\n>From quoted\n")
    #expect(messages[1] == "Subject: two\n\nbody\n")
  }

  @Test("no prefix of any corpus message crashes the parser or loses the failure")
  func truncations() throws {
    let parser = MailParser()
    for corpus in CorpusCase.all {
      for cut in stride(from: 0, through: corpus.raw.count, by: max(1, corpus.raw.count / 97)) {
        do {
          let message = try parser.parse(Array(corpus.raw[..<cut]))
          #expect(message.text.utf8.count <= cut * 4 + 16)
        } catch {
          #expect(
            error == .notMail("the input is empty") || String(describing: error).contains("not an email"))
        }
      }
    }
  }

  @Test("a message over the size limit is refused whole, never cut")
  func sizeLimit() {
    let raw = Array("Subject: x\r\n\r\n".utf8) + [UInt8](repeating: 0x41, count: 2000)
    #expect(throws: MailError.tooLarge(size: raw.count, limit: 1000)) {
      try MailParser(sizeLimit: 1000).parse(raw)
    }
  }

  @Test("a Maildir message moves from new/ to cur/ with the Seen flag")
  func maildir() throws {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("md-\(UUID().uuidString)")
    for sub in ["new", "cur", "tmp"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try Data("Subject: x\n\nbody\n".utf8).write(to: root.appendingPathComponent("new/1.M1P1.host"))
    let box = try Maildir(root.path)
    let waiting = try box.waiting()
    #expect(waiting.map(\.name) == ["1.M1P1.host"])
    try box.markHandled(waiting[0])
    #expect(try box.waiting().isEmpty)
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("cur/1.M1P1.host:2,S").path))
    #expect(throws: MailboxError.self) { try Maildir(root.appendingPathComponent("new").path) }
  }
}
