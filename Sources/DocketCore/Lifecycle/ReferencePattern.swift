import Foundation

/// How reference numbers look: a pattern such as `{year}-{code}-{seq:5}` gives `2021-XF-00251`.
///
/// Placeholders: `{year}`, `{yy}`, `{code}` (the kind's letters), `{kind}` (its English code) and
/// `{seq}` or `{seq:N}` (the yearly number per kind, zero-padded to N digits). `{seq}` is required,
/// and so are `{year}` or `{yy}` and `{code}` or `{kind}`, since each kind is numbered from 1 each year.
public struct ReferencePattern: Sendable, Equatable, CustomStringConvertible {
  public let pattern: String

  public static let standard = ReferencePattern(unchecked: "{year}-{code}-{seq:5}")

  private init(unchecked pattern: String) { self.pattern = pattern }

  public init(_ pattern: String) throws(ValidationError) {
    self.pattern = pattern
    let probe = format(year: 2021, kind: .petition, sequence: 1)
    let widths = pattern.components(separatedBy: "{seq:").dropFirst().map { $0.prefix { $0 != "}" } }
    guard pattern.contains("{seq"), pattern.contains("{year}") || pattern.contains("{yy}"),
      pattern.contains("{code}") || pattern.contains("{kind}"),
      !probe.contains("{"), !probe.contains("}"),
      widths.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) })
    else {
      throw ValidationError(
        field: "reference pattern", value: pattern,
        problem:
          "needs {seq} or {seq:N}, {year} or {yy}, and {code} or {kind} (numbers run per year and kind), and no other placeholders",
        expected: "for example {year}-{code}-{seq:5}")
    }
  }

  public func format(year: Int, kind: Kind, sequence: Int) -> String {
    var out =
      pattern
      .replacingOccurrences(of: "{year}", with: String(year))
      .replacingOccurrences(of: "{yy}", with: String(format: "%02d", year % 100))
      .replacingOccurrences(of: "{code}", with: kind.referenceCode)
      .replacingOccurrences(of: "{kind}", with: kind.rawValue)
      .replacingOccurrences(of: "{seq}", with: String(sequence))
    while let open = out.range(of: "{seq:"),
      let close = out[open.upperBound...].firstIndex(of: "}")
    {
      let width = Int(out[open.upperBound..<close]) ?? 1
      let digits = String(sequence)
      let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
      out.replaceSubrange(open.lowerBound...close, with: padded)
    }
    return out
  }

  /// The substrings of `text` shaped like a reference number of this pattern (a reply's subject,
  /// `Re: 关于2021-JB-00001的补充材料`), for looking up the item they name.
  public func candidates(in text: String) -> [String] {
    var regex = "(?<![A-Za-z0-9])"
    var rest = Substring(pattern)
    while let open = rest.firstIndex(of: "{") {
      regex += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
      guard let close = rest[open...].firstIndex(of: "}") else { break }
      let placeholder = rest[rest.index(after: open)..<close]
      switch placeholder {
      case "year": regex += "[0-9]{4}"
      case "yy": regex += "[0-9]{2}"
      case "code": regex += "[A-Z]{2}"
      case "kind": regex += "[a-z]+"
      default: regex += "[0-9]+"
      }
      rest = rest[rest.index(after: close)...]
    }
    regex += NSRegularExpression.escapedPattern(for: String(rest)) + "(?![0-9])"
    guard let expression = try? NSRegularExpression(pattern: regex) else { return [] }
    let range = NSRange(text.startIndex..., in: text)
    return expression.matches(in: text, range: range).compactMap {
      Range($0.range, in: text).map { String(text[$0]) }
    }
  }

  public var description: String { pattern }
}
