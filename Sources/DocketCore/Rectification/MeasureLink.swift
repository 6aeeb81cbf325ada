import Foundation

/// The case items a measure's figure is counted from (`rectify link`): a handover batch, items by
/// reference, or a filter over the ledger that also takes in items registered later.
public enum MeasureLink: Sendable, Equatable {
  case batch(Int64)
  case items([String])
  case filter(CaseFilter)

  public var kind: String {
    switch self {
    case .batch: "batch"
    case .items: "items"
    case .filter: "filter"
    }
  }

  /// As `rectify show` prints it: `batch 3`, `items 2021-X-0001 …`, `filter kind=clue …`.
  public var description: String {
    switch self {
    case .batch(let id): "batch \(id)"
    case .items(let refs): "items " + refs.joined(separator: " ")
    case .filter(let filter): "filter " + filter.description
    }
  }
}

/// A filter over the case ledger as `key=value` words: kind, source, channel, category, unit,
/// batch; a key given twice matches either value.
public struct CaseFilter: Sendable, Equatable {
  public var kinds: [Kind] = []
  public var sources: [Source] = []
  public var channels: [Channel] = []
  public var categories: [String] = []
  public var units: [String] = []
  public var batches: [Int64] = []

  public init() {}

  public static let keys = ["kind", "source", "channel", "category", "unit", "batch"]

  /// Parses `kind=clue source=inspection category=涉警问题`; the error says which word and why.
  public static func parse(_ text: String) throws(VocabularyError) -> CaseFilter {
    var filter = CaseFilter()
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else {
      throw VocabularyError(field: "--filter", value: text, accepted: keys.map { "\($0)=…" })
    }
    for word in words {
      let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[1].isEmpty, keys.contains(parts[0]) else {
        throw VocabularyError(field: "--filter", value: word, accepted: keys.map { "\($0)=…" })
      }
      let value = parts[1]
      switch parts[0] {
      case "kind": filter.kinds.append(try Kind.parsing(value, field: "kind"))
      case "source": filter.sources.append(try Source.parsing(value, field: "source"))
      case "channel": filter.channels.append(try Channel.parsing(value, field: "channel"))
      case "category": filter.categories.append(value)
      case "unit": filter.units.append(value)
      default:
        guard let batch = Int64(value), batch > 0 else {
          throw VocabularyError(field: "batch", value: value, accepted: ["a batch number"])
        }
        filter.batches.append(batch)
      }
    }
    return filter
  }

  /// The words it was parsed from, in a fixed order: it reads back to the same filter.
  public var description: String {
    (kinds.map { "kind=\($0.rawValue)" } + sources.map { "source=\($0.rawValue)" }
      + channels.map { "channel=\($0.rawValue)" } + categories.map { "category=\($0)" }
      + units.map { "unit=\($0)" } + batches.map { "batch=\($0)" }).joined(separator: " ")
  }
}
