/// CSV as Excel opens it: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so that
/// Chinese text is not read as the system code page.
public enum CSVWriter {
  /// One field, quoted when it holds a comma, a quote or a line break.
  ///
  /// By bytes, not Characters: `\r\n` is one Character, and so is a quote or comma followed by a
  /// combining mark, which a comparison with `","` would miss and leave a row split in two.
  public static func field(_ text: String) -> String {
    let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
    guard text.utf8.contains(where: special.contains) else { return text }
    var out: [UInt8] = [UInt8(ascii: "\"")]
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\"") { out.append(byte) }
      out.append(byte)
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
  }

  /// The whole file, its byte-order mark first.
  public static func document(_ rows: [[String]]) -> String {
    "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }
}
