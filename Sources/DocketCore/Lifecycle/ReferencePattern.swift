import Foundation

/// How reference numbers look: a pattern such as `{year}-{code}-{seq:5}` gives `2021-XF-00251`.
///
/// Placeholders: `{year}`, `{yy}`, `{code}` (the kind's letters), `{kind}` (its English code) and
/// `{seq}` or `{seq:N}` (the yearly number per kind, zero-padded to N digits). `{seq}` is required,
/// and so are `{year}` or `{yy}` and `{code}` or `{kind}`, since each kind is numbered from 1 each year.
public struct ReferencePattern: Sendable, Equatable, CustomStringConvertible {
  public let pattern: String

  /// The pattern cut into literal text and placeholders once, since a batch formats thousands.
  private let segments: [Segment]

  private enum Segment: Equatable {
    case literal(String), year, yy, code, kind, sequence(width: Int)
  }

  public static let standard = ReferencePattern(unchecked: "{year}-{code}-{seq:5}")

  private init(unchecked pattern: String) {
    self.pattern = pattern
    self.segments = Self.segments(pattern)
  }

  public init(_ pattern: String) throws(FieldError) {
    self.pattern = pattern
    self.segments = Self.segments(pattern)
    let probe = format(year: 2021, kind: .petition, sequence: 1)
    let widths = pattern.components(separatedBy: "{seq:").dropFirst().map { $0.prefix { $0 != "}" } }
    guard pattern.contains("{seq"), pattern.contains("{year}") || pattern.contains("{yy}"),
      pattern.contains("{code}") || pattern.contains("{kind}"),
      !probe.contains("{"), !probe.contains("}"),
      widths.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) })
    else {
      throw FieldError(
        field: "reference pattern", value: pattern,
        problem:
          "needs {seq} or {seq:N}, {year} or {yy}, and {code} or {kind} (numbers run per year and kind), and no other placeholders",
        expected: "for example {year}-{code}-{seq:5}")
    }
  }

  public func format(year: Int, kind: Kind, sequence: Int) -> String {
    var out = ""
    for segment in segments {
      switch segment {
      case .literal(let text): out += text
      case .year: out += String(year)
      case .yy:
        let yy = year % 100
        out += yy < 10 ? "0\(yy)" : String(yy)
      case .code: out += kind.referenceCode
      case .kind: out += kind.rawValue
      case .sequence(let width):
        let digits = String(sequence)
        if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
        out += digits
      }
    }
    return out
  }

  /// Unknown placeholders stay literal, so that the check in ``init(_:)`` sees and refuses them.
  private static func segments(_ pattern: String) -> [Segment] {
    var segments: [Segment] = []
    var rest = Substring(pattern)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      if open > rest.startIndex { segments.append(.literal(String(rest[..<open]))) }
      let name = rest[rest.index(after: open)..<close]
      switch name {
      case "year": segments.append(.year)
      case "yy": segments.append(.yy)
      case "code": segments.append(.code)
      case "kind": segments.append(.kind)
      case "seq": segments.append(.sequence(width: 1))
      default:
        if name.hasPrefix("seq:"), let width = Int(name.dropFirst(4)) {
          segments.append(.sequence(width: width))
        } else {
          segments.append(.literal(String(rest[open...close])))
        }
      }
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { segments.append(.literal(String(rest))) }
    return segments
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
