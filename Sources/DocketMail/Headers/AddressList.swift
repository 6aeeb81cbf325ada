import DocketCharsets
import Foundation

/// Address lists (RFC 5322 §3.4, with the obsolete forms): `Name <addr>`, bare `addr`,
/// `addr (Name)`, quoted names, comments, groups and source routes.
enum AddressList {
  /// The mailboxes in `text` (the field's value, 8-bit bytes already decoded); display names have
  /// their encoded words decoded. A group contributes its members; an empty group nothing.
  static func parse(_ text: String, _ decoder: CharsetDecoder, replaced: inout Bool) -> [MailAddress] {
    var result: [MailAddress] = []
    // Unicode scalars, not Characters: header syntax is ASCII, and grapheme breaking is costly.
    var phrase = String.UnicodeScalarView()
    var angle = String.UnicodeScalarView()
    var comment = String.UnicodeScalarView()
    var hasAngle = false
    var inQuote = false
    var inAngle = false
    var commentDepth = 0
    var escaped = false

    func finish() {
      defer {
        phrase = String.UnicodeScalarView()
        angle = String.UnicodeScalarView()
        comment = String.UnicodeScalarView()
        hasAngle = false
      }
      var address: String
      var name: String
      if hasAngle {
        address = String(angle)
        // An obsolete source route, `<@relay:user@host>`, names the mailbox after the colon.
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
          address = String(address[address.index(after: colon)...])
        }
        name = String(phrase)
      } else {
        let words = words(String(phrase))
        if let at = words.lastIndex(where: { $0.contains("@") }), words.count > 1 {
          address = words[at]
          name = words.enumerated().filter { $0.offset != at }.map(\.element).joined(separator: " ")
        } else {
          address = words.joined()
          name = ""
        }
      }
      if address.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
        address = words(address).joined()
      }
      guard !address.isEmpty else { return }
      name = collapse(name)
      if name.isEmpty { name = collapse(String(comment)) }
      let decoded = name.isEmpty ? nil : collapse(EncodedWords.decode(name, decoder, replaced: &replaced))
      result.append(MailAddress(name: decoded?.isEmpty == false ? decoded : nil, address: address))
    }

    for character in text.unicodeScalars {
      if escaped {
        if inAngle {
          angle.append(character)
        } else if commentDepth > 0 {
          comment.append(character)
        } else {
          phrase.append(character)
        }
        escaped = false
        continue
      }
      if character == "\\" && (inQuote || commentDepth > 0) {
        escaped = true
        continue
      }
      if inQuote {
        if character == "\"" { inQuote = false } else { phrase.append(character) }
        continue
      }
      if commentDepth > 0 {
        if character == "(" { commentDepth += 1 }
        if character == ")" { commentDepth -= 1 }
        if commentDepth > 0 { comment.append(character) } else { comment.append(" ") }
        continue
      }
      if inAngle {
        if character == ">" { inAngle = false } else { angle.append(character) }
        continue
      }
      switch character {
      case "\"": inQuote = true
      case "(": commentDepth = 1
      case "<":
        inAngle = true
        hasAngle = true
      case ",", ";": finish()
      case ":" where !hasAngle:
        // A group's name: what came before is not a display name.
        phrase = String.UnicodeScalarView()
        comment = String.UnicodeScalarView()
      default: phrase.append(character)
      }
    }
    finish()
    return result
  }

  private static func collapse(_ text: String) -> String {
    var previous: Unicode.Scalar = " "
    let tidy = text.unicodeScalars.allSatisfy { scalar in
      defer { previous = scalar }
      return scalar != "\t" && scalar != "\r" && scalar != "\n" && !(scalar == " " && previous == " ")
    }
    return tidy && previous != " " ? text : words(text).joined(separator: " ")
  }

  private static func words(_ text: String) -> [String] {
    text.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
      .map { String(String.UnicodeScalarView($0)) }
  }
}
