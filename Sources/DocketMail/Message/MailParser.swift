import DocketCharsets
import Foundation

/// Reads raw RFC 5322 messages (MIME in full) into ``MailMessage``s.
///
/// Lenient where real mail is broken, and never silent about it: each repair is a
/// ``MailWarning``. A parser keeps its charset converters between messages, so a batch should reuse
/// one; it is not to be shared between threads.
public struct MailParser {
  /// 25 MB, the limit when the office has set none.
  public static let defaultSizeLimit = 25 * 1024 * 1024
  /// Parts nested deeper than this are kept as attachments, unread.
  static let maximumDepth = 64

  public var sizeLimit: Int
  private let decoder: CharsetDecoder

  public init(sizeLimit: Int = MailParser.defaultSizeLimit) {
    self.init(sizeLimit: sizeLimit, decoder: CharsetDecoder())
  }

  /// With a decoder of the caller's, which tests look into.
  init(sizeLimit: Int, decoder: CharsetDecoder) {
    self.sizeLimit = sizeLimit
    self.decoder = decoder
  }

  /// The fields, text and attachments of one message.
  ///
  /// - Throws: ``MailError/tooLarge(size:limit:)`` above the size limit, and
  ///   ``MailError/notMail(_:)`` for input without a header section.
  public func parse(_ raw: [UInt8]) throws(MailError) -> MailMessage {
    guard raw.count <= sizeLimit else { throw .tooLarge(size: raw.count, limit: sizeLimit) }
    guard raw.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) else {
      throw .notMail("the input is empty")
    }
    let headers = HeaderSection.read(raw[...])
    guard !headers.fields.isEmpty else {
      throw .notMail("it does not begin with header fields such as From: and Subject:")
    }
    guard headers.fields.contains(where: { Self.messageFields.contains($0.name) }) else {
      throw .notMail("none of its header fields (From, To, Subject, Date, Message-ID …) is there")
    }
    var state = ParseState(decoder: decoder)
    var message = MailMessage()
    if headers.malformedLine {
      state.warn(
        .malformedHeader, "a line in the header section is not a field; what follows is read as the body")
    }
    message.messageID = headers.first("message-id").flatMap { MessageIDs.parse($0).first }
    if message.messageID == nil { state.warn(.missingMessageID, "the message has no Message-ID") }
    message.from = (headers.first("from") ?? headers.first("sender")).flatMap { state.addresses($0).first }
    message.to = headers.all("to").flatMap { state.addresses($0) }
    message.cc = headers.all("cc").flatMap { state.addresses($0) }
    message.subject = headers.first("subject").map { state.unstructured($0) }
    if let date = headers.first("date") {
      message.date = MailDate.parse(date)
      if message.date == nil {
        state.warn(.badDate, "the Date '\(String(decoding: date, as: UTF8.self).trimmed)' cannot be read")
      }
    } else {
      state.warn(.missingDate, "the message has no Date")
    }
    message.inReplyTo = headers.first("in-reply-to").flatMap { MessageIDs.parse($0).first }
    message.references = headers.all("references").flatMap { MessageIDs.parse($0) }

    var content = Content()
    state.entity(headers, raw[headers.bodyStart...], depth: 0, into: &content)
    message.text = content.segments.filter { !$0.isEmpty }.joined(separator: "\n\n")
    message.attachments = content.attachments
    if Self.replaceNULs(in: &message) {
      state.warn(.undecodableBytes, "NUL characters, which no text can hold, were replaced by U+FFFD")
    }
    message.warnings = state.warnings.map { warning in
      var warning = warning
      _ = Self.replaceNUL(&warning.detail)
      return warning
    }
    return message
  }

  /// Replaces U+0000 in every text of the message by U+FFFD; true when there was one.
  ///
  /// A NUL byte is legal in a raw message and survives decoding, but PostgreSQL text cannot hold
  /// one: a message with a stray NUL in its subject or body (broken mailers write them) went to
  /// quarantine with a database error as the reason, instead of being registered.
  static func replaceNULs(in message: inout MailMessage) -> Bool {
    var found = false
    func clean(_ text: inout String) { if replaceNUL(&text) { found = true } }
    func clean(_ text: inout String?) {
      guard var value = text, replaceNUL(&value) else { return }
      text = value
      found = true
    }
    func clean(_ address: inout MailAddress) {
      clean(&address.name)
      clean(&address.address)
    }
    clean(&message.messageID)
    if var from = message.from {
      clean(&from)
      message.from = from
    }
    for index in message.to.indices { clean(&message.to[index]) }
    for index in message.cc.indices { clean(&message.cc[index]) }
    clean(&message.subject)
    clean(&message.inReplyTo)
    for index in message.references.indices { clean(&message.references[index]) }
    clean(&message.text)
    for index in message.attachments.indices {
      clean(&message.attachments[index].filename)
      clean(&message.attachments[index].contentType)
    }
    return found
  }

  private static func replaceNUL(_ text: inout String) -> Bool {
    guard text.utf8.contains(0) else { return false }
    // In UTF-8 a 0 byte is U+0000 and nothing else.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
      if byte == 0 { bytes += [0xEF, 0xBF, 0xBD] } else { bytes.append(byte) }
    }
    text = String(decoding: bytes, as: UTF8.self)
    return true
  }

  private static let messageFields: Set<String> = [
    "from", "to", "cc", "subject", "date", "message-id", "received", "sender", "return-path", "mime-version",
    "content-type", "in-reply-to", "references", "reply-to", "delivered-to",
  ]
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks. Only ASCII whitespace is
  /// trimmed: it is all that mail syntax puts there, and it is checked byte by byte, which a
  /// parser calling this for every header can afford.
  var trimmed: String {
    let utf8 = self.utf8
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
    guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
    var start = utf8.startIndex
    var end = utf8.endIndex
    while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
    while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
    return String(self[start..<end])
  }
}
