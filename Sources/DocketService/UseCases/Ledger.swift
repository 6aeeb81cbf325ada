import DocketCore
import DocketStore
import Foundation

/// Filters of `docket list`, as names a person types; resolved against the database.
public struct LedgerQuery: Sendable {
  public var states: [ItemState] = []
  public var kinds: [Kind] = []
  public var sources: [Source] = []
  public var channels: [Channel] = []
  public var unit: String?
  public var receivedFrom: Date?
  public var receivedBefore: Date?
  /// Only the items of this handover batch.
  public var batchID: Int64?
  public var limit: Int?
  /// Only items with a running clock at one of these warnings (its worst one).
  public var warnings: [Warning] = []
  /// Only items whose text may still identify someone (email text with a phone number, an ID number
  /// or an email address left in it), for the registrar's screening.
  public var mayIdentify = false
  /// Only items with a running clock past its due day.
  public var overdue = false
  /// The moment warnings are judged at; nil means now.
  public var asOf: Date?
  public init() {}
}

/// One item with its journal and its deadline clocks, for `docket show`.
public struct ItemHistory: Sendable {
  public var item: Item
  public var events: [JournalEntry]
  public var clocks: [ItemClock]
  /// The files its email brought (the first message's and the replies'), in arrival order.
  public var attachments: [ItemAttachment] = []
}

/// A file an email brought to an item, stored once by its SHA-256.
public struct ItemAttachment: Sendable {
  public var filename: String?
  public var contentType: String
  public var size: Int64
  public var sha256: String
}

extension Docket {
  /// The ledger (台账): every matching item, oldest first.
  public func list(_ query: LedgerQuery, actor login: String?) throws(DocketError) -> [Item] {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the ledger")
    var filter = ItemFilter()
    filter.states = query.states
    filter.kinds = query.kinds
    filter.sources = query.sources
    filter.channels = query.channels
    filter.batchID = query.batchID
    filter.mayIdentify = query.mayIdentify
    filter.receivedFrom = query.receivedFrom
    filter.receivedBefore = query.receivedBefore
    let byClock = !query.warnings.isEmpty || query.overdue
    // A clock filter decides after the query, so the limit must too.
    filter.limit = byClock ? nil : query.limit
    if let name = query.unit {
      guard let unit = try store({ try UnitRepository(db).named(name) }) else {
        throw .notFound("unit '\(name)'; list them with 'docket unit list'")
      }
      filter.unitID = unit.id
    }
    if !Permissions.seesAllUnits(actor.roles) {
      // A handler's ledger is their unit's items, whatever else the query names.
      guard let own = actor.unitID, filter.unitID == nil || filter.unitID == own else { return [] }
      filter.unitID = own
    }
    guard byClock else { return try store { try ItemRepository(db).list(filter) } }
    // One snapshot, so the items and their clocks agree even while someone moves one.
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let items = try store { try ItemRepository(db).list(filter) }
      let stored = try store { try ClockRepository(db).running(itemIDs: items.map(\.id)) }
      let clocks = try runningClocks(
        of: items.map(ItemSummary.init), stored: stored, engine: try clockEngine(),
        asOf: query.asOf ?? now())
      let matching = zip(items, clocks).filter { _, clocks in
        let worst = clocks.map(\.warning).max() ?? .none
        return (query.warnings.isEmpty || query.warnings.contains(worst)) && (!query.overdue || worst == .red)
      }.map(\.0)
      return query.limit.map { Array(matching.prefix($0)) } ?? matching
    }
  }

  /// One item and every event of its journal.
  public func show(_ ref: String, actor login: String?) throws(DocketError) -> ItemHistory {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the ledger")
    // One snapshot, so the item and its journal agree even while someone moves it.
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
        throw .notFound("item \(ref)")
      }
      try requireSees(item, actor)
      let events = try store { try JournalRepository(db).entries(itemID: item.id) }
      let clocks = clocks(of: item, events: events, engine: try clockEngine(), asOf: now())
      let attachments = try store { try AttachmentRepository(db).list(itemID: item.id) }.map {
        ItemAttachment(
          filename: $0.filename, contentType: $0.contentType, size: $0.size, sha256: $0.sha256.hex)
      }
      return ItemHistory(item: item, events: events, clocks: clocks, attachments: attachments)
    }
  }

  /// Counts by kind and state, for the demo and a quick overview.
  public func countsByKindAndState(actor login: String?) throws(DocketError) -> [(
    kind: Kind, state: ItemState, count: Int
  )] {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the ledger")
    return try store { try ItemRepository(db).countsByKindAndState() }
  }
}
