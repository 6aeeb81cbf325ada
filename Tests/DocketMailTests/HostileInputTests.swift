import Foundation
import Testing

@testable import DocketCharsets
@testable import DocketMail

/// Mail written to hurt: nesting, sizes and bytes no sender should send. Each is read or refused
/// with a sentence; none may crash the parser or keep it busy for longer than its size warrants.
/// The inputs that fuzz/run.sh found are here as regression tests, with what they broke.
@Suite("Hostile mail")
struct HostileMailTests {
  /// No size limit: the parser itself is under test, not the limit in front of it.
  let parser = MailParser(sizeLimit: .max)

  func raw(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test("MIME nested 10,000 deep is read 64 levels down; the rest is kept whole as one attachment")
  func deepNesting() throws {
    var text = "From: a@example.com\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for level in 0..<10_000 {
      text += "--b\(level)\r\nContent-Type: multipart/mixed; boundary=b\(level + 1)\r\n\r\n"
    }
    text += "--b10000\r\nContent-Type: text/plain\r\n\r\ninnermost text\r\n"
    let message = try parser.parse(raw(text))
    #expect(message.warnings.map(\.code).contains(.tooDeep))
    #expect(message.attachments.count == 1)
    #expect(message.attachments.first?.contentType == "multipart/mixed")
    // Nothing is lost: the unread levels are in the attachment, byte for byte.
    let kept = String(decoding: message.attachments.first?.data ?? [], as: UTF8.self)
    #expect(kept.hasSuffix("innermost text\r\n"))
    #expect(!message.text.contains("innermost text"))
  }

