import DocketCore
import DocketStore
import Foundation

/// What `docket search` asks for besides the query.
public struct SearchRequest: Sendable {
  public var query: String
  public var kind: String?
  public var state: String?
  public var unit: String?
  /// Received (or planned) on or after `from`, on or before `to` (office days).
  public var from: CivilDate?
  public var to: CivilDate?
  public var limit = 20

  public init(_ query: String) { self.query = query }
}

/// One result: an item or a rectification measure.
public struct SearchHit: Sendable, Equatable {
  /// Whether it is an item or a measure.
  public enum What: String, Sendable { case item, measure }
  public var what: What
  public var ref: String
  /// An item's kind; nil for a measure.
  public var kind: Kind?
  /// The state's raw value (an item's or a measure's).
  public var state: String
  public var unit: String?
  public var at: Date
  /// The subject (an item) or the measure's text.
  public var title: String
  /// Where a term is, marked 【thus】: in the title, summary or accused persons, else the title's start.
  public var snippet: String
  public var rank: Double
}

/// The hits and how many there were in all.
public struct SearchResults: Sendable {
  public var hits: [SearchHit]
  /// Every match the actor may see, of which `hits` are the best `limit`.
  public var total: Int
}

extension Docket {
  /// 全文检索: the items and measures the actor may see whose texts have every term of the query
  /// and none of its excluded ones, best first. Identities are never in the index, so a reporter's
  /// name finds only what the item's own (redacted) texts say.
  public func search(_ request: SearchRequest, actor login: String?) throws(DocketError) -> SearchResults {
    let actor = try actor(login)
    try require(actor, .readLedger, "search the ledger")
    let query: SearchQuery
    do { query = try SearchQuery(request.query) } catch { throw .invalid("The query \(error.description).") }
    guard (1...500).contains(request.limit) else { throw .invalid("--limit is a number from 1 to 500.") }
    var filter = SearchFilter()
    filter.limit = request.limit
    if let kind = request.kind {
      filter.kind = kind == "measure" ? kind : try Self.typed(Kind.self, kind, "--kind").rawValue
    }
    if let state = request.state {
      if let item = try? ItemState.parsing(state, field: "--state") {
        filter.state = item.rawValue
      } else {
        filter.state = try Self.typed(MeasureState.self, state, "--state").rawValue
      }
    }
    if let unit = request.unit {
      guard try store({ try UnitRepository(db).named(unit) }) != nil else {
        throw .notFound("unit '\(unit)'; list them with 'docket unit list'")
      }
      filter.unit = unit
    }
    if !Permissions.seesAllUnits(actor.roles) {
      guard let own = actor.unitID else { return SearchResults(hits: [], total: 0) }
      filter.scopeUnitID = own
    }
    filter.from = request.from.map { office.time.start(of: $0) }
    filter.to = request.to.map { office.time.start(of: $0.adding(days: 1)) }
    let rows = try store { try SearchRepository(db).search(tsquery: query.tsquery, filter) }
    let wanted = query.wanted
    let hits = rows.map { row in
      SearchHit(
        what: row.what == "measure" ? .measure : .item, ref: row.ref, kind: Kind(rawValue: row.kind),
        state: row.state, unit: row.unit, at: row.at, title: row.title,
        snippet: Snippet.make(row.title, terms: wanted) ?? Snippet.make(row.body, terms: wanted)
          ?? Snippet.make(row.accused, terms: wanted) ?? String(row.title.prefix(2 * Snippet.context)),
        rank: row.rank)
    }
    return SearchResults(hits: hits, total: rows.first?.total ?? 0)
  }

  /// A term of a vocabulary, or the error naming the option and what it accepts.
  static func typed<T: Term>(_ type: T.Type, _ value: String, _ option: String) throws(DocketError) -> T {
    do { return try T.parsing(value, field: option) } catch { throw .from(error) }
  }

  /// Makes the search documents of `ids` again from their texts and journals: after a redaction,
  /// so that no hidden word stays findable, and for items registered before the index was kept.
  func reindexItems(_ ids: [Int64]) throws(DocketError) {
    let texts = try store { try SearchRepository(db).itemTexts(ids) }
    let journals = try store { try JournalRepository(db).entries(itemIDs: ids) }
    for id in ids {
      guard let text = texts[id] else { continue }
      var document = SearchDocument.item(
        ref: text.ref, subject: text.subject, summary: text.summary, accused: text.accused)
      for reply in text.replies { document.add(reply, .other) }
      for entry in journals[id] ?? [] {
        if let note = entry.content.searchText { document.add(note, .other) }
      }
      try store { try SearchRepository(db).setItem(id, document) }
    }
  }

  /// What `docket db migrate` leaves to docket: the search documents of items and measures
  /// written before the index was kept, a batch at a time, with progress.
  func indexMissing(batch: Int = 2_000) throws(DocketError) -> Int {
    let expected = try store { try SearchRepository(db).unindexedItemCount() }
    var total = 0
    while true {
      let done = try transaction { () throws(DocketError) -> Int in
        let ids = try store { try SearchRepository(db).unindexedItems(limit: batch) }
        try reindexItems(ids)
        return ids.count
      }
      total += done
      guard done > 0 else { break }
      advance("search index", "items", done: total, total: max(expected, total))
    }
    if total > 0 {
      advance("search index", "items", done: total, total: max(expected, total), finished: true)
    }
    try transaction { () throws(DocketError) in
      for measure in try store({ try SearchRepository(db).unindexedMeasures() }) {
        try store {
          try SearchRepository(db).setMeasure(
            measure.id, .measure(text: measure.text, problem: measure.problem))
        }
      }
    }
    return total
  }
}
