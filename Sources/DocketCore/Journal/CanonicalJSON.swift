/// The journal's payload format: a flat JSON object of strings, keys sorted, nil values left out,
/// strings escaped as Foundation's JSONEncoder escapes them (quote, backslash, control characters)
/// and everything else, slashes and non-ASCII included, as it is. The same fields always give the
/// same bytes, so the same event always hashes the same; written by hand because a batch writes it
/// hundreds of thousands of times.
public enum CanonicalJSON {
  /// `fields` as canonical JSON; keys must be distinct.
  public static func object(_ fields: some Sequence<(key: String, value: String?)>) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    out.reserveCapacity(512)
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      guard let value else { continue }
      if out.count > 1 { out.append(UInt8(ascii: ",")) }
      quote(key, into: &out)
      out.append(UInt8(ascii: ":"))
      quote(value, into: &out)
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  /// Escapes as JSONEncoder does. Works on UTF-8 bytes, which no escape touches.
  private static func quote(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
