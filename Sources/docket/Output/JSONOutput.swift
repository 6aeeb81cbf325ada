import DocketCore
import DocketService
import Foundation

/// Prints one JSON document: snake_case keys, sorted, times in RFC 3339 UTC.
func printJSON(_ value: some Encodable) {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
  encoder.keyEncodingStrategy = .convertToSnakeCase
  encoder.dateEncodingStrategy = .custom { date, encoder in
    var container = encoder.singleValueContainer()
    try container.encode(date.rfc3339)
  }
  let data = (try? encoder.encode(value)) ?? Data("null".utf8)
  write(String(decoding: data, as: UTF8.self) + "\n")
}

/// An item as JSON: the reporter only as `real_name` or `anonymous`.
struct ItemJSON: Encodable {
  var ref: String
  var kind: String
  var source: String
  var channel: String
  var subject: String
  var summary: String
  var category: String?
  var reporter: String
  var receivedAt: Date
  var state: String
  var stateSince: Date
  var unit: String?
  var handler: String?
  var duplicateOf: String?
  var forwardedTo: String?
  var disposal: String?
  var disposalApproved: Bool
  var finding: String?
  var falseAccusation: Bool
  var holdUntil: String?
  var channelDetails: [String: String]
  var accused: [AccusedJSON]
  var registeredBy: String
  var lastEventAt: Date
  var version: Int

  struct AccusedJSON: Encodable {
    var name: String
    var unit: String?
    var rank: String?
  }

  init(_ item: Item) {
    ref = item.ref
    kind = item.kind.rawValue
    source = item.source.rawValue
    channel = item.channel.rawValue
    subject = item.subject
    summary = item.summary
    category = item.category
    reporter = item.reporterKind.rawValue
    receivedAt = item.receivedAt
    state = item.state.rawValue
    stateSince = item.stateSince
    unit = item.unitName
    handler = item.handlerLogin
    duplicateOf = item.duplicateOfRef
    forwardedTo = item.forwardedTo
    disposal = item.disposal?.rawValue
    disposalApproved = item.disposalApproved
    finding = item.finding?.rawValue
    falseAccusation = item.falseAccusation
    holdUntil = item.holdUntil
    channelDetails = item.channelDetails
    accused = item.accused.map { AccusedJSON(name: $0.name, unit: $0.unitName, rank: $0.rank) }
    registeredBy = item.registeredBy
    lastEventAt = item.lastEventAt
    version = item.version
  }
}

/// A journal event as JSON; the payload is included as the object it is.
struct EventJSON: Encodable {
  var seq: Int64
  var ref: String?
  var actor: String
  var event: String
  var effectiveAt: Date
  var recordedAt: Date
  var details: [String: String]
  var hash: String

  init(_ entry: JournalEntry) {
    seq = entry.seq
    ref = entry.itemRef
    actor = entry.actor
    event = entry.event
    effectiveAt = entry.effectiveAt
    recordedAt = entry.recordedAt
    details = (try? JSONDecoder().decode([String: String].self, from: Data(entry.payload.utf8))) ?? [:]
    hash = entry.hash.map { String(format: "%02x", $0) }.joined()
  }
}
