/// HTML turned into the text a person would read: no tags, no style or script, entities decoded,
/// block ends as line breaks, table cells apart, runs of blank lines collapsed.
enum HTMLText {
  static func text(_ html: String) -> String {
    let b = Array(html.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(b.count / 2)
    var space = false
    var preDepth = 0
    var i = 0

    func emit(_ bytes: some Sequence<UInt8>) {
      if space {
        if let last = out.last, last != 0x0A, last != 0x09 { out.append(0x20) }
        space = false
      }
      out.append(contentsOf: bytes)
    }
    func breakLine(_ count: Int = 1) {
      space = false
      while out.last == 0x20 { out.removeLast() }
      for _ in 0..<count { out.append(0x0A) }
    }

    while i < b.count {
      let byte = b[i]
      if byte == UInt8(ascii: "<") {
        if matches(b, i, "<!--") {
          i = find(b, "-->", from: i + 4).map { $0 + 3 } ?? b.count
          continue
        }
        var j = i + 1
        let closing = j < b.count && b[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < b.count, isNameByte(b[j]) { j += 1 }
        guard j > nameStart || (j < b.count && (b[j] == UInt8(ascii: "!") || b[j] == UInt8(ascii: "?")))
        else {
          // A `<` that starts no tag is text, as browsers show it.
          emit([byte])
          i += 1
          continue
        }
        let name = String(decoding: b[nameStart..<j].map { $0 | 0x20 }, as: UTF8.self)
        i = tagEnd(b, from: j)
        if !closing, ["script", "style", "title", "xml"].contains(name) {
          i = closingTag(b, name, from: i)
          continue
        }
        switch name {
        case "br": breakLine()
        case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol":
          breakLine(2)
        case "div", "tr", "li", "dt", "dd", "hr", "section", "article", "header", "footer", "address",
          "center", "form", "fieldset", "body", "html":
          breakLine()
        case "td", "th":
          if !closing {
            space = false
            if let last = out.last, last != 0x0A { out.append(0x09) }
          }
        case "pre":
          preDepth = max(0, preDepth + (closing ? -1 : 1))
          breakLine()
        default: break
        }
        continue
      }
      if byte == UInt8(ascii: "&"), let (decoded, next) = entity(b, at: i) {
        i = next
        if decoded == [0x20] {
          space = true
          continue
        }
        // `&#13;`, `&#10;` and `&#9;` are the whitespace they stand for, read as if written
        // raw: emitted as they were, `&#13;` put a carriage return into text whose lines end
        // in LF.
        guard decoded == [0x0D] || decoded == [0x0A] || decoded == [0x09] else {
          emit(decoded)
          continue
        }
        if preDepth > 0 {
          if decoded != [0x0D] { out.append(decoded[0]) }
        } else {
          space = true
        }
        continue
      }
      if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
        if preDepth > 0 {
          if byte != 0x0D { out.append(byte) }
        } else {
          space = true
        }
        i += 1
        continue
      }
      emit(CollectionOfOne(byte))
      i += 1
    }
    return tidy(out)
  }

  /// Lines without trailing spaces, at most one blank line in a row, none at either end.
  private static func tidy(_ bytes: [UInt8]) -> String {
    var lines: [ArraySlice<UInt8>] = []
    var blank = true
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      let start = line.startIndex
      var end = line.endIndex
      // Leading spaces are kept: outside <pre> none are written, inside they are the author's.
      while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
      if start == end {
        if !blank { lines.append([]) }
        blank = true
      } else {
        lines.append(line[start..<end])
        blank = false
      }
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return String(decoding: Array(lines.joined(separator: [0x0A])), as: UTF8.self)
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
      || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: ":")
  }

  private static func matches(_ b: [UInt8], _ at: Int, _ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard at + count <= b.count else { return false }
    return literal.withUTF8Buffer { buffer in
      (0..<count).allSatisfy { b[at + $0] | 0x20 == buffer[$0] | 0x20 }
    }
  }

  private static func find(_ b: [UInt8], _ literal: StaticString, from: Int) -> Int? {
    var i = from
    while i < b.count {
      if matches(b, i, literal) { return i }
      i += 1
    }
    return nil
  }

  /// The index after the tag's `>`, skipping quoted attribute values.
  private static func tagEnd(_ b: [UInt8], from: Int) -> Int {
    var i = from
    var quote: UInt8 = 0
    while i < b.count {
      let byte = b[i]
      if quote != 0 {
        if byte == quote { quote = 0 }
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        quote = byte
      } else if byte == UInt8(ascii: ">") {
        return i + 1
      }
      i += 1
    }
    return b.count
  }

  /// The index after `</name …>`, or the end when it never closes.
  private static func closingTag(_ b: [UInt8], _ name: String, from: Int) -> Int {
    let needle = Array(("</" + name).utf8)
    var i = from
    while i + needle.count <= b.count {
      if b[i] == UInt8(ascii: "<"), (0..<needle.count).allSatisfy({ b[i + $0] | 0x20 == needle[$0] | 0x20 }) {
        return tagEnd(b, from: i + needle.count)
      }
      i += 1
    }
    return b.count
  }

  /// The UTF-8 of the entity at `at` and the index after it, or nil when it is not one.
  private static func entity(_ b: [UInt8], at: Int) -> ([UInt8], Int)? {
    var j = at + 1
    while j < b.count, j - at <= 32, b[j] != UInt8(ascii: ";") {
      let c = b[j]
      guard isNameByte(c) || c == UInt8(ascii: "#") else { break }
      j += 1
    }
    let hasSemicolon = j < b.count && b[j] == UInt8(ascii: ";")
    let body = String(decoding: b[(at + 1)..<j], as: UTF8.self)
    let next = hasSemicolon ? j + 1 : j
    if body.hasPrefix("#") {
      let digits = body.dropFirst()
      let value =
        digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
      guard let value else { return nil }
      // As browsers read them: `&#0;`, a surrogate or a number beyond Unicode is U+FFFD.
      let scalar = value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
      return (value == 0xA0 ? [0x20] : Array(String(Character(scalar)).utf8), next)
    }
    guard let decoded = named[body] ?? (hasSemicolon ? nil : named[body.lowercased()]) else { return nil }
    return (Array(decoded.utf8), next)
  }

  private static let named: [String: String] = [
    "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "copy": "©", "reg": "®",
    "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“",
    "rdquo": "”", "middot": "·", "bull": "•", "times": "×", "divide": "÷", "yen": "¥", "deg": "°",
    "plusmn": "±", "sect": "§", "para": "¶", "laquo": "«", "raquo": "»", "ensp": " ", "emsp": " ",
    "thinsp": " ", "zwnj": "", "zwj": "", "shy": "", "rarr": "→", "larr": "←", "uarr": "↑", "darr": "↓",
    "le": "≤", "ge": "≥", "ne": "≠", "permil": "‰", "prime": "′", "euro": "€", "pound": "£", "cent": "¢",
  ]
}
