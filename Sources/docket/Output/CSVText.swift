/// CSV as Excel opens it: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so that
/// Chinese text is not read as the system code page.
enum CSVText {
  static func field(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }

  static func document(_ rows: [[String]]) -> String {
    "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }
}
