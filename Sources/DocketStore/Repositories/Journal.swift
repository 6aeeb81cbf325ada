import Crypto
import DocketCore
import Foundation

/// The append-only, hash-chained journal.
///
/// Each event's hash is SHA-256 over the previous event's hash followed by
/// ``JournalEntry/hashedContent``. Appends lock the single `journal_head` row, so events get gapless
/// sequence numbers in commit order and the chain never forks.
public struct JournalRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The hash before the first event.
  public static let genesis = [UInt8](repeating: 0, count: 32)

  /// Appends events inside the caller's transaction, in order, and returns them as stored: the
  /// head is locked, the events chained on and written (one statement for a few, COPY for many, a
  /// slice at a time), and the head moved. The head stays locked until the transaction ends, so a
  /// caller does its slow work first.
  ///
  /// With `expected`, nothing is written and nil returned unless the head's count of policy and
  /// calendar changes is still that (``SettingsRepository/bumpClockGeneration()``). `alongside` are
  /// more statements sent with the last slice and the head (see ``Connection/insert(_:alongside:)``),
  /// their parameters numbered from $3: rows that must be locked after the head, such as the rollup.
  @discardableResult
  public func append(
    _ events: [NewEvent], ifClockGeneration expected: String? = nil,
    alongside: (statements: [String], parameters: [any SQLBindable]) = ([], [])
  ) throws(DatabaseError) -> [JournalEntry]? {
    var (chain, generation) = try lockHead()
    if let expected, expected != generation { return nil }
    var stored: [JournalEntry] = []
    stored.reserveCapacity(events.count)
    for start in stride(from: 0, to: events.count, by: Self.slice) {
      var rows = CopyRows(columns: JournalChain.columns)
      for event in events[start..<min(start + Self.slice, events.count)] {
        let entry = chain.next(event)
        rows.append(JournalChain.row(entry))
        stored.append(entry)
      }
      guard start + Self.slice >= events.count else {
        try db.insert(into: "journal", rows)
        continue
      }
      // The last slice, and the head moved past it: one statement when the events are few.
      try db.insert(
        [("journal", rows)],
        alongside: (
          ["UPDATE journal_head SET seq = $1, hash = $2 WHERE singleton"] + alongside.statements,
          [chain.seq, chain.hash] + alongside.parameters
        ))
    }
    return stored
  }

  /// Appends one event, as ``append(_:)`` appends many.
  @discardableResult
  public func append(
    itemID: Int64?, actor: String, event: String, effectiveAt: Date, payload: String
  ) throws(DatabaseError) -> JournalEntry {
    try append([
      NewEvent(itemID: itemID, actor: actor, event: event, effectiveAt: effectiveAt, payload: payload)
    ])![0]
  }

  /// Events encoded at a time: a slice of a batch's, so that the COPY text stays small.
  static let slice = 5_000

  /// One event to append.
  public struct NewEvent: Sendable {
    public var itemID: Int64?
    public var actor: String
    public var event: String
    public var effectiveAt: Date
    public var payload: String

    public init(itemID: Int64?, actor: String, event: String, effectiveAt: Date, payload: String) {
      self.itemID = itemID
      self.actor = actor
      self.event = event
      self.effectiveAt = effectiveAt
      self.payload = payload
    }
  }

  /// Locks the journal's head for the rest of the transaction and returns where the chain stands,
  /// and the count of policy and calendar changes as the head's latest version holds it.
  private func lockHead() throws(DatabaseError) -> (chain: JournalChain, clockGeneration: String) {
    let head = try db.first(
      """
      SELECT seq, hash, now() AS recorded_at, clock_generation::text AS generation FROM journal_head
      WHERE singleton FOR UPDATE
      """)!
    return (
      JournalChain(
        seq: try head.decode("seq"), hash: try head.decode("hash"), recordedAt: try head.decode("recorded_at")
      ),
      try head.decode("generation")
    )
  }

  /// SHA-256 over the previous hash and the event's content.
  public static func hash(_ entry: JournalEntry) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(data: entry.previousHash)
    hasher.update(data: entry.hashedContent)
    return Array(hasher.finalize())
  }

  /// The events of one item, or of the whole journal, in order.
  /// Events in order, of one item or of all, of the kinds in `events` or of every kind.
  public func entries(
    itemID: Int64? = nil, events: [String]? = nil, limit: Int? = nil
  ) throws(DatabaseError) -> [JournalEntry] {
    try db.query(
      Self.select
        + " WHERE ($1::bigint IS NULL OR j.item_id = $1) AND ($3::text[] IS NULL OR j.event = ANY($3::text[]))"
        + " ORDER BY j.seq LIMIT $2",
      [itemID, limit, events.map(TextArray.init)]
    ).map(Self.entry)
  }

  /// The events of several items, grouped by item, each in order.
  public func entries(itemIDs: [Int64]) throws(DatabaseError) -> [Int64: [JournalEntry]] {
    guard !itemIDs.isEmpty else { return [:] }
    var out: [Int64: [JournalEntry]] = [:]
    for row in try db.query(
      Self.select + " WHERE j.item_id = ANY($1::bigint[]) ORDER BY j.seq",
      [TextArray(itemIDs.map(String.init))])
    {
      let entry = try Self.entry(row)
      if let id = entry.itemID { out[id, default: []].append(entry) }
    }
    return out
  }

  /// Every event in order, from a server-side cursor over the caller's transaction's snapshot:
  /// the server runs the scan once and hands it over ``Walk/pageSize`` events at a time, so a
  /// walk of millions holds one page in memory.
  public func walk() throws(DatabaseError) -> Walk {
    guard db.isInTransaction else {
      throw DatabaseError(
        kind: .statement, message: "a walk of the journal needs a transaction for its cursor")
    }
    try db.execute(count: "DECLARE journal_walk NO SCROLL CURSOR FOR " + Self.select + " ORDER BY j.seq")
    return Walk(db: db)
  }

  /// The journal's events coming off ``JournalRepository/walk()``'s cursor.
  public struct Walk {
    let db: Connection
    /// Events a fetch brings: big enough that the round trips do not count, small enough to stay a few MB.
    public static let pageSize = 5_000
    // FETCH takes no parameters: the count is written in, and it is this constant.
    private static let fetch = "FETCH FORWARD \(pageSize) FROM journal_walk"

    /// The next events in order; empty when the walk is over.
    public func next() throws(DatabaseError) -> [JournalEntry] {
      try db.query(Self.fetch).map(JournalRepository.entry)
    }

    /// Closes the cursor, so that another walk can follow in the same transaction.
    public func close() throws(DatabaseError) {
      try db.execute(count: "CLOSE journal_walk")
    }
  }

  /// The sequence number and hash that the head row says the last event has.
  public func head() throws(DatabaseError) -> (seq: Int64, hash: [UInt8]) {
    let row = try db.first("SELECT seq, hash FROM journal_head WHERE singleton")!
    return (try row.decode("seq"), try row.decode("hash"))
  }

  static let select = """
    SELECT j.seq, j.item_id, i.ref, j.actor, j.event, j.effective_at, j.recorded_at, j.payload,
      j.prev_hash, j.hash
    FROM journal j LEFT JOIN items i ON i.id = j.item_id
    """

  static func entry(_ row: Row) throws(DatabaseError) -> JournalEntry {
    JournalEntry(
      seq: try row.decode("seq"), itemID: try row.optional("item_id"), itemRef: try row.optional("ref"),
      actor: try row.decode("actor"), event: try row.decode("event"),
      effectiveAt: try row.decode("effective_at"), recordedAt: try row.decode("recorded_at"),
      payload: try row.decode("payload"), previousHash: try row.decode("prev_hash"),
      hash: try row.decode("hash"))
  }
}

