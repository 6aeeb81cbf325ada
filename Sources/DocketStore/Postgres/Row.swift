import DocketCore
import Foundation

/// One row of a result, decoded from PostgreSQL's text format by column name or position.
public struct Row: Sendable {
  let columns: [String: Int]
  let values: [String?]

  /// The raw text of a column, or nil for NULL.
  public func text(_ name: String) throws(DatabaseError) -> String? {
    guard let index = columns[name] else {
      throw DatabaseError(kind: .decoding, message: "the result has no column \(name)")
    }
    return values[index]
  }

  /// Decodes a column that may be NULL.
  public func optional<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T?
  {
    guard let raw = try text(name) else { return nil }
    guard let value = T(sqlText: raw) else {
      throw DatabaseError(kind: .decoding, message: "column \(name) does not hold a \(T.self)")
    }
    return value
  }

  /// Decodes a column that must not be NULL.
  public func decode<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
    guard let value = try optional(name, as: T.self) else {
      throw DatabaseError(kind: .decoding, message: "column \(name) is NULL")
    }
    return value
  }
}

/// A Swift type that can be read from PostgreSQL's text output.
public protocol SQLDecodable {
  init?(sqlText: String)
}

extension String: SQLDecodable { public init?(sqlText: String) { self = sqlText } }
extension Int: SQLDecodable { public init?(sqlText: String) { self.init(sqlText) } }
extension Int32: SQLDecodable { public init?(sqlText: String) { self.init(sqlText) } }
extension Int64: SQLDecodable { public init?(sqlText: String) { self.init(sqlText) } }
extension Double: SQLDecodable { public init?(sqlText: String) { self.init(sqlText) } }
extension Bool: SQLDecodable {
  public init?(sqlText: String) {
    switch sqlText {
    case "t", "true": self = true
    case "f", "false": self = false
    default: return nil
    }
  }
}

extension Array: SQLDecodable where Element == UInt8 {
  /// bytea in hex output format (`\x0a1b`), the server default since 9.0.
  public init?(sqlText: String) {
    guard sqlText.hasPrefix("\\x") else { return nil }
    let digits = Array(sqlText.utf8.dropFirst(2))
    guard digits.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: c - 48
      case 97...102: c - 87
      case 65...70: c - 55
      default: nil
      }
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
      guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
      bytes.append(high << 4 | low)
      i += 2
    }
    self = bytes
  }
}

extension Date: SQLDecodable {
  /// timestamptz in ISO output (`2021-09-28 02:30:00.123456+00`, offsets to the second).
  public init?(sqlText: String) {
    let s = Array(sqlText.utf8)
    func int(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= s.count else { return nil }
      var v = 0
      for c in s[from..<(from + count)] {
        guard (48...57).contains(c) else { return nil }
        v = v * 10 + Int(c - 48)
      }
      return v
    }
    guard s.count >= 19, let year = int(0, 4), let month = int(5, 2), let day = int(8, 2),
      let hour = int(11, 2), let minute = int(14, 2), let second = int(17, 2)
    else { return nil }
    var i = 19
    var micros = 0
    if i < s.count, s[i] == UInt8(ascii: ".") {
      i += 1
      var digits = 0
      while i < s.count, (48...57).contains(s[i]) {
        if digits < 6 { micros = micros * 10 + Int(s[i] - 48) }
        digits += 1
        i += 1
      }
      for _ in digits..<6 where digits < 6 { micros *= 10 }
    }
    var offset = 0
    if i < s.count {
      let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
      guard let h = int(i + 1, 2) else { return nil }
      offset = h * 3600
      i += 3
      if i < s.count, s[i] == UInt8(ascii: ":"), let m = int(i + 1, 2) {
        offset += m * 60
        i += 3
        if i < s.count, s[i] == UInt8(ascii: ":"), let sec = int(i + 1, 2) { offset += sec }
      }
      offset *= sign
    }
    // Days from civil (Howard Hinnant's algorithm), so no Calendar is needed per row.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second - offset)
    self = Date(microseconds: seconds * 1_000_000 + Int64(micros))
  }
}
