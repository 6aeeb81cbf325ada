import Foundation

/// Takes a reporter's known identity out of text that is stored and shown in plain (a subject, a
/// summary, an email's text, an attachment's file name), before it is stored: each occurrence of
/// their name, phone number in any common written form, email address, ID number or address
/// becomes ``marker``. The original wording is sealed with the identity; only the redacted text is
/// ever in plain (issue 16).
///
/// Matching is by what was given, not by guessing: a name is redacted where it is written, also
/// with spaces between its characters; a phone number wherever its digits are written, in ASCII or
/// full-width digits, with or without +86 or 0086, spaces, dashes, dots or the area code in
/// brackets; an ID number with or without spaces, its final X in either case; an email address in
/// any case. Other text is left exactly as it was.
public struct Redactor: Sendable {
  /// What replaces each identifying value.
  public static let marker = "〔举报人信息已隐去〕"

  private let names: [String]
  private let phoneDigits: Set<String>
  private let idNumber: String?
  private let email: String?
  private let addressParts: [String]
  private let tells: [[[UInt8]]]

  public init(_ identity: ReporterIdentity) {
    // A one-character "name" would take that character out of every word it is in.
    names = [identity.name].compactMap { $0?.trimming(.whitespaces) }.filter { $0.count >= 2 }
    phoneDigits = identity.phone.map(Self.phoneForms) ?? []
    idNumber = identity.idNumber.map { $0.uppercased() }
    email = identity.email?.lowercased()
    // An address whole, and, when a postcode was appended to it after a space (as intake does with a
    // letter's return address), the address and the postcode each on their own. Words within an
    // address are not taken out one by one: "Room" or "东街" alone would go from every text.
    let address = identity.address?.trimming(.whitespaces) ?? ""
    var parts = [address]
    if let space = address.lastIndex(where: { $0 == " " || $0 == "\u{3000}" }) {
      let postcode = address[address.index(after: space)...]
      if postcode.count == 6, postcode.allSatisfy(\.isASCIIDigit) {
        parts += [String(address[..<space]).trimming(.whitespaces), String(postcode)]
      }
    }
    addressParts = parts.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    tells = Self.tells(
      names: names, addressParts: addressParts, hasEmail: email != nil,
      numbers: Array(phoneDigits) + [idNumber].compactMap { $0 })
  }

  /// Whether there is anything to look for.
  public var isEmpty: Bool {
    names.isEmpty && phoneDigits.isEmpty && idNumber == nil && email == nil && addressParts.isEmpty
  }

  /// `text` with every identifying value replaced by ``marker``, and whether anything was.
  public func redact(_ text: String) -> (text: String, changed: Bool) {
    guard !isEmpty, !text.isEmpty, mayContain(text) else { return (text, false) }
    var characters = Array(text)
    var changed = false
    func replace(_ ranges: [Range<Int>]) {
      // Last first, so that earlier offsets stay right.
      for range in ranges.sorted(by: { $0.lowerBound > $1.lowerBound }) {
        characters.replaceSubrange(range, with: Array(Self.marker))
        changed = true
      }
    }
    if let email { replace(Self.occurrences(of: Array(email), in: characters, ignoringCase: true)) }
    for part in addressParts {
      // A postcode (all digits) only where it stands as a number of its own, not inside a longer one.
      let digitsOnly = part.allSatisfy(\.isASCIIDigit)
      replace(
        Self.occurrences(of: Array(part), in: characters, ignoringCase: false).filter { range in
          !digitsOnly
            || (range.lowerBound == 0 || Self.digit(characters[range.lowerBound - 1]) == nil)
              && (range.upperBound == characters.count || Self.digit(characters[range.upperBound]) == nil)
        })
    }
    for name in names { replace(Self.spacedOccurrences(of: Array(name), in: characters)) }
    if !phoneDigits.isEmpty || idNumber != nil { replace(numberRuns(in: characters)) }
    return (String(characters), changed)
  }

  /// A check on the bytes, before any Character is made: a handover list redacts hundreds of
  /// thousands of summaries, and nearly none holds its reporter's details. Each value's tell is a
  /// part that every written form of it contains as it is: a name's first character, an address's
  /// first two, an email's @, the last four digits of a phone or ID number (ASCII or full-width).
  private func mayContain(_ text: String) -> Bool {
    tells.contains { tell in tell.contains { Self.contains(text.utf8, $0) } }
  }

  /// For each value, the byte strings of which one must be in a text that holds it.
  private static func tells(
    names: [String], addressParts: [String], hasEmail: Bool, numbers: [String]
  ) -> [[[UInt8]]] {
    var tells: [[[UInt8]]] = names.map { [Array(String($0.prefix(1)).utf8)] }
    tells += addressParts.map { [Array(String($0.prefix(2)).utf8)] }
    if hasEmail { tells.append([Array("@".utf8), Array("＠".utf8)]) }
    for digits in numbers.map({ String($0.suffix(4)) }) {
      var forms = [digits, fullWidth(digits)]
      if digits.hasSuffix("X") {
        forms += [String(digits.dropLast()) + "x", fullWidth(String(digits.dropLast())) + "x"]
      }
      tells.append(forms.map { Array($0.utf8) })
    }
    return tells
  }

  private static func fullWidth(_ digits: String) -> String {
    String(
      String.UnicodeScalarView(
        digits.unicodeScalars.map {
          (48...57).contains($0.value) ? Unicode.Scalar($0.value - 48 + 0xFF10)! : $0
        }))
  }

