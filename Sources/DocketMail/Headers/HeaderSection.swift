/// One header field, unfolded (the line breaks of folding removed, the whitespace kept), its value
/// as the raw bytes that followed the colon.
struct HeaderField {
  /// Lower-case, for lookup.
  var name: String
  var value: [UInt8]
}

/// A header section (RFC 5322 §2.2) and where the body after it begins.
struct HeaderSection {
  var fields: [HeaderField] = []
  /// Where the body starts, an index into the bytes the section was read from.
  var bodyStart: Int
  /// Set when a line that is neither a field nor a continuation ended the section early.
  var malformedLine: Bool = false

  func first(_ name: String) -> [UInt8]? {
    for field in fields where field.name == name { return field.value }
    return nil
  }

  func all(_ name: String) -> [[UInt8]] { fields.filter { $0.name == name }.map(\.value) }

  /// Reads fields up to the first empty line; CRLF and bare LF alike.
  ///
  /// A leading mbox `From ` line is skipped. A line that is neither a field nor a continuation
  /// ends the section there (it is taken as the start of the body), as lenient readers do.
  static func read(_ bytes: ArraySlice<UInt8>) -> HeaderSection {
    var section = HeaderSection(bodyStart: bytes.endIndex)
    var i = bytes.startIndex
    let end = bytes.endIndex
    var first = true
    while i < end {
      var lineEnd = i
      while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let next = lineEnd < end ? lineEnd + 1 : end
      var contentEnd = lineEnd
      if contentEnd > i, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      defer { first = false }
      if contentEnd == i {
        section.bodyStart = next
        return section
      }
      let lead = bytes[i]
      if lead == 0x20 || lead == 0x09 {
        if section.fields.isEmpty {
          section.malformedLine = true
          section.bodyStart = i
          return section
        }
        section.fields[section.fields.count - 1].value.append(contentsOf: bytes[i..<contentEnd])
        i = next
        continue
      }
      if first, contentEnd - i >= 5, bytes[i..<i + 5].elementsEqual("From ".utf8) {
        i = next
        continue
      }
      guard let colon = fieldNameEnd(bytes, i, contentEnd) else {
        section.malformedLine = true
        section.bodyStart = i
        return section
      }
      var nameEnd = colon
      while nameEnd > i, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
      let name = String(decoding: bytes[i..<nameEnd], as: UTF8.self).lowercased()
      section.fields.append(HeaderField(name: name, value: Array(bytes[(colon + 1)..<contentEnd])))
      i = next
    }
    section.bodyStart = end
    return section
  }

  /// The colon's index when the line starts with a field name (printable ASCII, no colon; obsolete
  /// syntax allows whitespace before the colon).
  private static func fieldNameEnd(_ bytes: ArraySlice<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var j = start
    while j < end {
      let byte = bytes[j]
      if byte == UInt8(ascii: ":") { return j > start ? j : nil }
      if byte == 0x20 || byte == 0x09 {
        var k = j
        while k < end, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        return k < end && bytes[k] == UInt8(ascii: ":") && j > start ? k : nil
      }
      guard byte > 32, byte < 127 else { return nil }
      j += 1
    }
    return nil
  }
}
