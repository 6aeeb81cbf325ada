import DocketCore
import Foundation

/// Every JSON document docket prints: snake_case keys, sorted; times in RFC 3339 UTC.
///
/// Written by hand: the ledger can be tens of thousands of items, and Foundation's JSONEncoder
/// (with snake_case conversion and a date closure per time) took most of a listing's time.
enum JSONValue {
  case string(String)
  case number(Int64)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
  static func time(_ value: Date?) -> JSONValue { value.map { .string($0.rfc3339) } ?? .null }

  /// Pretty-printed with two-space indentation and `"key" : value`, as JSONEncoder lays it out.
  func render() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(into: &out, indent: 0)
    out.append(10)
    return String(decoding: out, as: UTF8.self)
  }

  private func write(into out: inout [UInt8], indent: Int) {
    switch self {
    case .string(let text): Self.quote(text, into: &out)
    case .number(let value): out += Array(String(value).utf8)
    case .bool(let value): out += Array((value ? "true" : "false").utf8)
    case .null: out += Array("null".utf8)
    case .array(let values):
      guard !values.isEmpty else { return out += [91, 93] }
      out += [91, 10]
      for (index, value) in values.enumerated() {
        Self.pad(&out, indent + 2)
        value.write(into: &out, indent: indent + 2)
        if index < values.count - 1 { out.append(44) }
        out.append(10)
      }
      Self.pad(&out, indent)
      out.append(93)
    case .object(let pairs):
      guard !pairs.isEmpty else { return out += [123, 125] }
      out += [123, 10]
      let inOrder = zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 < $1.0 }
      let sorted = inOrder ? pairs : pairs.sorted { $0.0 < $1.0 }
      for (index, (key, value)) in sorted.enumerated() {
        Self.pad(&out, indent + 2)
        Self.quote(key, into: &out)
        out += [32, 58, 32]
        value.write(into: &out, indent: indent + 2)
        if index < sorted.count - 1 { out.append(44) }
        out.append(10)
      }
      Self.pad(&out, indent)
      out.append(125)
    }
  }

  private static func pad(_ out: inout [UInt8], _ count: Int) {
    out += repeatElement(32, count: count)
  }

  private static func quote(_ text: String, into out: inout [UInt8]) {
    out.append(34)
    let utf8 = text.utf8
    if !utf8.contains(where: { $0 < 32 || $0 == 34 || $0 == 92 }) {
      out += utf8
      return out.append(34)
    }
    for byte in utf8 {
      switch byte {
      case 34: out += [92, 34]
      case 92: out += [92, 92]
      case 10: out += [92, 110]
      case 13: out += [92, 114]
      case 9: out += [92, 116]
      case 0..<32:
        let hex = Array("0123456789abcdef".utf8)
        out += [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      default: out.append(byte)
      }
    }
    out.append(34)
  }
}
