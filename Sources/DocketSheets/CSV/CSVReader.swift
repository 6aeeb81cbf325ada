import DocketCharsets
import DocketCore
import Foundation

/// The encodings Excel saves CSV in for a Chinese office.
public enum CSVEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case gb18030

  /// Parses `utf-8`, `utf8`, `gb18030`, `gbk`, `gb2312` (GBK and GB2312 are read as GB18030).
  public init?(label: String) {
    switch label.lowercased() {
    case "utf-8", "utf8": self = .utf8
    case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
    default: return nil
    }
  }
}

/// CSV as Excel writes it (RFC 4180): quoted fields with doubled quotes and line breaks inside,
/// CRLF or LF, a UTF-8 byte-order mark or none, UTF-8 or GB18030.
public enum CSVReader {
  /// Reads the whole file. Without `encoding`, a byte-order mark or valid UTF-8 means UTF-8 and
  /// anything else GB18030 (what Excel's "CSV" writes on a Chinese Windows).
  public static func read(_ bytes: [UInt8], encoding: CSVEncoding? = nil) throws(SheetError) -> Sheet {
    var rows: [SheetRow] = []
    try forEachRow(bytes, encoding: encoding) { rows.append($0) }
    while rows.last?.isBlank == true { rows.removeLast() }
    return Sheet(name: nil, rows: rows)
  }

  /// Hands each row to `body` as it is read, without keeping the table: a list of hundreds of
  /// thousands of rows is checked in the memory of one row (plus what `body` keeps).
  public static func forEachRow(
    _ bytes: [UInt8], encoding: CSVEncoding? = nil, _ body: (SheetRow) -> Void
  ) throws(SheetError) {
    var content = bytes[...]
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let hasBOM = content.starts(with: bom)
    if hasBOM { content = content.dropFirst(3) }
    if encoding == .utf8 || hasBOM || (encoding == nil && isUTF8(content)) {
      guard try records(content, body) else {
        throw .encoding(
          "it is not valid UTF-8; if Excel saved it as plain \"CSV\" it is GB18030: give --encoding gb18030")
      }
      return
    }
    let decoded = CharsetDecoder().decode(content, label: "gb18030")
    guard !decoded.replaced else {
      throw .encoding(
        "it is neither UTF-8 nor GB18030 (some bytes are not Chinese text); save it from Excel as \"CSV UTF-8\""
      )
    }
    let utf8 = Array(decoded.text.utf8)
    _ = try records(utf8[...], body)
  }

  /// Whether the bytes are UTF-8, checked without making a string of them.
  static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer(isUTF8)
  }

  /// Whether the bytes are UTF-8; also what a workbook's XML parts are checked with.
  static func isUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let count = buffer.count
    while i < count {
      let lead = buffer[i]
      if lead < 0x80 {
        i += 1
        continue
      }
      let length: Int
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return false
      }
      guard i + length <= count else { return false }
      for k in 1..<length where buffer[i + k] & 0xC0 != 0x80 { return false }
      // Overlong and surrogate forms, which String would refuse too.
      if lead == 0xE0 && buffer[i + 1] < 0xA0 || lead == 0xED && buffer[i + 1] > 0x9F
        || lead == 0xF0 && buffer[i + 1] < 0x90 || lead == 0xF4 && buffer[i + 1] > 0x8F
      {
        return false
      }
      i += length
    }
    return true
  }

  /// Splits UTF-8 into rows of fields, each handed to `body`; false when a field is not valid UTF-8.
  static func records(_ utf8: ArraySlice<UInt8>, _ body: (SheetRow) -> Void) throws(SheetError) -> Bool {
    var fields: [SheetCell] = []
    var field: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    var invalid = false
    var nul: (row: Int, column: Int)?
    var number = 1
    var i = utf8.startIndex

    func endField() {
      if field.isEmpty {
        fields.append(wasQuoted ? .text("") : .empty)
      } else if nul == nil, field.contains(0) {
        // PostgreSQL text cannot hold a NUL: such a list failed at the database, mid-import, with
        // "invalid byte sequence for encoding UTF8: 0x00". A CSV with NUL bytes is mostly a
        // UTF-16 file ("Unicode text") or not text at all; it is refused, naming the cell.
        nul = (number, fields.count)
      } else if let value = String(validating: field, as: UTF8.self) {
        fields.append(.text(value))
      } else {
        invalid = true
      }
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func endRow() {
      endField()
      guard nul == nil else { return }
      body(SheetRow(number: number, cells: fields))
      fields = []
      number += 1
    }

    // Runs of ordinary bytes are copied whole: a list is hundreds of megabytes of them.
    func isSpecial(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ",") || byte == 0x0D || byte == 0x0A
    }
    while i < utf8.endIndex {
      let byte = utf8[i]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if i + 1 < utf8.endIndex, utf8[i + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            i += 2
            continue
          }
          quoted = false
        } else if byte == 0x0D, i + 1 < utf8.endIndex, utf8[i + 1] == 0x0A {
          // A line break inside a field, kept as LF.
        } else {
          var end = i + 1
          while end < utf8.endIndex, utf8[end] != UInt8(ascii: "\""), utf8[end] != 0x0D { end += 1 }
          field.append(contentsOf: utf8[i..<end])
          i = end
          continue
        }
        i += 1
        continue
      }
      if !isSpecial(byte) {
        var end = i + 1
        while end < utf8.endIndex, !isSpecial(utf8[end]) { end += 1 }
        field.append(contentsOf: utf8[i..<end])
        i = end
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        if field.isEmpty && !wasQuoted {
          quoted = true
          wasQuoted = true
        } else {
          // A quote inside an unquoted field is kept, as Excel reads it.
          field.append(byte)
        }
      case UInt8(ascii: ","): endField()
      case 0x0D:
        if i + 1 < utf8.endIndex, utf8[i + 1] == 0x0A { i += 1 }
        endRow()
      case 0x0A: endRow()
      default: field.append(byte)
      }
      if invalid { return false }
      if let nul { throw nulError(nul) }
      i += 1
    }
    if quoted { throw .unterminatedQuote(row: number) }
    if !field.isEmpty || !fields.isEmpty || wasQuoted { endRow() }
    if let nul { throw nulError(nul) }
    return !invalid
  }

  private static func nulError(_ cell: (row: Int, column: Int)) -> SheetError {
    .encoding(
      "row \(cell.row), column \(columnLetters(cell.column)) holds a NUL byte, which no text can hold; a file with NUL bytes is usually UTF-16 (Excel's \"Unicode text\"): save it from Excel as \"CSV UTF-8\""
    )
  }
}
