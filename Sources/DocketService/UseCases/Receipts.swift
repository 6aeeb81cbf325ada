import DocketCore
import DocketStore
import Foundation

/// A newly registered item and, for a report from the public that came in by phone, post, visit or
/// online form, its receipt code: returned this once and stored only as a slow salted hash.
public struct Registration: Sendable {
  public let item: Item
  public let receiptCode: ReceiptCode?
  /// The request (its request id) had registered the item before: nothing new was written, and the
  /// receipt code, given out then, cannot be shown again.
  public let registeredBefore: Bool
}

/// The rate limit on receipt-code lookups, counted in the database because every lookup is a new
/// process: a code whose selector failed `perCode` times in the window is refused, even when right,
/// and so is every code once `overall` failures of any code fall in the window.
public struct ReceiptLimits: Sendable {
  public var window: TimeInterval = 15 * 60
  public var perCode = 5
  public var overall = 100
  /// How long failed lookups are kept, to see afterwards who was guessing.
  public var keep: TimeInterval = 30 * 24 * 3600
  public init() {}
}

extension Docket {
  /// The one sentence for a code that is wrong and for one that is unknown, so that a lookup never
  /// tells whether a code exists.
  static let receiptNotRecognised =
    "item with this receipt code; check the 20 digits against the receipt and try again, or ask the office that took the report for a new code"

  /// Whether an item registered from `request` gets a receipt code: a report from the public that a
  /// registrar takes in person, by phone, by post or from the online form, where the code can be
  /// handed back. Not by email (no one reads it out to the reporter), fax or a handover list.
  static func getsReceipt(_ request: IntakeRequest) -> Bool {
    getsReceipt(source: request.source, channel: request.channel)
  }

  static func getsReceipt(source: Source, channel: Channel) -> Bool {
    source == .public && [.phone, .letter, .visit, .online].contains(channel)
  }

  /// Stores `draft` as the code of `itemID` inside the caller's transaction, or (`replacing`)
  /// replaces the item's code, and returns it. Only the selector can collide; another is drawn when
  /// it does, and the verifier's hash stays good.
  func storeReceipt(_ draft: ReceiptDraft, itemID: Int64, at: Date, replacing: Bool = false)
    throws(DocketError)
    -> ReceiptCode
  {
    let receipts = ReceiptRepository(db)
    var code = draft.code
    for _ in 0..<16 {
      let stored = try store {
        replacing
          ? try receipts.replace(
            itemID: itemID, selector: code.selector, salt: draft.salt, verifierHash: draft.hash,
            iterations: draft.iterations, at: at)
          : try receipts.insert(
            itemID: itemID, selector: code.selector, salt: draft.salt, verifierHash: draft.hash,
            iterations: draft.iterations, at: at)
      }
      if stored { return code }
      code = ReceiptCode(selector: ReceiptCode.random().selector, verifier: code.verifier)
    }
    // Sixteen taken selectors in a row means the 10^8 selectors are nearly used up.
    throw .refused(
      "No unused receipt code could be drawn; the receipts table is nearly full. Tell the administrator.")
  }

  /// The public status of the item whose receipt code is `text`, for a staff member answering the
  /// reporter at the front desk or on the hotline (or a public web front end's account).
  ///
  /// A wrong code and an unknown one get the same sentence, and cost the same slow hash. Failures are
  /// counted per code's selector and overall; past ``ReceiptLimits`` the lookup is refused before any
  /// hashing, right code or not, with a temporary error (try again later). A success is journaled
  /// against the item without the code; a success resets nothing.
  public func receiptStatus(_ text: String, actor login: String?, limits: ReceiptLimits = .init())
    throws(DocketError) -> PublicStatus
  {
    let actor = try actor(login)
    try require(actor, .checkReceipt, "look up items by receipt code")
    let code: ReceiptCode
    do { code = try ReceiptCode(parsing: text) } catch { throw .from(error) }
    let receipts = ReceiptRepository(db)
    let now = now()
    let found: PublicStatus? = try transaction { () throws(DocketError) in
      try store { try receipts.lockSelector(code.selector) }
      let failures = try store { try receipts.failures(selector: code.selector, since: now - limits.window) }
      if failures.selector >= limits.perCode || failures.all >= limits.overall {
        let minutes = Int(limits.window / 60)
        throw .temporary(
          "Too many wrong receipt codes were tried in the last \(minutes) minutes; try again in \(minutes) minutes."
        )
      }
      let stored = try store { try receipts.withSelector(code.selector) }
      let matches = ReceiptHash.matches(
        verifier: code.verifier, salt: stored?.salt ?? ReceiptHash.dummySalt,
        iterations: stored?.iterations ?? ReceiptHash.iterations, expected: stored?.verifierHash ?? [])
      guard let stored, matches, let facts = try store({ try receipts.facts(receiptID: stored.id) }) else {
        // Recorded and committed; the refusal is thrown once the transaction is over.
        try store {
          try receipts.recordFailure(
            selector: code.selector, actor: actor.login, at: now, forgetBefore: now - limits.keep)
        }
        return nil
      }
      var original: ItemState?
      if facts.state == .duplicate {
        original = try store { try receipts.originalState(of: stored.itemID) }
      }
      let status = PublicStatus(
        state: PublicState(facts.state, original: original),
        receivedOn: office.time.dayString(facts.receivedAt),
        note: facts.publicNote)
      try journal(
        item: stored.itemID, actor: actor.login, .receiptStatusChecked(shown: status.state.rawValue), at: now)
      return status
    }
    guard let found else { throw .notFound(Self.receiptNotRecognised) }
    return found
  }

