import DocketCore
import Foundation

/// A value bound to a statement parameter: text in PostgreSQL's input syntax, raw bytes, or NULL.
public enum SQLValue: Sendable, Equatable {
  case text(String)
  case bytes([UInt8])
  case null
}

/// A Swift value that can be bound as a parameter. Values are never spliced into SQL text.
public protocol SQLBindable: Sendable {
  var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Int32: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .text(self ? "t" : "f") } }
// RFC 3339 in UTC with microseconds, which PostgreSQL reads exactly.
extension Date: SQLBindable { public var sqlValue: SQLValue { .text(rfc3339) } }
extension UUID: SQLBindable { public var sqlValue: SQLValue { .text(uuidString) } }
extension Data: SQLBindable { public var sqlValue: SQLValue { .bytes([UInt8](self)) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .bytes(self) } }

extension Optional: SQLBindable where Wrapped: SQLBindable {
  public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A PostgreSQL array literal of text (`{"a","b",NULL}`), quoted so that any element round-trips;
/// cast it to the array type wanted (`$1::timestamptz[]`).
public struct TextArray: SQLBindable {
  public let elements: [String?]
  public init(_ elements: [String]) { self.elements = elements }
  public init(_ elements: [String?]) { self.elements = elements }
  public var sqlValue: SQLValue {
    // Written byte by byte: a rebuild binds millions of elements, among them whole composite-array
    // literals full of quotes and backslashes.
    var out: [UInt8] = [UInt8(ascii: "{")]
    for (index, element) in elements.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      guard let element else {
        out.append(contentsOf: "NULL".utf8)
        continue
      }
      out.append(UInt8(ascii: "\""))
      for byte in element.utf8 {
        if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { out.append(UInt8(ascii: "\\")) }
        out.append(byte)
      }
      out.append(UInt8(ascii: "\""))
    }
    out.append(UInt8(ascii: "}"))
    return .text(String(decoding: out, as: UTF8.self))
  }
}

/// A PostgreSQL bytea array literal, for keyed hashes.
public struct ByteaArray: SQLBindable {
  public let elements: [[UInt8]]
  public init(_ elements: [[UInt8]]) { self.elements = elements }
  public var sqlValue: SQLValue { .text(literal) }
  /// The array literal, as a parameter binds it or COPY's text format writes it.
  public var literal: String { "{" + elements.map { "\"\\\\x" + $0.hex + "\"" }.joined(separator: ",") + "}" }
}

/// A PostgreSQL array-of-composite literal (`{"(forward,2021-01-04T00:00:00Z,,0)"}`), as a
/// parameter binds it or COPY's text format writes it: each element a row of fields, nil for NULL.
///
/// Written byte by byte: a handover batch writes three for each of its 200k items.
enum CompositeArray {
  static func literal(_ elements: [[String?]]) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    for (index, fields) in elements.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      // Each element in the array's double quotes (a record holds commas), the record in parentheses.
      out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "(")])
      for (position, field) in fields.enumerated() {
        if position > 0 { out.append(UInt8(ascii: ",")) }
        // An empty field is NULL; empty text is `""`.
        guard let field else { continue }
        let bytes = field.utf8
        guard bytes.isEmpty || bytes.contains(where: needsQuotes) else {
          out.append(contentsOf: bytes)
          continue
        }
        // The record's quotes, `"` and `\` doubled within them; then every `"` and `\` of that
        // escaped with a backslash for the array around it.
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        for byte in bytes {
          switch byte {
          case UInt8(ascii: "\""): out.append(contentsOf: Array(#"\"\""#.utf8))
          case UInt8(ascii: "\\"): out.append(contentsOf: Array(#"\\\\"#.utf8))
          default: out.append(byte)
          }
        }
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      }
      out.append(contentsOf: [UInt8(ascii: ")"), UInt8(ascii: "\"")])
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  /// What a record's field must be quoted for: its punctuation, quotes, backslashes and white space.
  private static func needsQuotes(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\\"),
      UInt8(ascii: " "), 9, 10, 11, 12, 13:
      true
    default: false
    }
  }
}
