import DocketCharsets
import Foundation

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text.
enum EncodedWords {
  /// Decodes every encoded word in `text`. Whitespace between two encoded words is dropped, and
  /// adjacent words in one charset are decoded together, so a character whose bytes a sender split
  /// between two words comes out whole.
  static func decode(_ text: String, _ decoder: CharsetDecoder, replaced: inout Bool) -> String {
    guard text.utf8.contains(UInt8(ascii: "?")) else { return text }
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var pending: (charset: String, bytes: [UInt8])?
    var literalStart = 0
    var i = 0

    func flush() {
      guard let word = pending else { return }
      let result = decoder.decode(word.bytes[...], label: word.charset)
      if result.replaced || result.unknownLabel { replaced = true }
      out.append(contentsOf: result.text.utf8)
      pending = nil
    }

    while i + 1 < bytes.count {
      guard bytes[i] == UInt8(ascii: "="), bytes[i + 1] == UInt8(ascii: "?"), let word = word(bytes, at: i)
      else {
        i += 1
        continue
      }
      let literal = bytes[literalStart..<i]
      if pending == nil || !literal.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
        flush()
        out.append(contentsOf: literal)
      }
      if let current = pending, current.charset == word.charset {
        pending!.bytes.append(contentsOf: word.bytes)
      } else {
        flush()
        pending = (word.charset, word.bytes)
      }
      i = word.end
      literalStart = i
    }
    flush()
    out.append(contentsOf: bytes[literalStart...])
    return String(decoding: out, as: UTF8.self)
  }

  /// The encoded word starting at `start`: its charset (language suffix dropped), decoded bytes
  /// and the index after it; nil when the bytes there are not one.
  private static func word(_ bytes: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
    var i = start + 2
    let charsetStart = i
    while i < bytes.count, bytes[i] != UInt8(ascii: "?") {
      if bytes[i] <= 0x20 || bytes[i] >= 0x7F { return nil }
      i += 1
    }
    guard i + 2 < bytes.count, i > charsetStart, bytes[i + 2] == UInt8(ascii: "?") else { return nil }
    var charset = String(decoding: bytes[charsetStart..<i], as: UTF8.self)
    if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
    let encoding = bytes[i + 1] | 0x20
    guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
    let textStart = i + 3
    var j = textStart
    while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "?") && bytes[j + 1] == UInt8(ascii: "=")) {
      // An encoded word never spans a line, and Q text has no spaces; stop at one so a lone `=?`
      // in ordinary text is left alone.
      if bytes[j] == 0x0A || (encoding == UInt8(ascii: "b") && bytes[j] == 0x20) { return nil }
      j += 1
    }
    guard j + 1 < bytes.count else { return nil }
    let encoded = bytes[textStart..<j]
    let decoded =
      encoding == UInt8(ascii: "b")
      ? TransferEncoding.base64(encoded).bytes : TransferEncoding.quotedPrintable(encoded, header: true)
    return (charset, decoded, j + 2)
  }
}

/// Message identifiers (`<id@host>`) as they appear in Message-ID, In-Reply-To and References.
enum MessageIDs {
  /// Every identifier in `value`, without angle brackets. A value without brackets (some senders
  /// write one bare) counts as one identifier when it has no spaces.
  static func parse(_ value: [UInt8]) -> [String] {
    var ids: [String] = []
    var i = 0
    while i < value.count {
      if value[i] == UInt8(ascii: "<"), let close = value[(i + 1)...].firstIndex(of: UInt8(ascii: ">")) {
        let id = value[(i + 1)..<close].filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
        if !id.isEmpty { ids.append(String(decoding: id, as: UTF8.self)) }
        i = close + 1
      } else if value[i] == UInt8(ascii: "(") {
        // A comment, e.g. `(added by postmaster)`.
        var depth = 0
        while i < value.count {
          if value[i] == UInt8(ascii: "(") { depth += 1 }
          if value[i] == UInt8(ascii: ")") { depth -= 1 }
          i += 1
          if depth == 0 { break }
        }
      } else {
        i += 1
      }
    }
    if ids.isEmpty {
      let bare = String(decoding: value, as: UTF8.self).trimmed
      if !bare.isEmpty, !bare.contains(" ") { ids.append(bare) }
    }
    return ids
  }
}