  private static func contains(_ haystack: String.UTF8View, _ needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    var index = haystack.startIndex
    while let found = haystack[index...].firstIndex(of: first) {
      if haystack[found...].starts(with: needle) { return true }
      index = haystack.index(after: found)
    }
    return false
  }

  // MARK: numbers

  /// The spans of `text` whose digits are the phone number or the ID number, each bounded by
  /// something that is not part of a number.
  private func numberRuns(in text: [Character]) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var index = 0
    while index < text.count {
      guard Self.digit(text[index]) != nil || Self.opensNumber(text, at: index) else {
        index += 1
        continue
      }
      // A run: digits with the separators people write between them.
      var end = index
      var last = index
      while end < text.count, Self.digit(text[end]) != nil || Self.separators.contains(text[end]) {
        if Self.digit(text[end]) != nil || "Xx)）".contains(text[end]) { last = end }
        end += 1
      }
      found += matches(in: text, run: index..<(last + 1))
      index = max(end, index + 1)
    }
    return found
  }

  /// Sub-spans of one run that start and end on a digit and whose digits match, longest first.
  private func matches(in text: [Character], run: Range<Int>) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var start = run.lowerBound
    while start < run.upperBound {
      // A match starts where a number starts: after a non-digit, or at the run's start.
      let startsNumber =
        start == run.lowerBound || Self.digit(text[start - 1]) == nil && Self.digit(text[start]) != nil
      guard startsNumber else {
        start += 1
        continue
      }
      var digits = ""
      var matchEnd: Int?
      var position = start
      while position < run.upperBound {
        if let digit = Self.digit(text[position]) {
          digits.append(digit)
        } else if text[position] == "X" || text[position] == "x" {
          digits.append("X")
        }
        // A match ends on a digit (or an ID number's X), never on the bracket after it.
        let onDigit = Self.digit(text[position]) != nil || text[position] == "X" || text[position] == "x"
        let endsNumber = position + 1 == run.upperBound || Self.digit(text[position + 1]) == nil
        if onDigit && endsNumber && (phoneDigits.contains(digits) || digits == idNumber) {
          matchEnd = position + 1
        }
        position += 1
      }
      if let matchEnd {
        // An opening bracket belongs to the number only when it closes inside it, around an area
        // code: "(0759)8814115" goes whole, "(13912345678)" keeps its brackets.
        let opens = "(（".contains(text[start]) && !text[start..<matchEnd].contains { ")）".contains($0) }
        found.append((opens ? start + 1 : start)..<matchEnd)
        start = matchEnd
      } else {
        start += 1
      }
    }
    return found
  }

  /// The digit strings a normalised phone number (``Contact/phone(_:)``) is written as: all its
  /// digits, with the country code before them, and a landline's local number alone.
  static func phoneForms(_ phone: String) -> Set<String> {
    let groups = phone.split(separator: "-").map(String.init)
    let digits = groups.joined()
    guard digits.count >= 7 else { return [] }
    var forms: Set<String> = [digits]
    let national = digits.hasPrefix("0") ? String(digits.dropFirst()) : digits
    forms.insert("86" + national)
    forms.insert("0086" + national)
    // 0371-65123456(-801): the local number alone, with and without its extension.
    if digits.hasPrefix("0"), groups.count >= 2, groups[1].count >= 7 {
      forms.insert(groups[1])
      if groups.count == 3 { forms.insert(groups[1] + groups[2]) }
    }
    return forms
  }

  static let separators: Set<Character> = [
    " ", "\u{3000}", "-", "－", "—", ".", "(", ")", "（", "）", "+", "＋", "X", "x",
  ]

  /// Whether a number starts here with a bracket or a plus: (0371)…, +86 …, (+86)….
  private static func opensNumber(_ text: [Character], at index: Int) -> Bool {
    let openers: Set<Character> = ["+", "＋", "(", "（"]
    var next = index
    while next < text.count, next < index + 2, openers.contains(text[next]) { next += 1 }
    return next > index && next < text.count && digit(text[next]) != nil
  }

  /// An ASCII or full-width digit, as ASCII.
  static func digit(_ character: Character) -> Character? {
    guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return nil }
    switch scalar.value {
    case 0x30...0x39: return character
    case 0xFF10...0xFF19: return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
    default: return nil
    }
  }

  // MARK: words

  static func occurrences(of needle: [Character], in text: [Character], ignoringCase: Bool) -> [Range<Int>] {
    guard !needle.isEmpty, needle.count <= text.count else { return [] }
    // An email address is ASCII: lower-casing it needs no String.
    func lower(_ c: Character) -> Character {
      guard let ascii = c.asciiValue, (65...90).contains(ascii) else { return c }
      return Character(Unicode.Scalar(ascii + 32))
    }
    func same(_ a: Character, _ b: Character) -> Bool { ignoringCase ? lower(a) == lower(b) : a == b }
    var found: [Range<Int>] = []
    var start = 0
    while start + needle.count <= text.count {
      if (0..<needle.count).allSatisfy({ same(text[start + $0], needle[$0]) }) {
        found.append(start..<(start + needle.count))
        start += needle.count
      } else {
        start += 1
      }
    }
    return found
  }

  /// A name as written, or with a space (ASCII or ideographic) between its characters: 张 三.
  static func spacedOccurrences(of name: [Character], in text: [Character]) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var start = 0
    outer: while start < text.count {
      var position = start
      for (index, character) in name.enumerated() {
        if index > 0, position < text.count, text[position] == " " || text[position] == "\u{3000}" {
          position += 1
        }
        guard position < text.count, text[position] == character else {
          start += 1
          continue outer
        }
        position += 1
      }
      found.append(start..<position)
      start = position
    }
    return found
  }
}
