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
extension Date: SQLBindable { public var sqlValue: SQLValue { .text(rfc3339Micro) } }
extension UUID: SQLBindable { public var sqlValue: SQLValue { .text(uuidString) } }
extension Data: SQLBindable { public var sqlValue: SQLValue { .bytes([UInt8](self)) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .bytes(self) } }

extension Optional: SQLBindable where Wrapped: SQLBindable {
  public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A PostgreSQL array literal of text (`{"a","b"}`), quoted so that any element round-trips.
public struct TextArray: SQLBindable {
  public let elements: [String]
  public init(_ elements: [String]) { self.elements = elements }
  public var sqlValue: SQLValue {
    let quoted = elements.map { element in
      "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        + "\""
    }
    return .text("{" + quoted.joined(separator: ",") + "}")
  }
}

/// A PostgreSQL bytea array literal, for keyed hashes.
public struct ByteaArray: SQLBindable {
  public let elements: [[UInt8]]
  public init(_ elements: [[UInt8]]) { self.elements = elements }
  public var sqlValue: SQLValue {
    .text("{" + elements.map { "\"\\\\x" + $0.hex + "\"" }.joined(separator: ",") + "}")
  }
}

extension Date {
  /// ISO 8601 with microseconds and `Z`, which PostgreSQL reads exactly.
  var rfc3339Micro: String {
    let micros = microsecondsSinceEpoch
    var seconds = micros / 1_000_000
    var fraction = micros % 1_000_000
    if fraction < 0 {
      seconds -= 1
      fraction += 1_000_000
    }
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", parts.tm_year + 1900, parts.tm_mon + 1,
      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, fraction)
  }

  var microsecondsSinceEpoch: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}

extension Sequence where Element == UInt8 {
  /// Lower-case hexadecimal.
  public var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in self {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
