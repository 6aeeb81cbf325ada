import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Appends a journal event whose payload is a flat map of strings, in canonical JSON.
  @discardableResult
  func journal(
    item: Int64?, actor: String, event: String, at: Date, payload: [String: String?]
  ) throws(DocketError) -> JournalEntry {
    var payload = payload
    if let by = enteredBy(actor) { payload["entered_by"] = by }
    let text = Self.canonicalJSON(payload.compactMapValues { $0 })
    return try store {
      try JournalRepository(db).append(
        itemID: item, actor: actor, event: event, effectiveAt: at, payload: text)
    }
  }

  /// JSON with sorted keys and no escaped slashes or non-ASCII, so the same map always hashes the same.
  static func canonicalJSON(_ object: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
  }
}
