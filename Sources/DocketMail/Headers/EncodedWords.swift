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

    var ends = WordEnds(bytes)
    while i + 1 < bytes.count {
      guard bytes[i] == UInt8(ascii: "="), bytes[i + 1] == UInt8(ascii: "?"),
        let word = word(bytes, at: i, ends: &ends)
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
  private static func word(_ bytes: [UInt8], at start: Int, ends: inout WordEnds) -> (
    charset: String, bytes: [UInt8], end: Int
  )? {
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
    // The word ends at the next `?=`. An encoded word never spans a line, and B text has no
    // spaces; a line break (or a space in B text) before the `?=` means that a lone `=?` in
    // ordinary text is left alone.
    guard let j = ends.close(from: textStart), ends.lineFeed(from: textStart).map({ $0 > j }) ?? true,
      encoding != UInt8(ascii: "b") || ends.space(from: textStart).map({ $0 > j }) ?? true
    else { return nil }
    let encoded = bytes[textStart..<j]
    let decoded =
      encoding == UInt8(ascii: "b")
      ? TransferEncoding.base64(encoded).bytes : TransferEncoding.quotedPrintable(encoded, header: true)
    return (charset, decoded, j + 2)
  }
}

/// Where the next `?=`, line feed and space are, from positions that only move forward.
///
/// Each search goes on from where the last one stopped, so finding the ends of all the words of a
/// header is one pass over it. Searching afresh from every `=?` would be quadratic: a hostile
/// header of `=?a?q?x` repeated, with no `?=` anywhere, was scanned to its end from each of them
/// (280 KB of it took three minutes in a debug build; a 25 MB message, within the size limit,
/// would have held intake for hours).
struct WordEnds {
  private let bytes: [UInt8]
  private var closeAt = Search()
  private var lineFeedAt = Search()
  private var spaceAt = Search()

  /// The first index at or after `from` where a search found its match (nil: none to the end),
  /// and where that search started.
  private struct Search {
    var from = Int.max
    var found: Int?
  }

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The index of the `?` of the next `?=` at or after `from`.
  mutating func close(from start: Int) -> Int? {
    Self.first(&closeAt, from: start, in: bytes) { bytes, j in
      bytes[j] == UInt8(ascii: "?") && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "=")
    }
  }

  mutating func lineFeed(from start: Int) -> Int? {
    Self.first(&lineFeedAt, from: start, in: bytes) { bytes, j in bytes[j] == 0x0A }
  }

  mutating func space(from start: Int) -> Int? {
    Self.first(&spaceAt, from: start, in: bytes) { bytes, j in bytes[j] == 0x20 }
  }

  private static func first(
    _ search: inout Search, from start: Int, in bytes: [UInt8], where matches: ([UInt8], Int) -> Bool
  ) -> Int? {
    // The last search, if it started no later, saw everything up to what it found: that is still
    // the answer unless it lies before `start`, and then the new search starts after it.
    if search.from <= start, search.found.map({ $0 >= start }) ?? true { return search.found }
    var j = start
    while j < bytes.count, !matches(bytes, j) { j += 1 }
    search = Search(from: start, found: j < bytes.count ? j : nil)
    return search.found
  }
}

/// Message identifiers (`<id@host>`) as they appear in Message-ID, In-Reply-To and References.
enum MessageIDs {
  /// Every identifier in `value`, without angle brackets. A value without brackets (some senders
  /// write one bare) counts as one identifier when it has no spaces.
  static func parse(_ value: [UInt8]) -> [String] {
    var ids: [String] = []
    var i = 0
    // Once a `<` has no `>` after it, no later one has: without this, a value of `<<<<…` was
    // searched to its end from every `<`, quadratic in its length (70 KB took over a minute in a
    // debug build).
    var closes = true
    while i < value.count {
      if closes, value[i] == UInt8(ascii: "<") {
        guard let close = value[(i + 1)...].firstIndex(of: UInt8(ascii: ">")) else {
          closes = false
          i += 1
          continue
        }
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
