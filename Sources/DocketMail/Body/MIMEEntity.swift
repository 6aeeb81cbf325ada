import DocketCharsets
import Foundation

/// What a MIME entity contributes: readable text segments in order, and attachments.
struct Content {
  var segments: [String] = []
  var attachments: [MailAttachment] = []
  /// Whether a segment came from a text/plain part, for choosing among alternatives.
  var hasPlain = false
}

/// The per-message work: decoding helpers and the warnings they raise.
struct ParseState {
  let decoder: CharsetDecoder
  var warnings: [MailWarning] = []
  /// The warnings said so far, as `code: detail`: each is said once, and a message of a hundred
  /// thousand parts, each with a charset of its own, must not compare every new warning with
  /// every earlier one.
  private var said: Set<String> = []

  init(decoder: CharsetDecoder) { self.decoder = decoder }

  mutating func warn(_ code: MailWarning.Code, _ detail: String) {
    let warning = MailWarning(code, detail)
    if said.insert(warning.description).inserted { warnings.append(warning) }
  }

  /// A header value as text: raw 8-bit bytes read as UTF-8 else GB18030, then encoded words.
  mutating func headerText(_ value: [UInt8]) -> String {
    if value.allSatisfy({ $0 < 0x80 }) { return String(decoding: value, as: UTF8.self) }
    let result = decoder.guessed(value[...])
    if result.replaced {
      warn(.undecodableBytes, "a header field has bytes that are neither UTF-8 nor GB18030")
    }
    return result.text
  }

  mutating func unstructured(_ value: [UInt8]) -> String {
    var replaced = false
    let text = EncodedWords.decode(headerText(value), decoder, replaced: &replaced)
    if replaced { warn(.undecodableBytes, "an encoded word in a header could not be fully decoded") }
    return text.trimmed
  }

  mutating func addresses(_ value: [UInt8]) -> [MailAddress] {
    var replaced = false
    let list = AddressList.parse(headerText(value), decoder, replaced: &replaced)
    if replaced { warn(.undecodableBytes, "a display name could not be fully decoded") }
    return list
  }

  mutating func contentField(_ value: [UInt8]?) -> ContentField? {
    guard let value else { return nil }
    var replaced = false
    let field = ContentField.parse(headerText(value), decoder, replaced: &replaced)
    if replaced { warn(.undecodableBytes, "a part's file name could not be fully decoded") }
    return field
  }

  /// Reads one entity (the message itself or a part) into `content`.
  mutating func entity(
    _ headers: HeaderSection, _ body: ArraySlice<UInt8>, depth: Int, into content: inout Content
  ) {
    var type = contentField(headers.first("content-type")) ?? ContentField(value: "text/plain")
    if !type.value.contains("/") { type.value = "text/plain" }
    let disposition = contentField(headers.first("content-disposition"))
    if type.value.hasPrefix("multipart/") {
      guard depth < MailParser.maximumDepth else {
        warn(
          .tooDeep, "parts nested more than \(MailParser.maximumDepth) deep are kept unread as one attachment"
        )
        content.attachments.append(MailAttachment(filename: nil, contentType: type.value, data: Array(body)))
        return
      }
      if multipart(type, body, depth: depth, into: &content) { return }
      // No usable boundary: the body is read as plain text, so that nothing the sender wrote is lost.
      type = ContentField(value: "text/plain", parameters: ["charset": type.parameters["charset"] ?? ""])
    }
    let encoding = headers.first("content-transfer-encoding").map {
      String(decoding: $0, as: UTF8.self).trimmed.lowercased()
    }
    let data: [UInt8]
    switch encoding {
    case "base64":
      let (bytes, broken) = TransferEncoding.base64(body)
      if broken {
        warn(
          .brokenBase64,
          "a base64 part has characters outside base64 or is cut short; the bytes that decoded are kept")
      }
      data = bytes
    case "quoted-printable": data = TransferEncoding.quotedPrintable(body)
    default: data = Array(body)
    }
    let filename = (disposition?.parameters["filename"] ?? type.parameters["name"]).map(\.trimmed).flatMap {
      $0.isEmpty ? nil : $0
    }
    let isText = type.value == "text/plain" || type.value == "text/html"
    if !isText || disposition?.value == "attachment" || filename != nil {
      content.attachments.append(MailAttachment(filename: filename, contentType: type.value, data: data))
      return
    }
    let charset = type.parameters["charset"].flatMap { $0.isEmpty ? nil : $0 }
    let decoded = decoder.decode(data[...], label: charset)
    if decoded.unknownLabel {
      warn(
        .unknownCharset, "the charset '\(charset ?? "")' is unknown; the text was read as UTF-8 or GB18030")
    }
    if decoded.replaced {
      warn(.undecodableBytes, "bytes that are not \(charset ?? "UTF-8 or GB18030") were replaced by U+FFFD")
    }
    if type.value == "text/html" {
      content.segments.append(HTMLText.text(decoded.text))
    } else {
      content.segments.append(Self.lines(decoded.text))
      content.hasPlain = true
    }
  }

