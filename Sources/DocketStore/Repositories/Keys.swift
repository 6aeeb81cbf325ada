import DocketCore
import Foundation

/// An office key pair as stored: its public half, and whether a rotation has replaced it.
public struct StoredOfficeKey: Sendable, Equatable {
  public var id: Int32
  public var fingerprint: String
  public var publicKey: [UInt8]
  public var revealQuorum: Int
  public var createdAt: Date
  public var retiredAt: Date?
}

/// A custodian's record: their public key, their private key sealed under their passphrase, and
/// the count of failed passphrases.
public struct StoredCustodian: Sendable {
  public var login: String
  public var publicKey: [UInt8]
  public var salt: [UInt8]
  public var scrypt: (n: Int, r: Int, p: Int)
  public var wrappedPrivateKey: [UInt8]
  public var failedAttempts: Int
  public var lockedUntil: Date?
  public var addedAt: Date
  public var passphraseSetAt: Date

  public init(
    login: String, publicKey: [UInt8], salt: [UInt8], scrypt: (n: Int, r: Int, p: Int),
    wrappedPrivateKey: [UInt8], failedAttempts: Int = 0, lockedUntil: Date? = nil, addedAt: Date,
    passphraseSetAt: Date
  ) {
    self.login = login
    self.publicKey = publicKey
    self.salt = salt
    self.scrypt = scrypt
    self.wrappedPrivateKey = wrappedPrivateKey
    self.failedAttempts = failedAttempts
    self.lockedUntil = lockedUntil
    self.addedAt = addedAt
    self.passphraseSetAt = passphraseSetAt
  }
}

/// One wrap of an office key, for one custodian or a pair.
public struct StoredWrap: Sendable, Equatable {
  public var custodians: [String]
  public var wrapped: [UInt8]
  public var createdAt: Date
}

