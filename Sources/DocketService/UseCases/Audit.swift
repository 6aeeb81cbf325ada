import Dispatch
import DocketCore
import DocketStore
import Foundation
import Synchronization

/// The outcome of walking the journal's hash chain and working each item's state out of it again.
public struct JournalVerification: Sendable {
  /// An item whose stored state or running clocks are not what its events lead to: changed
  /// without them.
  public struct Disagreement: Sendable, Equatable {
    public var ref: String
    /// `state` or `clocks`.
    public var field: String
    public var stored: String
    /// What its events say.
    public var journal: String

    public init(ref: String, field: String, stored: String, journal: String) {
      self.ref = ref
      self.field = field
      self.stored = stored
      self.journal = journal
    }
  }
  /// Events checked before the walk stopped.
  public var checked: Int
  /// The first event that does not match, with why; nil when the whole chain holds.
  public var firstBroken: (seq: Int64, reason: String)?
  /// Items that disagree with their events; worked out only when the chain holds.
  public var disagreements: [Disagreement] = []
  public var isIntact: Bool { firstBroken == nil && disagreements.isEmpty }
}

extension Docket {
  /// Walks the whole chain from the first event: each event must follow its predecessor's sequence
  /// number and hash, and hash to what it says; the head row must name the last event. Then each
  /// item's state and running clocks (with its holds) as its events leave them are held against the
  /// stored ones: a row changed by raw SQL beside an unrelated event (which the database's check of
  /// journaled writes would let through) disagrees with its own events.
  public func verifyJournal(actor login: String?) throws(DocketError) -> JournalVerification {
    let actor = try actor(login)
    try require(actor, .readJournal, "verify the journal")
    // One snapshot for the whole walk: events appended meanwhile must not look like a gap.
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in try walkJournal() }
  }

  private func walkJournal() throws(DocketError) -> JournalVerification {
    let journal = JournalRepository(db)
    var previous = (seq: Int64(0), hash: JournalRepository.genesis)
    var checked = 0
    var states: [Int64: ItemState] = [:]
    // Only the events clocks read are kept per item: on a ledger of registrations, few.
    var clockEntries: [Int64: [JournalEntry]] = [:]
    // Read once: the walk's snapshot cannot see the head move.
    let head = try store { try journal.head() }
    let expected = Int(head.seq)
    let walk = try store { try journal.walk() }
    let hasher = PageHasher()
    var page = try store { try walk.next() }
    while !page.isEmpty {
      // Hashing is most of the walk's own work: one core hashes a page while this one fetches and
      // decodes the next.
      hasher.start(page)
      // Held until this page is checked: a break in it is the answer even if the next fetch fails.
      let following = Result { () throws(DocketError) in try store { try walk.next() } }
      let altered = hasher.wait()
      for (index, entry) in page.enumerated() {
        if entry.seq != previous.seq + 1 {
          return JournalVerification(
            checked: checked, firstBroken: (previous.seq + 1, "is missing (the next event is \(entry.seq))"))
        }
        if entry.previousHash != previous.hash {
          return JournalVerification(
            checked: checked, firstBroken: (entry.seq, "does not follow the hash of event \(previous.seq)"))
        }
        if index == altered {
          return JournalVerification(
            checked: checked,
            firstBroken: (entry.seq, "was changed after it was written (its content does not match its hash)")
          )
        }
        previous = (entry.seq, entry.hash)
        checked += 1
        if let item = entry.itemID {
          if let state = Self.stateAfter(entry) { states[item] = state }
          if Self.clockEventNames.contains(entry.event) { clockEntries[item, default: []].append(entry) }
        }
      }
      advance("audit verify", "events", done: checked, total: expected)
      page = try following.get()
    }
    try store { try walk.close() }
    advance("audit verify", "events", done: checked, total: expected, finished: true)
    if head.seq != previous.seq || head.hash != previous.hash {
      return JournalVerification(
        checked: checked,
        firstBroken: (
          previous.seq + 1,
          "is missing: the journal's head names event \(head.seq), the last found is \(previous.seq)"
        ))
    }
    var disagreements: [JournalVerification.Disagreement] = []
    for row in try store({ try ItemRepository(db).verificationRows() }) {
      if states[row.id] != row.state {
        disagreements.append(
          .init(
            ref: row.ref, field: "state", stored: row.state.rawValue,
            journal: states[row.id]?.rawValue ?? "no registration"))
      }
      // An item whose facts were never worked out (a migration's, until `db migrate`) has none to hold.
      guard row.clocksWorked else { continue }
      let facts = ClockFacts(
        subject: row.subject, events: (clockEntries[row.id] ?? []).compactMap(Self.clockEvent))
      let expected = ClockFacts(spans: facts.spans.filter { $0.stop == nil }, holds: facts.holds)
      if row.running != expected {
        let (stored, journal) = (Self.describe(row.running), Self.describe(expected))
        disagreements.append(.init(ref: row.ref, field: "clocks", stored: stored, journal: journal))
      }
    }
    return JournalVerification(checked: checked, firstBroken: nil, disagreements: disagreements)
  }

  /// The events that clocks read, by name.
  static let clockEventNames = Set(
    Move.allCases.map(\.rawValue) + ["notified", "feedback_given", "extended"])

  /// Running clocks and holds in a line: `acceptance_notice from 2021-09-28T01:00:00Z (+0)`.
  static func describe(_ facts: ClockFacts) -> String {
    let spans = facts.spans.map { "\($0.clock.rawValue) from \($0.start.rfc3339) (+\($0.extensionDays))" }
    let holds = facts.holds.map { "held \($0.from.rfc3339)–\($0.until?.rfc3339 ?? "")" }
    return (spans + holds).joined(separator: "; ").nonEmpty ?? "none running"
  }

  /// The state an event leaves its item in, if it is one that moves it: a registration, or a move
  /// (whose `to` is read from the canonical payload without decoding the rest).
  static func stateAfter(_ entry: JournalEntry) -> ItemState? {
    if entry.event == "registered" { return .registered }
    guard Move(rawValue: entry.event) != nil else { return nil }
    let payload = entry.payload.utf8
    let marker = Array(#""to":""#.utf8)
    guard let start = payload.firstRange(of: marker)?.upperBound,
      let end = payload[start...].firstIndex(of: UInt8(ascii: "\""))
    else { return nil }
    return ItemState(rawValue: String(decoding: payload[start..<end], as: UTF8.self))
  }

  /// The events that disclosed what is sealed: reveals, exports with identities, attachments
  /// released or opened.
  public static let disclosureEvents = [
    "identity_revealed", "identities_exported", "attachment_released", "attachment_opened",
  ]

  /// The journal, of one item or of everything, oldest first; with `reveals`, only the events that
  /// disclosed an identity, each with who did it and why.
  public func journalLog(
    ref: String?, reveals: Bool = false, limit: Int? = nil, actor login: String?
  ) throws(DocketError) -> [JournalEntry] {
    let actor = try actor(login)
    try require(actor, .readJournal, "read the journal")
    var itemID: Int64?
    if let ref {
      guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
        throw .notFound("item \(ref)")
      }
      itemID = item.id
    }
    return try store {
      try JournalRepository(db).entries(
        itemID: itemID, events: reveals ? Self.disclosureEvents : nil, limit: limit)
    }
  }
}

/// Hashes a page of the journal's events on another thread and says which is the first whose
/// content no longer matches its stored hash.
private final class PageHasher: Sendable {
  private let altered = Mutex<Int?>(nil)
  private let done = DispatchSemaphore(value: 0)

  /// Starts on `page`; one page at a time, each ``start(_:)`` followed by its ``wait()``.
  func start(_ page: [JournalEntry]) {
    DispatchQueue.global().async { [self] in
      let index = page.firstIndex { JournalRepository.hash($0) != $0.hash }
      altered.withLock { $0 = index }
      done.signal()
    }
  }

  /// The index in the page of the first altered event, nil when all match.
  func wait() -> Int? {
    done.wait()
    return altered.withLock { $0 }
  }
}
