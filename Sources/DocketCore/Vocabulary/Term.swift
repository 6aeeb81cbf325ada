/// A closed set of values that people name in Chinese or English and code stores in English.
///
/// Every enum a user types on the command line conforms, so that `--kind 检举控告` and
/// `--kind accusation` mean the same thing and an unknown word gets one message listing the choices.
public protocol Term: RawRepresentable, CaseIterable, Sendable, Hashable, Codable
where RawValue == String, AllCases: Collection {
  /// The Chinese label used in reports and letters.
  var chinese: String { get }
  /// Further words accepted on input (abbreviations, older names).
  var aliases: [String] { get }
}

extension Term {
  public var aliases: [String] { [] }

  /// The English code as stored and as printed in JSON.
  public var code: String { rawValue }

  /// The command-line spelling (`not-accept`, `talk-inquiry`).
  public var command: String { rawValue.replacingOccurrences(of: "_", with: "-") }

  /// The label in the requested language.
  public func label(_ language: Language) -> String {
    language == .chinese ? chinese : rawValue.replacingOccurrences(of: "_", with: " ")
  }

  /// Parses a code, a label in either language or an alias; case and `-`/`_`/space are not significant.
  public static func parse(_ text: String) -> Self? {
    let wanted = normalize(text)
    return allCases.first { term in
      normalize(term.rawValue) == wanted || normalize(term.chinese) == wanted
        || term.aliases.contains { normalize($0) == wanted }
    }
  }

  /// Parses like ``parse(_:)`` but throws an error that lists every accepted value.
  public static func parsing(_ text: String, field: String) throws(VocabularyError) -> Self {
    guard let value = parse(text) else {
      throw VocabularyError(
        field: field, value: text,
        accepted: allCases.map { "\($0.rawValue) (\($0.chinese))" })
    }
    return value
  }

  /// Spaces between words count like `-` and `_`, so that an English label ("on hold") reads back.
  private static func normalize(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
      .replacingOccurrences(of: " ", with: "_")
  }
}

/// A word that is none of a vocabulary's values.
public struct VocabularyError: Error, Sendable, Equatable, CustomStringConvertible {
  public let field: String
  public let value: String
  public let accepted: [String]

  public var description: String {
    "\(field) '\(value)' is not known; use one of: \(accepted.joined(separator: ", "))."
  }
}

/// The language of everything a person reads.
public enum Language: String, Sendable, CaseIterable, Codable {
  case chinese = "zh"
  case english = "en"
}