  /// A new receipt code for the item `ref`, for a registrar who must give the reporter one (the
  /// receipt was lost, or the item came in by email): the old code stops working at once. Journaled
  /// as `receipt_reissued`, without the code.
  public func reissueReceipt(_ ref: String, actor login: String?) throws(DocketError) -> ReceiptCode {
    let actor = try actor(login)
    try require(actor, .register, "issue receipt codes")
    let now = now()
    let draft = ReceiptDraft()
    return try transaction { () throws(DocketError) in
      let item = try receiptItem(ref)
      let replacing = try store { try ReceiptRepository(db).lock(itemID: item.id) }
      let code = try storeReceipt(draft, itemID: item.id, at: now, replacing: replacing)
      try journal(item: item.id, actor: actor.login, .receiptReissued(replaced: replacing), at: now)
      return code
    }
  }

  /// Sets the note a receipt lookup shows the reporter (what the office tells the public about the
  /// result), or clears it with nil. The note is public by purpose, so the journal keeps it as said.
  public func setPublicNote(_ ref: String, note: String?, actor login: String?) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .register, "write the note reporters see")
    let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
    let now = now()
    try transaction { () throws(DocketError) in
      let item = try receiptItem(ref)
      guard try store({ try ReceiptRepository(db).setPublicNote(itemID: item.id, note) }) else {
        throw .refused(
          "\(ref) has no receipt code, so no reporter can read a note; issue one with 'docket receipt reissue \(ref)'."
        )
      }
      try journal(
        item: item.id, actor: actor.login, note.map { .publicNoteSet(note: $0) } ?? .publicNoteCleared,
        at: now)
    }
  }

  /// The item `ref`, if it is one a receipt code can be for: a report from the public.
  private func receiptItem(_ ref: String) throws(DocketError) -> Item {
    guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
      throw .notFound("item \(ref)")
    }
    guard item.source == .public else {
      throw .refused(
        "\(ref) came from \(item.source.rawValue) (\(item.source.chinese)), not from the public; receipt codes are for reporters from the public."
      )
    }
    return item
  }
}

/// A receipt code drawn ahead of its item. Its hash is slow on purpose (about 30 ms), so it is
/// worked out on another core while the caller connects and checks the request, instead of
/// after. Given to ``Docket/intakeWithReceipt(_:actor:drawnAhead:)``. If it is not used (an
/// internal item, a request registered before), it is dropped, and nothing was stored. The code
/// exists only in memory until its item is committed.
public final class ReceiptInAdvance: @unchecked Sendable {
  private let ready = DispatchSemaphore(value: 0)
  // Written once by the worker before `ready` is signalled, read only after waiting on it.
  private var draft: ReceiptDraft?

  /// Starts drawing a code for an item from `source` by `channel`, or nil when such an item
  /// gets none.
  public static func forIntake(source: Source, channel: Channel) -> ReceiptInAdvance? {
    Docket.getsReceipt(source: source, channel: channel) ? ReceiptInAdvance() : nil
  }

  private init() {
    DispatchQueue.global(qos: .userInitiated).async {
      self.draft = ReceiptDraft()
      self.ready.signal()
    }
  }

  /// The draft, once its hash is done.
  func take() -> ReceiptDraft {
    ready.wait()
    ready.signal()
    return draft!
  }
}

/// A new receipt code with its salted hash, worked out before the transaction that stores it: the
/// hash is deliberately slow, and must not run while the journal's head is locked.
struct ReceiptDraft: Sendable {
  let code: ReceiptCode
  let salt: [UInt8]
  let iterations: Int
  let hash: [UInt8]

  init() {
    code = ReceiptCode.random()
    salt = ReceiptHash.salt()
    iterations = ReceiptHash.iterations
    hash = ReceiptHash.hash(verifier: code.verifier, salt: salt, iterations: iterations)
  }
}
