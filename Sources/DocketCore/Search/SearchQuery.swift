/// What a person typed into `docket search`: terms that must all be there, `"quoted phrases"`
/// (or “these”),
/// and `-term` for what must not be. Each term is matched as the phrase of its tokens
/// (``SearchTokens``), so `红包`, `砂`, `烟花爆竹`, `2021-JB-00003` and `ＪＢ` all work.
public struct SearchQuery: Sendable, Equatable {
  /// One term as typed (normalised), and whether it excludes.
  public struct Term: Sendable, Equatable {
    public var text: String
    public var excluded: Bool
  }

  public var terms: [Term]

  /// The terms a hit has, for marking them in a snippet.
  public var wanted: [String] { terms.filter { !$0.excluded }.map(\.text) }

  /// Reads a query; the error says what is wrong with it.
  public init(_ text: String) throws(SearchQueryError) {
    var terms: [Term] = []
    var rest = Substring(SearchTokens.normalized(text))
    while let first = rest.first {
      if first.isWhitespace {
        rest = rest.dropFirst()
        continue
      }
      var excluded = false
      if first == "-" {
        excluded = true
        rest = rest.dropFirst()
      }
      let term: Substring
      if let open = rest.first, open == "\"" || open == "“" {
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(where: { $0 == "\"" || $0 == "”" }) else { throw .unclosedQuote }
        term = rest[..<close]
        rest = rest[rest.index(after: close)...]
      } else {
        let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
        term = rest[..<end]
        rest = rest[end...]
      }
      let trimmed = term.trimmingCharacters(in: .whitespaces)
      guard !SearchTokens.tokens(trimmed).isEmpty else {
        if trimmed.isEmpty && !excluded { continue }
        throw .nothingToFind(String(term))
      }
      terms.append(Term(text: trimmed, excluded: excluded))
    }
    guard terms.contains(where: { !$0.excluded }) else { throw .noTerm }
    self.terms = terms
  }

  /// The query in PostgreSQL's `tsquery` text form, passed as a parameter and cast: the terms
  /// joined with `&`, each a phrase of its tokens (`'收受' <-> '受红' <-> '红包'`), an excluded one
  /// negated.
  public var tsquery: String {
    terms.map { term in
      let phrase = Self.phrase(term.text)
      return term.excluded ? "!(\(phrase))" : "(\(phrase))"
    }.joined(separator: " & ")
  }

  /// A term's tokens as a phrase: the pairs of a run of two or more Chinese characters (each pair
  /// stands for its two characters), a lone character, the words; each after the one before at
  /// the distance the index put them.
  static func phrase(_ text: String) -> String {
    let tokens = SearchTokens.tokens(text)
    // A run's single characters are covered by its pairs; a character alone stays.
    let pairStarts = Set(tokens.filter { $0.lexeme.count == 2 && isPair($0.lexeme) }.map(\.position))
    let chosen = tokens.filter { token in
      if isPair(token.lexeme) { return true }
      guard token.lexeme.count == 1, SearchTokens.isIdeograph(token.lexeme.first!) else { return true }
      return !pairStarts.contains(token.position) && !pairStarts.contains(token.position - 1)
    }
    var parts: [String] = []
    var previous: Int?
    for token in chosen {
      if let previous {
        parts.append(token.position - previous == 1 ? "<->" : "<\(token.position - previous)>")
      }
      parts.append(quoted(token.lexeme))
      previous = token.position
    }
    return parts.joined(separator: " ")
  }

  /// Whether a token is a pair of ideographs.
  static func isPair(_ lexeme: String) -> Bool {
    lexeme.count == 2 && lexeme.allSatisfy(SearchTokens.isIdeograph)
  }

  /// A lexeme quoted for the `tsvector` and `tsquery` text forms.
  public static func quoted(_ lexeme: String) -> String {
    "'" + lexeme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
  }
}

/// Why a query cannot be searched for.
public enum SearchQueryError: Error, Sendable, Equatable, CustomStringConvertible {
  case unclosedQuote
  case nothingToFind(String)
  case noTerm

  public var description: String {
    switch self {
    case .unclosedQuote: "the query has a \" with no closing \"; close the phrase or leave the quote out"
    case .nothingToFind(let term): "'\(term)' has no letter, digit or Chinese character to search for"
    case .noTerm: "the query excludes terms but names none to find; give at least one term without a -"
    }
  }
}
