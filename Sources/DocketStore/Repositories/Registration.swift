import DocketCore
import Foundation

/// A new item as the service layer has checked it, ready to be written.
public struct NewItem: Sendable {
  public var ref: String
  public var kind: Kind
  public var source: Source
  public var channel: Channel
  public var subject: String
  public var summary: String
  public var category: String?
  public var reporterKind: ReporterKind
  public var reporterSealed: [UInt8]?
  public var reporterMatch: [[UInt8]]
  public var receivedAt: Date
  public var channelDetails: String
  public var registeredBy: Int
  public var accused: [Accused]
  /// The client's name for the request that registers it, so that the same request again finds it.
  public var requestID: String?

  public init(
    ref: String, kind: Kind, source: Source, channel: Channel, subject: String, summary: String,
    category: String?, reporterKind: ReporterKind, reporterSealed: [UInt8]?, reporterMatch: [[UInt8]],
    receivedAt: Date, channelDetails: String, registeredBy: Int, accused: [Accused], requestID: String? = nil
  ) {
    self.requestID = requestID
    self.ref = ref
    self.kind = kind
    self.source = source
    self.channel = channel
    self.subject = subject
    self.summary = summary
    self.category = category
    self.reporterKind = reporterKind
    self.reporterSealed = reporterSealed
    self.reporterMatch = reporterMatch
    self.receivedAt = receivedAt
    self.channelDetails = channelDetails
    self.registeredBy = registeredBy
    self.accused = accused
  }
}

/// New items as the rows of every table they go into, for ``RegistrationRepository/write(_:)``:
/// the items (in state `registered`, under ids reserved for them) with their clock facts and report
/// periods (``ClockRepository/Worked``), which a new item has from its receipt, their accused, and
/// the closed periods among those, their search documents.
/// One item or two hundred thousand, the same rows.
public struct NewItemRows: Sendable {
  public var items: CopyRows
  public var accused: CopyRows
  public var closures: CopyRows
  /// Their search documents (``SearchDocument``), tokenised here, off the journal's lock.
  public var search: CopyRows

  static let itemColumns = [
    "id", "ref", "kind", "source", "channel", "subject", "summary", "category", "reporter_kind",
    "reporter_sealed", "reporter_match", "received_at", "state", "state_since", "channel_details",
    "registered_by", "last_event_at", "batch_id", "clocks_through", "request_id", "clocks", "holds",
    "periods",
  ]

  /// `worked` gives each item's clock facts, in the order of `newItems`; `batchID` the handover
  /// batch they come in, if any.
  public init(_ newItems: [NewItem], ids: [Int64], batchID: Int64?, worked: [ClockRepository.Worked]) {
    let batch = batchID.map(String.init)
    items = CopyRows(columns: Self.itemColumns)
    accused = CopyRows(columns: ["item_id", "position", "name", "unit_id", "unit_name", "rank"])
    closures = CopyRows(columns: ClockRepository.closureColumns)
    search = CopyRows(columns: ["item_id", "tokens"])
    for ((item, id), facts) in zip(zip(newItems, ids), worked) {
      let columns = facts.columns
      let received = item.receivedAt.rfc3339
      let itemID = String(id)
      items.append([
        itemID, item.ref, item.kind.rawValue, item.source.rawValue, item.channel.rawValue, item.subject,
        item.summary, item.category, item.reporterKind.rawValue, item.reporterSealed.map { "\\x" + $0.hex },
        ByteaArray(item.reporterMatch).literal, received, "registered", received, item.channelDetails,
        String(item.registeredBy), received, batch, facts.through.rfc3339, item.requestID, columns.clocks,
        columns.holds, columns.periods,
      ])
      for closure in facts.closures { closures.append(closure) }
      let document = SearchDocument.item(
        ref: item.ref, subject: item.subject, summary: item.summary,
        accused: item.accused.map { ($0.name, $0.unitName) })
      search.append([itemID, document.vector])
      for (position, person) in item.accused.enumerated() {
        accused.append([
          itemID, String(position + 1), person.name, person.unitID.map(String.init), person.unitName,
          person.rank,
        ])
      }
    }
  }
}

/// Where new items get their numbers and go in: one path for a phone call and for a handover list.
public struct RegistrationRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Reserves `count` reference numbers of one year and kind and returns the first. The counter
  /// row stays locked until commit, so numbers are handed out in order and never twice.
  public func reserveSequences(year: Int, kind: Kind, count: Int = 1) throws(DatabaseError) -> Int {
    let last: Int = try db.first(
      """
      INSERT INTO reference_counters (year, kind, last) VALUES ($1, $2, $3)
      ON CONFLICT (year, kind) DO UPDATE SET last = reference_counters.last + $3
      RETURNING last
      """, [year, kind.rawValue, count])!.decode("last")
    return last - count + 1
  }

  /// Locks the counters of these years and kinds until the transaction ends, in one fixed order,
  /// creating those that are missing. Counters are locked before the journal's head by every
  /// registration; a transaction that may append events before it registers (a mailbox's group)
  /// takes its counters first, so that the order holds there too.
  public func lockCounters(_ keys: [(year: Int, kind: Kind)]) throws(DatabaseError) {
    guard !keys.isEmpty else { return }
    // Sorted and without repeats by the statement itself: ON CONFLICT may not touch a row twice.
    try db.query(
      """
      INSERT INTO reference_counters (year, kind, last)
      SELECT DISTINCT year, kind, 0 FROM unnest($1::integer[], $2::text[]) AS c (year, kind) ORDER BY year, kind
      ON CONFLICT (year, kind) DO UPDATE SET last = reference_counters.last
      """, [TextArray(keys.map { String($0.year) }), TextArray(keys.map(\.kind.rawValue))])
  }

  /// Reserves one reference number of `year` and `kind` and one item id, in one round trip.
  public func reserveOne(year: Int, kind: Kind) throws(DatabaseError) -> (sequence: Int, id: Int64) {
    let row = try db.first(
      """
      WITH counter AS (
        INSERT INTO reference_counters (year, kind, last) VALUES ($1, $2, 1)
        ON CONFLICT (year, kind) DO UPDATE SET last = reference_counters.last + 1
        RETURNING last
      )
      SELECT last, nextval(pg_get_serial_sequence('items', 'id')) AS id FROM counter
      """, [year, kind.rawValue])!
    return (try row.decode("last"), try row.decode("id"))
  }

  /// Draws `count` ids from the items' own sequence, so that new rows go in with their ids and
  /// nothing has to be read back to learn them.
  public func reserveItemIDs(_ count: Int) throws(DatabaseError) -> [Int64] {
    try db.query(
      "SELECT nextval(pg_get_serial_sequence('items', 'id')) AS id FROM generate_series(1, $1)", [count]
    ).map { (row) throws(DatabaseError) in try row.decode("id") }
  }

  /// Writes new items, their accused and closed periods: one statement for a few, COPY into each
  /// table for many.
  public func write(_ rows: NewItemRows) throws(DatabaseError) {
    try db.insert([
      ("items", rows.items), ("accused", rows.accused), ("item_closures", rows.closures),
      ("item_search", rows.search),
    ])
  }
}
