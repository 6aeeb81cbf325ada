import CLibPQ
import DocketCore
import Foundation

/// A query's result as libpq holds it, shared by its rows and freed with the last of them, so
/// that a row costs nothing until a column is read: boards read a hundred thousand.
final class ResultSet: @unchecked Sendable {
  // Safe to share: a PGresult is never changed after libpq hands it over, and reading it is
  // thread-safe.
  let result: OpaquePointer
  let names: [String]
  let rowCount: Int32

  init(_ result: OpaquePointer) {
    self.result = result
    names = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    rowCount = PQntuples(result)
  }

  deinit { PQclear(result) }
}

/// One row of a result, decoded from PostgreSQL's text format by column name.
public struct Row: Sendable {
  let set: ResultSet
  let index: Int32

  /// The raw text of a column, or nil for NULL.
  public func text(_ name: String) throws(DatabaseError) -> String? {
    try bytes(name).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The column's text as libpq holds it, valid while this row exists; nil for NULL.
  private func bytes(_ name: String) throws(DatabaseError) -> UnsafeBufferPointer<UInt8>? {
    // A handful of short names: comparing them beats hashing the one asked for.
    guard let column = set.names.firstIndex(of: name) else {
      throw DatabaseError(kind: .decoding, message: "the result has no column \(name)")
    }
    let c = Int32(column)
    guard PQgetisnull(set.result, index, c) == 0, let value = PQgetvalue(set.result, index, c) else {
      return nil
    }
    return UnsafeBufferPointer(
      start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self),
      count: Int(PQgetlength(set.result, index, c)))
  }

  /// Decodes a column that may be NULL.
  public func optional<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T?
  {
    guard let raw = try bytes(name) else { return nil }
    guard let value = withExtendedLifetime(set, { T(sqlBytes: raw) }) else {
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
  /// Decodes the text as libpq holds it; by default through a String. Types read by the
  /// hundred thousand (times, numbers) parse the bytes directly.
  init?(sqlBytes: UnsafeBufferPointer<UInt8>)
}

extension SQLDecodable {
  public init?(sqlBytes: UnsafeBufferPointer<UInt8>) {
    self.init(sqlText: String(decoding: sqlBytes, as: UTF8.self))
  }
}

/// A whole decimal number, without a String.
private func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
  // Eighteen digits cannot overflow; longer ones take the checked way.
  guard bytes.count <= 18 else { return Int64(String(decoding: bytes, as: UTF8.self)) }
  let negative = bytes.first == UInt8(ascii: "-")
  guard bytes.count > (negative ? 1 : 0) else { return nil }
  var value: Int64 = 0
  for byte in negative ? bytes[1...] : bytes[...] {
    guard (48...57).contains(byte) else { return nil }
    value = value * 10 + Int64(byte - 48)
  }
  return negative ? -value : value
}

extension String: SQLDecodable { public init?(sqlText: String) { self = sqlText } }
extension Int: SQLDecodable {
  public init?(sqlText: String) { self.init(sqlText) }
  public init?(sqlBytes: UnsafeBufferPointer<UInt8>) {
    guard let value = decimal(sqlBytes) else { return nil }
    self = Int(value)
  }
}
extension Int32: SQLDecodable { public init?(sqlText: String) { self.init(sqlText) } }
extension Int64: SQLDecodable {
  public init?(sqlText: String) { self.init(sqlText) }
  public init?(sqlBytes: UnsafeBufferPointer<UInt8>) {
    guard let value = decimal(sqlBytes) else { return nil }
    self = value
  }
}
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
    var text = sqlText
    guard let bytes = text.withUTF8({ Self(sqlBytes: $0) }) else { return nil }
    self = bytes
  }

  /// Straight from libpq's bytes: `audit verify` reads two hashes per event.
  public init?(sqlBytes s: UnsafeBufferPointer<UInt8>) {
    guard s.count >= 2, s[0] == UInt8(ascii: "\\"), s[1] == UInt8(ascii: "x"), s.count % 2 == 0 else {
      return nil
    }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: c - 48
      case 97...102: c - 87
      case 65...70: c - 55
      default: nil
      }
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity(s.count / 2 - 1)
    var i = 2
    while i < s.count {
      guard let high = nibble(s[i]), let low = nibble(s[i + 1]) else { return nil }
      bytes.append(high << 4 | low)
      i += 2
    }
    self = bytes
  }
}

extension Date: SQLDecodable {
  /// timestamptz in ISO output (`2021-09-28 02:30:00.123456+00`, offsets to the second).
  public init?(sqlText: String) {
    var text = sqlText
    guard let date = text.withUTF8({ Date(sqlBytes: $0) }) else { return nil }
    self = date
  }

  public init?(sqlBytes s: UnsafeBufferPointer<UInt8>) {
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
