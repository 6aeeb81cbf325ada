import Foundation

/// An email's signature block: what follows a `-- ` line (RFC 3676), or else the closing block at
/// the end of the text that carries the sender's name ("此致 敬礼 / 举报人：王某 / 电话…"). It names and
/// reaches the sender, phone numbers and all, so it is taken out of the plain text entirely and kept
/// only sealed with the raw message.
public enum SignatureBlock {
  /// How many lines from the end a closing block may start.
  static let closingLines = 8

  /// Openings of a closing block's first line, in letters of complaint as people write them.
  static let closings = ["此致", "敬礼", "谢谢", "举报人", "反映人", "署名", "实名举报人", "联系人", "联系电话", "联系方式"]

  /// `text` without its signature block, and the block; nil when there is none.
  public static func split(_ text: String, senderName: String?) -> (body: String, signature: String?) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let dashes = lines.lastIndex(where: { $0 == "-- " || $0 == "--" || $0 == "-- \r" || $0 == "--\r" }) {
      return cut(lines, at: dashes)
    }
    let name = senderName?.trimming(.whitespaces) ?? ""
    guard name.count >= 2 else { return (text, nil) }
    let window = max(0, lines.count - closingLines)..<lines.count
    guard let named = lines[window].lastIndex(where: { $0.contains(name) }) else { return (text, nil) }
    // The block starts at the closing phrases just above the name's line, if any.
    var start = named
    while start > window.lowerBound, isClosing(lines[start - 1]) { start -= 1 }
    while start < named, lines[start].trimming(.whitespaces).isEmpty { start += 1 }
    // A name in the middle of a line of prose is not a signature; a short line, or a closing's, is.
    guard
      start < named || lines[named].trimming(.whitespaces).count <= name.count + 12 || isClosing(lines[named])
    else { return (text, nil) }
    return cut(lines, at: start)
  }

  private static func isClosing(_ line: String) -> Bool {
    let trimmed = line.trimming(.whitespaces)
    return trimmed.isEmpty || closings.contains { trimmed.hasPrefix($0) }
  }

  private static func cut(_ lines: [String], at index: Int) -> (body: String, signature: String?) {
    var body = Array(lines[..<index])
    while let last = body.last, last.trimming(.whitespaces).isEmpty { body.removeLast() }
    return (body.joined(separator: "\n"), lines[index...].joined(separator: "\n"))
  }
}

/// What in a text could still identify someone after redaction: for a registrar's screening
/// (`may_identify`), never to change the text.
public enum IdentifyingTraces {
  public enum Trace: String, Sendable, Equatable {
    case phone, idNumber = "id_number", email
  }

  /// The kinds of trace in `text`, each once, in this order: a mobile or landline number, an
  /// 18-character ID number, an email address other than those in `allowedEmails` (the accused's).
  public static func find(in text: String, allowedEmails: Set<String> = []) -> [Trace] {
    var found: [Trace] = []
    let characters = Array(text)
    let runs = digitRuns(characters)
    if runs.contains(where: isPhone) { found.append(.phone) }
    if runs.contains(where: isIDNumber) { found.append(.idNumber) }
    let allowed = Set(allowedEmails.map { $0.lowercased() })
    if emails(in: characters).contains(where: { !allowed.contains($0.lowercased()) }) { found.append(.email) }
    return found
  }

  /// Runs of digits (ASCII or full-width) with the spaces and dashes people put between them, and an
  /// ID number's final X, as ASCII digits.
  static func digitRuns(_ text: [Character]) -> [String] {
    var runs: [String] = []
    var current = ""
    var pendingSeparator = false
    for character in text {
      if let digit = Redactor.digit(character) {
        current.append(digit)
        pendingSeparator = false
      } else if (character == "X" || character == "x"), !current.isEmpty {
        current.append("X")
        runs.append(current)
        current = ""
      } else if !current.isEmpty, !pendingSeparator, [" ", "-", "－", "\u{3000}"].contains(character) {
        pendingSeparator = true
      } else {
        if !current.isEmpty { runs.append(current) }
        current = ""
        pendingSeparator = false
      }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
  }

  /// A number intake would take as a phone number (``Contact/phone(_:)``), with or without 86.
  static func isPhone(_ run: String) -> Bool {
    let digits = run.hasPrefix("86") && run.count == 13 ? String(run.dropFirst(2)) : run
    return !digits.hasPrefix("00") && (try? Contact.phone(digits)) != nil
  }

  static func isIDNumber(_ run: String) -> Bool {
    guard run.count == 18, (try? Contact.idNumber(run)) != nil else { return false }
    return true
  }

  /// Email addresses: a local part and a dotted domain around an @.
  static func emails(in text: [Character]) -> [String] {
    func local(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "._%+-".contains(c)) }
    func domain(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || ".-".contains(c)) }
    var found: [String] = []
    for (index, character) in text.enumerated() where character == "@" || character == "＠" {
      var start = index
      while start > 0, local(text[start - 1]) { start -= 1 }
      var end = index + 1
      while end < text.count, domain(text[end]) { end += 1 }
      var host = String(text[(index + 1)..<end])
      while host.hasSuffix(".") { host.removeLast() }
      guard start < index, host.contains("."), !host.hasPrefix(".") else { continue }
      found.append(String(text[start..<index]) + "@" + host)
    }
    return found
  }
}
