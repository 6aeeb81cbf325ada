import Foundation

/// Address lists (RFC 5322 §3.4, with the obsolete forms): `Name <addr>`, bare `addr`,
/// `addr (Name)`, quoted names, comments, groups and source routes.
enum AddressList {
  /// The mailboxes in `text` (the field's value, 8-bit bytes already decoded); display names have
  /// their encoded words decoded. A group contributes its members; an empty group nothing.
  static func parse(_ text: String, _ decoder: CharsetDecoder, replaced: inout Bool) -> [MailAddress] {
    var result: [MailAddress] = []
    var phrase = ""
    var angle = ""
    var comment = ""
    var hasAngle = false
    var inQuote = false
    var inAngle = false
    var commentDepth = 0
    var escaped = false

    func finish() {
      defer {
        phrase = ""
        angle = ""
        comment = ""
        hasAngle = false
      }
      var address: String
      var name: String
      if hasAngle {
        address = angle
        // An obsolete source route, `<@relay:user@host>`, names the mailbox after the colon.
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
          address = String(address[address.index(after: colon)...])
        }
        name = phrase
      } else {
        let words = phrase.split(whereSeparator: \.isWhitespace)
        if let at = words.lastIndex(where: { $0.contains("@") }), words.count > 1 {
          address = String(words[at])
          name = words.enumerated().filter { $0.offset != at }.map { String($0.element) }.joined(
            separator: " ")
        } else {
          address = words.joined()
          name = ""
        }
      }
      address = address.filter { !$0.isWhitespace }
      guard !address.isEmpty else { return }
      name = collapse(name)
      if name.isEmpty { name = collapse(comment) }
      let decoded = name.isEmpty ? nil : collapse(EncodedWords.decode(name, decoder, replaced: &replaced))
      result.append(MailAddress(name: decoded?.isEmpty == false ? decoded : nil, address: address))
    }

    for character in text {
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
        phrase = ""
        comment = ""
      default: phrase.append(character)
      }
    }
    finish()
    return result
  }

  private static func collapse(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