  @Test("comments and quotes nested 100,000 deep in addresses, dates and content types")
  func deepComments() throws {
    let deep = String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000)
    let message = try parser.parse(
      raw(
        "From: \(deep) a@example.com \(deep)\r\nTo: \(String(repeating: "\"", count: 100_001))\r\n"
          + "Date: \(deep) Mon, 29 Nov 2021 09:30:15 +0800\r\nContent-Type: text/plain \(deep); charset=utf-8\r\n\r\nbody\r\n"
      ))
    #expect(message.from?.address == "a@example.com")
    #expect(message.text == "body")
  }

  @Test("a 100 MB header line is read whole when no limit stops it, and refused by the default limit")
  func hugeHeaderLine() throws {
    var bytes = raw("From: a@example.com\r\nSubject: ")
    bytes += repeatElement(UInt8(ascii: "a"), count: 100 << 20)
    bytes += raw("\r\n\r\nbody\r\n")
    let message = try parser.parse(bytes)
    #expect(message.subject?.utf8.count == 100 << 20)
    #expect(message.text == "body")
    #expect(throws: MailError.tooLarge(size: bytes.count, limit: MailParser.defaultSizeLimit)) {
      try MailParser().parse(bytes)
    }
  }

  /// Found by review and confirmed with `intake email --dry-run`: each of these was quadratic in
  /// the length of one header, and a 25 MB message of them (within the size limit) would have held
  /// intake for hours or days. At 4 MB each they now take moments; before, a 280 KB subject of
  /// `=?a?q?x` took three minutes and 70 KB of `<` in a Message-ID over one.
  @Test(
    "headers built to be quadratic are read in one pass",
    arguments: [
      ("Subject", "", "=?a?q?x", ""), ("Subject", "", "=?utf-8?b?QUFB", ""), ("Message-ID", "", "<", ""),
      ("References", "", "<", ""), ("In-Reply-To", "", "<(", ""),
      ("Cc", "\"", "=?gbk?q?=41", "\" <b@example.com>"),
    ])
  func quadraticHeaders(field: String, prefix: String, unit: String, suffix: String) throws {
    let value = prefix + String(repeating: unit, count: (4 << 20) / unit.utf8.count) + suffix
    let message = try parser.parse(raw("From: a@example.com\r\n\(field): \(value)\r\n\r\nbody\r\n"))
    #expect(message.text == "body")
  }

  /// Found by review: each new warning was compared with every earlier one, so a message of tens
  /// of thousands of parts, each with a charset of its own, took quadratic time to say so.
  @Test("20,000 parts each with an unknown charset of its own: each warning said once, in one pass")
  func manyWarnings() throws {
    var text = "From: a@example.com\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    for index in 0..<20_000 {
      text += "--b\r\nContent-Type: text/plain; charset=x-unknown-\(index)\r\n\r\npart \(index)\r\n"
    }
    text += "--b--\r\n"
    let message = try parser.parse(raw(text))
    let unknown = message.warnings.filter { $0.code == .unknownCharset }
    #expect(unknown.count == 20_000)
    #expect(Set(message.warnings.map(\.description)).count == message.warnings.count)
    #expect(message.text.hasSuffix("part 19999"))
  }

  /// Found by review: glibc opens a converter for any suffix after a known charset name, and the
  /// parser a batch intake reuses kept every one it had opened, one per label, without end.
  @Test("20,000 charset labels that glibc opens (utf-8//1, utf-8//2 …) keep a bounded cache")
  func converterCache() throws {
    var text = "From: a@example.com\r\nSubject: labels\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    for index in 0..<20_000 {
      text += "--b\r\nContent-Type: text/plain; charset=\"utf-8//\(index)\"\r\n\r\n\u{4E2D}\(index)\r\n"
    }
    text += "--b--\r\n"
    let decoder = CharsetDecoder()
    let parser = MailParser(sizeLimit: .max, decoder: decoder)
    let message = try parser.parse(raw(text))
    #expect(message.text.hasSuffix("\u{4E2D}19999"))
    #expect(decoder.openConverters <= CharsetDecoder.cacheLimit)
  }

  /// PostgreSQL text cannot hold U+0000: a message with a stray NUL went to quarantine with a
  /// database error as its reason instead of being registered.
  @Test("NUL bytes in headers and body become U+FFFD, with a warning; attachments keep their bytes")
  func nulBytes() throws {
    let message = try parser.parse(
      raw(
        "From: \"a\u{0}b\" <a@example.com>\r\nSubject: nul\u{0}here\r\nMessage-ID: <x\u{0}y@example.com>\r\n"
          + "Date: Mon\u{0}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
          + "--b\r\nContent-Type: text/plain; charset=\"utf-8\u{0}\"\r\n\r\nbody\u{0}text\r\n"
          + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"a\u{0}.bin\"\r\n\r\n\u{0}\u{1}\r\n"
          + "--b--\r\n"))
    #expect(message.subject == "nul\u{FFFD}here")
    #expect(message.from?.name == "a\u{FFFD}b")
    #expect(message.messageID == "x\u{FFFD}y@example.com")
    #expect(message.text == "body\u{FFFD}text")
    #expect(message.attachments.first?.filename == "a\u{FFFD}.bin")
    #expect(message.attachments.first?.data == [0, 1])
    #expect(message.warnings.map(\.code).contains(.undecodableBytes))
    #expect(!message.warnings.contains { $0.detail.utf8.contains(0) })
  }

  @Test("bytes that are neither UTF-8 nor GB18030 in subject, sender, encoded words and body are U+FFFD")
  func invalidUTF8() throws {
    let message = try parser.parse(
      raw("From: ") + [0xFF, 0xFE] + raw(" <a@example.com>\r\nSubject: ab") + [0xFF]
        + raw("cd =?utf-8?B?/w==?=\r\n")
        + raw("Content-Type: text/plain; charset=utf-8\r\n\r\nbody ") + [0xFF, 0xC0, 0xED, 0xA0, 0x80]
        + raw(" end\r\n"))
    #expect(message.from?.address == "a@example.com")
    #expect(message.from?.name?.contains("\u{FFFD}") == true)
    #expect(message.subject?.hasPrefix("ab\u{FFFD}cd") == true)
    #expect(message.subject?.hasSuffix("\u{FFFD}") == true)
    #expect(message.text.hasPrefix("body \u{FFFD}"))
    #expect(message.text.hasSuffix(" end"))
    #expect(message.warnings.map(\.code).contains(.undecodableBytes))
  }

  /// Found by fuzz/run.sh (fuzz/corpus/mime/html_entities.eml): `&#13;` put a carriage return into
  /// the text, whose lines end in LF everywhere else.
  @Test("HTML character references to whitespace are whitespace; &#0; is U+FFFD")
  func htmlEntityWhitespace() throws {
    let message = try parser.parse(
      raw(
        "From: a@example.com\r\nSubject: h\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
          + "<p>a&#13;b&#x0D;&#10;c&#0;d<pre>x&#13;&#10;y&#9;z</pre>"))
    #expect(!message.text.contains("\r"))
    #expect(message.text.contains("a b c\u{FFFD}d"))
    #expect(message.text.contains("x\ny\tz"))
  }
}
