import DocketService
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
    streamArray(elements, indent: 0, into: &out, to: handle)
    out.append(10)
    flush(&out, to: handle)
  }

  /// Prints an object whose member `key` is an array streamed as ``printArray(_:to:)`` streams one,
  /// beside the small members `pairs`, all in key order.
  static func printObject(
    _ pairs: [(String, JSONValue)], streaming key: String, _ elements: some Sequence<JSONValue>,
    to handle: FileHandle
  ) {
    var out: [UInt8] = []
    out.reserveCapacity(flushSize * 2)
    out += [123, 10]
    let keys = (pairs.map(\.0) + [key]).sorted()
    for (index, name) in keys.enumerated() {
      pad(&out, 2)
      quote(name, into: &out)
      out += [32, 58, 32]
      if name == key {
        streamArray(elements, indent: 2, into: &out, to: handle)
      } else if let value = pairs.first(where: { $0.0 == name })?.1 {
        value.write(into: &out, indent: 2)
      }
      if index < keys.count - 1 { out.append(44) }
      out.append(10)
    }
    out += [125, 10]
    flush(&out, to: handle)
  }

  private static func streamArray(
    _ elements: some Sequence<JSONValue>, indent: Int, into out: inout [UInt8], to handle: FileHandle
  ) {
    var first = true
    for element in elements {
      out += first ? [91, 10] : [44, 10]
      first = false
      pad(&out, indent + 2)
      element.write(into: &out, indent: indent + 2)
      if out.count >= flushSize { flush(&out, to: handle) }
    }
    if first { return out += [91, 93] }
    out.append(10)
    pad(&out, indent)
    out.append(93)
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
    text.withUTF8 { bytes in
      // Runs without anything to escape are copied whole; message texts are long.
      var runStart = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        guard byte < 32 || byte == 34 || byte == 92 else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        out.append(92)
        switch byte {
        case 34, 92: out.append(byte)
        case 10: out.append(110)
        case 13: out.append(114)
        case 9: out.append(116)
        default:
          let hex: StaticString = "0123456789abcdef"
          out.append(contentsOf: [117, 48, 48])
          hex.withUTF8Buffer { digits in
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
          }
        }
        runStart = index + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }
    out.append(34)
  }
}
