import Foundation

/// The words of a text as the full-text index keeps them, the way Lucene's CJK analyzer splits
/// Chinese: PostgreSQL's parsers do not split Chinese into words, and pg_trgm cannot use its index
/// for terms under three characters, so the tokens are made here and stored as a `tsvector`.
///
/// The text is first brought to NFKC and lower case, so that full- and half-width forms (`ＪＢ`,
/// `２０２１`) and upper and lower case are one. A run of Chinese (or Japanese, Korean) characters
/// gives each character and each overlapping pair of characters (收受红包: 收 受 红 包, 收受 受红
/// 红包), the pair at its first character's position, so that a one-character term (砂) finds
/// the character and a longer one (烟花爆竹) is the phrase of its pairs. Other letters and digits
/// give words (a reference number 2021-JB-00003 is the words 2021 jb 00003, in a row).
public enum SearchTokens {
  /// One word of the index and its position in the text (from 0).
  public struct Token: Sendable, Equatable {
    public var lexeme: String
    public var position: Int
  }

  /// The text as the index compares it: NFKC, lower case.
  public static func normalized(_ text: String) -> String {
    text.precomposedStringWithCompatibilityMapping.lowercased()
  }

  /// The tokens of `text`, positions counted from 0; a run of anything else than letters and
  /// digits counts as one position, so that a phrase does not run across punctuation.
  public static func tokens(_ text: String) -> [Token] {
    var tokens: [Token] = []
    var position = 0
    var word = ""
    var previousIdeograph: Character?
    var separated = false
    func endWord() {
      guard !word.isEmpty else { return }
      tokens.append(Token(lexeme: word, position: position))
      position += 1
      word = ""
    }
    for character in normalized(text) {
      if isIdeograph(character) {
        endWord()
        if separated { position += 1 }
        separated = false
        tokens.append(Token(lexeme: String(character), position: position))
        if let previous = previousIdeograph {
          tokens.append(Token(lexeme: String([previous, character]), position: position - 1))
        }
        previousIdeograph = character
        position += 1
      } else if character.isLetter || character.isNumber {
        previousIdeograph = nil
        if word.isEmpty, separated { position += 1 }
        separated = false
        word.append(character)
      } else {
        endWord()
        previousIdeograph = nil
        separated = true
      }
    }
    endWord()
    return tokens
  }

  /// Whether the character is written without spaces between words: Han ideographs, kana, Hangul.
  public static func isIdeograph(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first else { return false }
    switch scalar.value {
    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return true
    case 0x3040...0x30FF, 0x31F0...0x31FF: return true
    case 0xAC00...0xD7AF: return true
    case 0x3007: return true  // 〇
    default: return false
    }
  }
}

/// How much a field counts in the ranking: the subject most, then the accused persons, the summary,
/// and the rest (email text, notes). PostgreSQL's weights A to D.
public enum SearchWeight: String, Sendable {
  case subject = "A"
  case accused = "B"
  case summary = "C"
  case other = "D"
}

/// The texts of one item or measure, weighted, as one `tsvector` value in PostgreSQL's text form.
/// It is passed as a parameter and cast, never spliced into SQL.
public struct SearchDocument: Sendable, Equatable {
  public private(set) var fields: [(text: String, weight: SearchWeight)] = []

  public init() {}

  /// An item's document: its reference number, subject and summary, its accused persons' names
  /// and units.
  public static func item(
    ref: String, subject: String, summary: String, accused: [(name: String, unit: String?)]
  ) -> SearchDocument {
    var document = SearchDocument()
    document.add(ref, .subject)
    document.add(subject, .subject)
    for person in accused {
      document.add(person.name, .accused)
      if let unit = person.unit { document.add(unit, .accused) }
    }
    document.add(summary, .summary)
    return document
  }

  /// A rectification measure's document: its text, and the problem it rectifies.
  public static func measure(text: String, problem: String) -> SearchDocument {
    var document = SearchDocument()
    document.add(text, .subject)
    document.add(problem, .summary)
    return document
  }

  public mutating func add(_ text: String, _ weight: SearchWeight) {
    guard !text.isEmpty else { return }
    fields.append((text, weight))
  }

  public var isEmpty: Bool { fields.isEmpty }

  /// PostgreSQL keeps positions up to 16383 and 256 of them per word.
  static let maxPosition = 16_383
  static let maxPositionsPerLexeme = 256

  /// The `tsvector` text form: `'红包':3A,9C '砂':5B`. Fields follow one another with a gap, so
  /// that a phrase does not run from one into the next.
  public var vector: String {
    var positions: [String: [(Int, SearchWeight)]] = [:]
    var order: [String] = []
    var offset = 1
    for field in fields {
      var last = 0
      for token in SearchTokens.tokens(field.text) {
        let position = min(offset + token.position, Self.maxPosition)
        last = max(last, token.position)
        if positions[token.lexeme] == nil { order.append(token.lexeme) }
        if positions[token.lexeme, default: []].count < Self.maxPositionsPerLexeme,
          positions[token.lexeme]?.last?.0 != position
        {
          positions[token.lexeme, default: []].append((position, field.weight))
        }
      }
      offset += last + 2
    }
    return order.map { lexeme in
      SearchQuery.quoted(lexeme) + ":"
        + positions[lexeme]!.map { "\($0.0)\($0.1.rawValue)" }.joined(separator: ",")
    }.joined(separator: " ")
  }
}

extension SearchDocument {
  public static func == (lhs: SearchDocument, rhs: SearchDocument) -> Bool {
    lhs.fields.map(\.text) == rhs.fields.map(\.text) && lhs.fields.map(\.weight) == rhs.fields.map(\.weight)
  }
}
