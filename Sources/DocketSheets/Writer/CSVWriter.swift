/// CSV as Excel opens it: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so that
/// Chinese text is not read as the system code page.
public enum CSVWriter {
  /// One field, quoted when it holds a comma, a quote or a line break.
  public static func field(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }

  /// The whole file, its byte-order mark first.
  public static func document(_ rows: [[String]]) -> String {
    "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }
}
