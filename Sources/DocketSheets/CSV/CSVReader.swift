import DocketCharsets
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
    var body = bytes[...]
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let hasBOM = body.starts(with: bom)
    if hasBOM { body = body.dropFirst(3) }
    // UTF-8 is split in place, each field checked as it is made: a list can be hundreds of
    // megabytes, and a decoded copy of it would double that.
    if encoding != .gb18030 {
      if let rows = try records(body) { return Sheet(name: nil, rows: rows) }
      guard encoding == nil && !hasBOM else {
        throw .encoding(
          "it is not valid UTF-8; if Excel saved it as plain \"CSV\" it is GB18030: give --encoding gb18030")
      }
    }
    let decoded = CharsetDecoder().decode(body, label: "gb18030")
    guard !decoded.replaced else {
      throw .encoding(
        "it is neither UTF-8 nor GB18030 (some bytes are not Chinese text); save it from Excel as \"CSV UTF-8\""
      )
    }
    let utf8 = Array(decoded.text.utf8)
    return Sheet(name: nil, rows: try records(utf8[...]) ?? [])
  }

  /// Splits UTF-8 into rows of fields; nil when a field is not valid UTF-8.
  static func records(_ utf8: ArraySlice<UInt8>) throws(SheetError) -> [SheetRow]? {
    var rows: [SheetRow] = []
    var fields: [SheetCell] = []
    var field: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    var invalid = false
    var number = 1
    var i = utf8.startIndex

    func endField() {
      if field.isEmpty {
        fields.append(wasQuoted ? .text("") : .empty)
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
      rows.append(SheetRow(number: number, cells: fields))
      fields = []
      number += 1
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
          field.append(byte)
        }
        i += 1
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
      if invalid { return nil }
      i += 1
    }
    if quoted { throw .unterminatedQuote(row: number) }
    if !field.isEmpty || !fields.isEmpty || wasQuoted { endRow() }
    if invalid { return nil }
    while rows.last?.isBlank == true { rows.removeLast() }
    return rows
  }
}