  /// Splits a multipart body at its boundary and reads each part; false when the boundary is
  /// missing or never occurs.
  private mutating func multipart(
    _ type: ContentField, _ body: ArraySlice<UInt8>, depth: Int, into content: inout Content
  ) -> Bool {
    guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
      warn(.missingBoundary, "a \(type.value) part has no boundary; its body is read as text")
      return false
    }
    let (parts, closed) = Self.split(body, boundary: Array(boundary.utf8))
    guard let parts else {
      warn(.missingBoundary, "the boundary of a \(type.value) part never occurs; its body is read as text")
      return false
    }
    if !closed {
      warn(
        .unterminatedMultipart,
        "a \(type.value) part has no closing boundary; the parts before the end are kept")
    }
    var children: [Content] = []
    for part in parts {
      let headers = HeaderSection.read(part)
      var child = Content()
      entity(headers, part[headers.bodyStart...], depth: depth + 1, into: &child)
      children.append(child)
    }
    if type.value == "multipart/alternative" {
      // One rendering is read: the plain text if there is one, else the first with any text.
      let chosen =
        children.firstIndex(where: \.hasPlain) ?? children.firstIndex(where: { !$0.segments.isEmpty })
      for (index, child) in children.enumerated() {
        if index == chosen {
          content.segments += child.segments
          content.hasPlain = content.hasPlain || child.hasPlain
        }
        content.attachments += child.attachments
      }
    } else {
      for child in children {
        content.segments += child.segments
        content.hasPlain = content.hasPlain || child.hasPlain
        content.attachments += child.attachments
      }
    }
    return true
  }

  /// The parts between delimiter lines `--boundary`, up to `--boundary--`; nil when no delimiter
  /// occurs. `closed` is false when the closing delimiter is missing.
  static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> (
    parts: [ArraySlice<UInt8>]?, closed: Bool
  ) {
    let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
    var parts: [ArraySlice<UInt8>] = []
    var partStart: Int?
    var lineStart = body.startIndex
    let end = body.endIndex
    while lineStart < end {
      let lineEnd = nextLineFeed(body, from: lineStart)
      if lineEnd - lineStart >= delimiter.count, body[lineStart] == 0x2D,
        body[lineStart..<lineStart + delimiter.count].elementsEqual(delimiter)
      {
        var rest = lineStart + delimiter.count
        let closing = rest + 1 < lineEnd && body[rest] == 0x2D && body[rest + 1] == 0x2D
        if closing { rest += 2 }
        if body[rest..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
          if let start = partStart {
            // The line break before a delimiter belongs to the delimiter.
            var partEnd = lineStart
            if partEnd > start, body[partEnd - 1] == 0x0A { partEnd -= 1 }
            if partEnd > start, body[partEnd - 1] == 0x0D { partEnd -= 1 }
            parts.append(body[start..<max(start, partEnd)])
          }
          if closing { return (parts, true) }
          partStart = lineEnd < end ? lineEnd + 1 : end
        }
      }
      lineStart = lineEnd + 1
    }
    guard let start = partStart else { return (nil, false) }
    parts.append(body[start..<end])
    return (parts, false)
  }

  /// The index of the next LF at or after `from`, or the end: memchr, since parts are long.
  static func nextLineFeed(_ bytes: ArraySlice<UInt8>, from: Int) -> Int {
    let offset = from - bytes.startIndex
    let found: Int? = bytes.withUnsafeBufferPointer { buffer -> Int? in
      guard let base = buffer.baseAddress, offset < buffer.count,
        let hit = memchr(base + offset, 0x0A, buffer.count - offset)
      else { return nil }
      return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
    return found.map { bytes.startIndex + $0 } ?? bytes.endIndex
  }

  static func containsCarriageReturn(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return false }
      return memchr(base, 0x0D, buffer.count) != nil
    }
  }

  /// Line ends as LF, no trailing blank lines or spaces at the very end.
  static func lines(_ text: String) -> String {
    let utf8 = text.utf8
    if let first = utf8.first, let last = utf8.last, first != 0x0A,
      last != 0x0A && last != 0x20 && last != 0x09, !Self.containsCarriageReturn(text)
    {
      return text
    }
    var bytes = Array(utf8)
    if bytes.contains(0x0D) {
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var i = 0
      while i < bytes.count {
        if bytes[i] == 0x0D {
          out.append(0x0A)
          if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
        } else {
          out.append(bytes[i])
        }
        i += 1
      }
      bytes = out
    }
    while let last = bytes.last, last == 0x0A || last == 0x20 || last == 0x09 { bytes.removeLast() }
    var start = 0
    while start < bytes.count, bytes[start] == 0x0A { start += 1 }
    return String(decoding: bytes[start...], as: UTF8.self)
  }
}