/// Where the journal's hash chain stands inside a transaction that holds its head.
struct JournalChain {
  /// The last event's sequence number and hash.
  private(set) var seq: Int64
  private(set) var hash: [UInt8]
  /// The transaction's time, which every event it writes records.
  let recordedAt: Date

  static let columns = [
    "seq", "item_id", "actor", "event", "effective_at", "recorded_at", "payload", "prev_hash", "hash",
  ]

  /// Chains `event` on and returns it as it is to be stored.
  mutating func next(_ event: JournalRepository.NewEvent) -> JournalEntry {
    var entry = JournalEntry(
      seq: seq + 1, itemID: event.itemID, itemRef: nil, actor: event.actor, event: event.event,
      effectiveAt: event.effectiveAt.truncatedToMicroseconds, recordedAt: recordedAt, payload: event.payload,
      previousHash: hash, hash: [])
    entry.hash = JournalRepository.hash(entry)
    seq = entry.seq
    hash = entry.hash
    return entry
  }

  /// An entry's row in ``columns``' order.
  static func row(_ entry: JournalEntry) -> [String?] {
    [
      String(entry.seq), entry.itemID.map(String.init), entry.actor, entry.event, entry.effectiveAt.rfc3339,
      entry.recordedAt.rfc3339, entry.payload, "\\x" + entry.previousHash.hex, "\\x" + entry.hash.hex,
    ]
  }
}
