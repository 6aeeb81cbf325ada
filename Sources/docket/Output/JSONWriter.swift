import DocketCore
import Foundation

/// Every JSON document docket prints: snake_case keys, sorted; times in RFC 3339 UTC.
///
/// Written by hand: the ledger can be tens of thousands of items, and Foundation's JSONEncoder
/// (with snake_case conversion and a date closure per time) took most of a listing's time.
enum JSONValue {
  case string(String)
  case number(Int64)
  /// A fraction or a measure; written as Swift prints a Double (shortest form that reads back).
  case decimal(Double)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
  static func time(_ value: Date?) -> JSONValue { value.map { .string($0.rfc3339) } ?? .null }

  /// Pretty-printed with two-space indentation and `"key" : value`, as JSONEncoder lays it out.
  func render() -> String {
    var out: [UInt8] = []
    write(into: &out, indent: 0)
    out.append(10)
    return String(decoding: out, as: UTF8.self)
  }

  /// Prints the rendering to `handle`.
  func print(to handle: FileHandle) {
    if case .array(let values) = self { return Self.printArray(values, to: handle) }
    var out: [UInt8] = []
    write(into: &out, indent: 0)
    out.append(10)
    Self.flush(&out, to: handle)
  }

  /// Prints an array laid out as ``render()`` lays it out, building each element only as it is
  /// written and writing a piece at a time, so that a board of a hundred thousand lines is never
  /// held whole, as values or as text.
  static func printArray(_ elements: some Sequence<JSONValue>, to handle: FileHandle) {
    var out: [UInt8] = []
    out.reserveCapacity(flushSize * 2)
    var first = true
    for element in elements {
      out += first ? [91, 10] : [44, 10]
      first = false
      pad(&out, 2)
      element.write(into: &out, indent: 2)
      if out.count >= flushSize { flush(&out, to: handle) }
    }
    out += first ? [91, 93, 10] : [10, 93, 10]
    flush(&out, to: handle)
  }

  private static let flushSize = 1 << 16

  private static func flush(_ bytes: inout [UInt8], to handle: FileHandle) {
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress, buffer.count > 0 else { return }
      handle.write(
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buffer.count, deallocator: .none))
    }
    bytes.removeAll(keepingCapacity: true)
  }

  private func write(into out: inout [UInt8], indent: Int) {
    switch self {
    case .string(let text): Self.quote(text, into: &out)
    case .number(let value): out.append(contentsOf: String(value).utf8)
    case .decimal(let value): out.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .null: out.append(contentsOf: "null".utf8)
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
    var text = text
    let plain = text.withUTF8 { bytes in
      guard !bytes.contains(where: { $0 < 32 || $0 == 34 || $0 == 92 }) else { return false }
      out.append(contentsOf: bytes)
      return true
    }
    if plain { return out.append(34) }
    for byte in text.utf8 {
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
