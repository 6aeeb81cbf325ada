import DocketCore
import Foundation

/// A receipt row as a lookup needs it: what to hash the typed verifier with and what to compare.
public struct StoredReceipt: Sendable, Equatable {
  public let id: Int64
  public let itemID: Int64
  public let salt: [UInt8]
  public let verifierHash: [UInt8]
  public let iterations: Int
}

/// What a successful lookup may show: the item's state (and its original's, for a duplicate), the
/// time it was received and the public note. Read by their own query, so that nothing else about
/// the item is even loaded.
public struct ReceiptFacts: Sendable, Equatable {
  public let state: ItemState
  public let duplicateOf: Int64?
  public let receivedAt: Date
  public let publicNote: String?
}

/// Receipt codes (sql/0011_receipts.sql): selectors in plain, verifiers as slow salted hashes, and
/// the failed lookups that the rate limit counts.
public struct ReceiptRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// Stores a new code's selector and hash for `itemID`; false when the selector is already taken
  /// (the caller draws another code). A conflict does not abort the caller's transaction.
  public func insert(
    itemID: Int64, selector: String, salt: [UInt8], verifierHash: [UInt8], iterations: Int, at: Date
  ) throws(DatabaseError) -> Bool {
    try db.first(
      """
      INSERT INTO receipts (item_id, selector, salt, verifier_hash, iterations, issued_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (selector) DO NOTHING
      RETURNING id
      """, [itemID, selector, salt, verifierHash, iterations, at]) != nil
  }

  /// Replaces the code of `itemID`'s receipt, keeping its public note; false when the new selector
  /// is already taken. Nothing is updated when the item has no receipt yet (see ``insert``).
  public func replace(
    itemID: Int64, selector: String, salt: [UInt8], verifierHash: [UInt8], iterations: Int, at: Date
  ) throws(DatabaseError) -> Bool {
    try db.first(
      """
      UPDATE receipts SET selector = $2, salt = $3, verifier_hash = $4, iterations = $5, issued_at = $6
      WHERE item_id = $1
        AND NOT EXISTS (SELECT 1 FROM receipts other WHERE other.selector = $2 AND other.item_id <> $1)
      RETURNING id
      """, [itemID, selector, salt, verifierHash, iterations, at]) != nil
  }

  /// Whether `itemID` has a receipt.
  public func exists(itemID: Int64) throws(DatabaseError) -> Bool {
    try db.first("SELECT 1 AS one FROM receipts WHERE item_id = $1", [itemID]) != nil
  }

  /// Locks `itemID`'s receipt row until the transaction ends, so that two reissues do not race.
  public func lock(itemID: Int64) throws(DatabaseError) -> Bool {
    try db.first("SELECT id FROM receipts WHERE item_id = $1 FOR UPDATE", [itemID]) != nil
  }

  public func withSelector(_ selector: String) throws(DatabaseError) -> StoredReceipt? {
    try db.first(
      "SELECT id, item_id, salt, verifier_hash, iterations FROM receipts WHERE selector = $1", [selector]
    ).map { row throws(DatabaseError) in
      StoredReceipt(
        id: try row.decode("id"), itemID: try row.decode("item_id"), salt: try row.decode("salt"),
        verifierHash: try row.decode("verifier_hash"), iterations: try row.decode("iterations"))
    }
  }

  /// The public facts of `receiptID`'s item; nil when the caller may not see the item.
  public func facts(receiptID: Int64) throws(DatabaseError) -> ReceiptFacts? {
    try db.first(
      """
      SELECT i.state, i.duplicate_of, i.received_at, r.public_note
      FROM receipts r JOIN items i ON i.id = r.item_id
      WHERE r.id = $1
      """, [receiptID]
    ).map { row throws(DatabaseError) in
      ReceiptFacts(
        state: try ItemRepository.term(row, "state"), duplicateOf: try row.optional("duplicate_of"),
        receivedAt: try row.decode("received_at"), publicNote: try row.optional("public_note"))
    }
  }

  /// The state of the item that `itemID` is a duplicate of, following the chain of links.
  public func originalState(of itemID: Int64) throws(DatabaseError) -> ItemState? {
    guard
      let row = try db.first(
        """
        WITH RECURSIVE chain (id, state, duplicate_of, depth) AS (
          SELECT id, state, duplicate_of, 0 FROM items WHERE id = $1
          UNION ALL
          SELECT i.id, i.state, i.duplicate_of, c.depth + 1
          FROM chain c JOIN items i ON i.id = c.duplicate_of
          WHERE c.depth < 32
        )
        SELECT state FROM chain WHERE depth > 0 ORDER BY depth DESC LIMIT 1
        """, [itemID])
    else { return nil }
    return try ItemRepository.term(row, "state")
  }

  /// Sets or (with nil) clears the note the public sees; false when the item has no receipt.
  public func setPublicNote(itemID: Int64, _ note: String?) throws(DatabaseError) -> Bool {
    try db.execute(count: "UPDATE receipts SET public_note = $2 WHERE item_id = $1", [itemID, note]) == 1
  }

  /// Serialises lookups of one selector until the transaction ends, so that parallel guesses at the
  /// same code cannot all pass the rate limit before any of their failures is counted.
  public func lockSelector(_ selector: String) throws(DatabaseError) {
    // The two-key form, whose key space is apart from the one-key locks used elsewhere; an 8-digit
    // selector fits an int4.
    try db.query("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", [0x5243, Int(selector) ?? 0])
  }

  /// Failed lookups since `since`: of `selector`, and of every selector.
  public func failures(selector: String, since: Date) throws(DatabaseError) -> (selector: Int, all: Int) {
    let row = try db.first(
      """
      SELECT count(*) FILTER (WHERE selector = $1) AS mine, count(*) AS all_failures
      FROM receipt_attempts WHERE attempted_at >= $2
      """, [selector, since])!
    return (try row.decode("mine"), try row.decode("all_failures"))
  }

  /// Records a failed lookup of `selector`, and forgets failures older than `forgetBefore`.
  public func recordFailure(selector: String, actor: String, at: Date, forgetBefore: Date)
    throws(DatabaseError)
  {
    try db.query(
      "INSERT INTO receipt_attempts (selector, actor, attempted_at) VALUES ($1, $2, $3)",
      [selector, actor, at])
    try db.query("DELETE FROM receipt_attempts WHERE attempted_at < $1", [forgetBefore])
  }
}