/// The office's key pairs, the envelopes sealed to them, the custodians and their wraps, and the
/// matching key (sql/0018_office_key.sql).
public struct KeyRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  // MARK: Office keys

  /// The key pair in use, if the office has one yet.
  public func officeKeyInUse() throws(DatabaseError) -> StoredOfficeKey? {
    try db.first("\(Self.keyColumns) WHERE retired_at IS NULL").map(Self.officeKey)
  }

  /// The key in use, its row locked until the transaction ends: a rotation or a quorum change.
  public func lockOfficeKeyInUse() throws(DatabaseError) -> StoredOfficeKey? {
    try db.first("\(Self.keyColumns) WHERE retired_at IS NULL FOR UPDATE").map(Self.officeKey)
  }

  public func officeKeys() throws(DatabaseError) -> [StoredOfficeKey] {
    try db.query("\(Self.keyColumns) ORDER BY id").map(Self.officeKey)
  }

  /// Adds a key pair, retiring the one in use (in the same transaction, so one is always in use).
  public func addOfficeKey(fingerprint: String, publicKey: [UInt8], revealQuorum: Int, at: Date)
    throws(DatabaseError) -> Int32
  {
    try db.query("UPDATE office_keys SET retired_at = $1 WHERE retired_at IS NULL", [at])
    return try db.first(
      """
      INSERT INTO office_keys (fingerprint, public_key, reveal_quorum, created_at)
      VALUES ($1, $2, $3, $4) RETURNING id
      """, [fingerprint, publicKey, revealQuorum, at])!.decode("id")
  }

  private static let keyColumns =
    "SELECT id, fingerprint, public_key, reveal_quorum, created_at, retired_at FROM office_keys"

  fileprivate static func officeKey(_ row: Row) throws(DatabaseError) -> StoredOfficeKey {
    StoredOfficeKey(
      id: try row.decode("id"), fingerprint: try row.decode("fingerprint"),
      publicKey: try row.decode("public_key"), revealQuorum: try row.decode("reveal_quorum"),
      createdAt: try row.decode("created_at"), retiredAt: try row.optional("retired_at"))
  }

  // MARK: Envelopes

  /// The stored headers of these envelopes, with the key each is sealed to.
  public func envelopes(ids: [Int64]) throws(DatabaseError) -> [Int64: (keyID: Int32, header: [UInt8])] {
    var out: [Int64: (keyID: Int32, header: [UInt8])] = [:]
    for row in try db.query(
      "SELECT id, key_id, header FROM envelopes WHERE id = ANY ($1::bigint[])",
      [TextArray(ids.map(String.init))])
    {
      out[try row.decode("id")] = (try row.decode("key_id"), try row.decode("header"))
    }
    return out
  }

  /// Up to `limit` envelopes sealed to a key other than `keyID`, from the lowest id: what a
  /// rotation has yet to move.
  public func envelopes(notOn keyID: Int32, limit: Int) throws(DatabaseError) -> [(
    id: Int64, keyID: Int32, header: [UInt8]
  )] {
    try db.query(
      "SELECT id, key_id, header FROM envelopes WHERE key_id <> $1 ORDER BY id LIMIT $2", [keyID, limit]
    ).map { row throws(DatabaseError) in
      (try row.decode("id"), try row.decode("key_id"), try row.decode("header"))
    }
  }

  public func envelopeCount(notOn keyID: Int32) throws(DatabaseError) -> Int {
    try db.first("SELECT count(*) AS n FROM envelopes WHERE key_id <> $1", [keyID])!.decode("n")
  }

  public func envelopeCounts() throws(DatabaseError) -> [Int32: Int] {
    var out: [Int32: Int] = [:]
    for row in try db.query("SELECT key_id, count(*) AS n FROM envelopes GROUP BY key_id") {
      out[try row.decode("key_id")] = try row.decode("n")
    }
    return out
  }

  /// Re-seals envelopes to the key `keyID`, in one statement.
  public func moveEnvelopes(_ rows: [(id: Int64, header: [UInt8])], to keyID: Int32) throws(DatabaseError) {
    guard !rows.isEmpty else { return }
    try db.query(
      """
      UPDATE envelopes e SET header = u.header, key_id = $3
      FROM unnest($1::bigint[], $2::bytea[]) AS u(id, header) WHERE e.id = u.id
      """,
      [
        TextArray(rows.map { String($0.id) }), TextArray(rows.map { "\\x" + $0.header.hex }), keyID,
      ])
  }

  /// Retired keys that no envelope is sealed to any more and that still have wraps: nothing is
  /// left that they open, and a wrap kept would open them for a custodian removed since.
  public func idleRetiredKeys() throws(DatabaseError) -> [(id: Int32, fingerprint: String)] {
    try db.query(
      """
      SELECT k.id, k.fingerprint FROM office_keys k
      WHERE k.retired_at IS NOT NULL AND NOT EXISTS (SELECT FROM envelopes e WHERE e.key_id = k.id)
        AND EXISTS (SELECT FROM office_key_wraps w WHERE w.key_id = k.id)
      ORDER BY k.id
      """
    ).map { row throws(DatabaseError) in (try row.decode("id"), try row.decode("fingerprint")) }
  }

  /// Deletes every wrap of a key: the key is destroyed (its public half stays, for the journal).
  public func destroyWraps(keyID: Int32) throws(DatabaseError) {
    try db.query("DELETE FROM office_key_wraps WHERE key_id = $1", [keyID])
  }

  // MARK: Custodians

  public func custodians() throws(DatabaseError) -> [StoredCustodian] {
    try db.query("\(Self.custodianColumns) ORDER BY login").map(Self.custodian)
  }

  public func custodian(_ login: String) throws(DatabaseError) -> StoredCustodian? {
    try db.first("\(Self.custodianColumns) WHERE login = $1", [login]).map(Self.custodian)
  }

  /// Adds a custodian, or replaces their key (a new passphrase): the failure count starts again.
  public func saveCustodian(_ custodian: StoredCustodian) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO custodians (login, public_key, salt, scrypt_n, scrypt_r, scrypt_p, wrapped_private_key,
        failed_attempts, locked_until, added_at, passphrase_set_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 0, NULL, $8, $9)
      ON CONFLICT (login) DO UPDATE SET public_key = excluded.public_key, salt = excluded.salt,
        scrypt_n = excluded.scrypt_n, scrypt_r = excluded.scrypt_r, scrypt_p = excluded.scrypt_p,
        wrapped_private_key = excluded.wrapped_private_key, failed_attempts = 0, locked_until = NULL,
        passphrase_set_at = excluded.passphrase_set_at
      """,
      [
        custodian.login, custodian.publicKey, custodian.salt, custodian.scrypt.n, custodian.scrypt.r,
        custodian.scrypt.p, custodian.wrappedPrivateKey, custodian.addedAt, custodian.passphraseSetAt,
      ])
  }

  /// Removes a custodian and every wrap that names them.
  public func removeCustodian(_ login: String) throws(DatabaseError) {
    try db.query("DELETE FROM office_key_wraps WHERE custodians @> ARRAY[$1::text]", [login])
    try db.query("DELETE FROM custodians WHERE login = $1", [login])
  }

  /// Counts a failed passphrase; at `limit` failures in a row the custodian is locked until
  /// `lockUntil`. Returns the count.
  public func recordFailure(_ login: String, limit: Int, lockUntil: Date) throws(DatabaseError) -> Int {
    try db.first(
      """
      UPDATE custodians SET failed_attempts = failed_attempts + 1,
        locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END
      WHERE login = $1 RETURNING failed_attempts
      """, [login, limit, lockUntil])?.decode("failed_attempts") ?? 0
  }

  public func clearFailures(_ login: String) throws(DatabaseError) {
    try db.query(
      "UPDATE custodians SET failed_attempts = 0, locked_until = NULL WHERE login = $1 AND failed_attempts > 0",
      [login])
  }

  private static let custodianColumns = """
    SELECT login, public_key, salt, scrypt_n, scrypt_r, scrypt_p, wrapped_private_key, failed_attempts,
      locked_until, added_at, passphrase_set_at FROM custodians
    """

  private static func custodian(_ row: Row) throws(DatabaseError) -> StoredCustodian {
    StoredCustodian(
      login: try row.decode("login"), publicKey: try row.decode("public_key"), salt: try row.decode("salt"),
      scrypt: (try row.decode("scrypt_n"), try row.decode("scrypt_r"), try row.decode("scrypt_p")),
      wrappedPrivateKey: try row.decode("wrapped_private_key"),
      failedAttempts: try row.decode("failed_attempts"),
      lockedUntil: try row.optional("locked_until"), addedAt: try row.decode("added_at"),
      passphraseSetAt: try row.decode("passphrase_set_at"))
  }

  // MARK: Wraps

  public func wraps(keyID: Int32) throws(DatabaseError) -> [StoredWrap] {
    try db.query(
      """
      SELECT array_to_string(custodians, ',') AS custodians, wrapped, created_at
      FROM office_key_wraps WHERE key_id = $1 ORDER BY custodians
      """,
      [keyID]
    ).map { row throws(DatabaseError) in
      StoredWrap(
        // Logins are [a-z0-9._-] (staff's check): a comma never occurs in one.
        custodians: (try row.decode("custodians", as: String.self)).split(separator: ",").map(String.init),
        wrapped: try row.decode("wrapped"),
        createdAt: try row.decode("created_at"))
    }
  }

  public func addWrap(keyID: Int32, custodians: [String], wrapped: [UInt8], at: Date) throws(DatabaseError) {
    try db.query(
      "INSERT INTO office_key_wraps (key_id, custodians, wrapped, created_at) VALUES ($1, $2::text[], $3, $4)",
      [keyID, TextArray(custodians), wrapped, at])
  }

  // MARK: Matching key

  public func matchingKey() throws(DatabaseError) -> [UInt8]? {
    try db.first("SELECT key FROM matching_key")?.decode("key")
  }

  public func setMatchingKey(_ key: [UInt8], at: Date) throws(DatabaseError) {
    try db.query("INSERT INTO matching_key (key, created_at) VALUES ($1, $2)", [key, at])
  }
}

extension KeyRepository {
  /// The advisory lock of a change of office key ("docket" in ASCII, then 2). A rotation or a
  /// quorum change holds it exclusively while it puts the new key in use; everyone about to seal
  /// takes it shared, and so seals to the key in use once that commits, never to one being retired
  /// after a rotation moved the envelopes it knew of.
  static let keyChangeLock = Int64(0x646F_636B_6574_0002)

  /// Takes the key-change lock exclusively until the caller's transaction ends.
  public func lockForKeyChange() throws(DatabaseError) {
    try db.query("SELECT pg_advisory_xact_lock($1)", [Self.keyChangeLock])
  }

  /// Waits out a key change that is committing, then holds it off until the caller's transaction
  /// ends (the lock taken shared): what is sealed meanwhile is sealed to the key in use, and a
  /// change starting later waits for this transaction's envelopes to commit, then moves them too.
  public func lockForSealing() throws(DatabaseError) {
    try db.query("SELECT pg_advisory_xact_lock_shared($1)", [Self.keyChangeLock])
  }

  /// The key in use and the matching key, read by a statement of their own after
  /// ``lockForSealing()``: in READ COMMITTED it sees what a change that was waited for committed.
  public func keysForSealing() throws(DatabaseError) -> (office: StoredOfficeKey?, matching: [UInt8]?) {
    let row = try db.first(
      """
      SELECT k.id, k.fingerprint, k.public_key, k.reveal_quorum, k.created_at, k.retired_at,
        (SELECT key FROM matching_key) AS matching
      FROM (SELECT 1) AS one LEFT JOIN office_keys k ON k.retired_at IS NULL
      """)
    guard let row else { return (nil, nil) }
    let matching: [UInt8]? = try row.optional("matching")
    guard try row.optional("id", as: Int32.self) != nil else { return (nil, matching) }
    return (try Self.officeKey(row), matching)
  }

  /// Writes an envelope sealed to key `keyID` if that is still the key in use, in one statement;
  /// false if a rotation has replaced it since the caller read it (nothing is written then).
  public func addEnvelope(id: Int64, ifKeyInUse keyID: Int32, header: [UInt8]) throws(DatabaseError) -> Bool {
    try db.first(
      """
      INSERT INTO envelopes (id, key_id, header)
      SELECT $1, id, $3 FROM office_keys WHERE id = $2 AND retired_at IS NULL
      RETURNING id
      """, [id, keyID, header]) != nil
  }
}
