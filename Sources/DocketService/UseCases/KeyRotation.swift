import DocketCore
import DocketMail
import DocketStore
import Foundation

/// What `docket key rotate` did: the key before and after (fingerprints only), and how much it
/// re-encrypted.
public struct KeyRotation: Sendable, Equatable {
  public var oldKeyID: String
  public var newKeyID: String
  /// Items whose reporter identity was sealed again and whose match hashes were recomputed.
  public var identities: Int
  /// Email messages kept with their items.
  public var messages: Int
  /// Messages in quarantine, held or resolved.
  public var quarantined: Int
}

extension Docket {
  /// Rows read and rewritten per statement.
  static let rotationBatch = 5_000
  /// Raw message bytes read per statement at most (a message may be tens of megabytes).
  static let rotationBatchBytes: Int64 = 16 << 20

  /// Re-encrypts every reporter identity, kept email message and quarantined message under a new
  /// key, and recomputes the match hashes with it, in one transaction; then puts the new key file
  /// in the old one's place.
  ///
  /// The new key is written first to `identity.key.next` (synced), so that once the transaction
  /// commits the key that opens the database is on disk whatever happens next; a crash between the
  /// COMMIT and the move is finished the next time docket opens the key. Until the move, other
  /// processes about to seal or open an identity wait (see ``IdentityRepository``).
  public func rotateIdentityKey(actor login: String?) throws(DocketError) -> KeyRotation {
    try rotateIdentityKey(actor: login, batch: Self.rotationBatch, batchBytes: Self.rotationBatchBytes)
  }

  /// The rotation, reading `batch` rows (and `batchBytes` of messages) per statement; tests use
  /// small batches to cross many of them.
  func rotateIdentityKey(actor login: String?, batch: Int, batchBytes: Int64) throws(DocketError)
    -> KeyRotation
  {
    let actor = try actor(login)
    try require(actor, .configure, "rotate the identity key")
    let identities = IdentityRepository(db)
    try store { try identities.lockForRotation() }
    defer { try? identities.unlockAfterRotation() }
    let next = keyFile.next
    var wroteNext = false
    var committing = false
    let rotation: KeyRotation
    do {
      rotation = try transaction { () throws(DocketError) in
        guard let keyID = try store({ try identities.lockKeyID() }) else {
          throw .refused("This database has no identity key yet; set it up with 'docket db init' first.")
        }
        let old = try keyFile.load(finishingRotationTo: keyID)
        guard old.keyID == keyID else {
          throw .identityKey(
            "The identity key was not rotated: the key file \(keyFile.url.path) is not the key this database's identities are sealed with (the file's key is \(old.keyID), the database's \(keyID)). Put the original key file back, or point DOCKET_KEY_FILE at it, and try again."
          )
        }
        // Left by a rotation that never committed: it seals nothing.
        try next.remove()
        let new = try next.createNew(replacing: keyFile)
        wroteNext = true
        var rotation = KeyRotation(
          oldKeyID: old.keyID, newKeyID: new.keyID, identities: 0, messages: 0, quarantined: 0)
        let totals = try store { try identities.sealedCounts() }
        rotation.quarantined = try resealQuarantine(old, new, batch, batchBytes, total: totals.quarantined)
        // Before the items: a message's sender hash is found again through its item's identity,
        // which is still sealed with the old key.
        rotation.messages = try resealMessages(old, new, batch, batchBytes, total: totals.messages)
        rotation.identities = try resealIdentities(old, new, batch, total: totals.identities)
        try store { try identities.setKeyID(new.keyID) }
        try journal(
          item: nil, actor: actor.login,
          .identityKeyRotated(
            oldKeyID: old.keyID, newKeyID: new.keyID, identities: rotation.identities,
            messages: rotation.messages, quarantined: rotation.quarantined), at: now())
        committing = true
        return rotation
      }
    } catch {
      // Rolled back for certain only when the work itself failed. When COMMIT failed, it may
      // still have committed: the next key stays, and opening the key moves it into place if so.
      if wroteNext && !committing { try? next.remove() }
      throw error
    }
    do {
      try next.move(over: keyFile)
    } catch {
      throw .identityKey(
        "The identities were re-encrypted under key \(rotation.newKeyID), but its key file could not be put in place: \(error) Move \(next.url.path) over \(keyFile.url.path) (docket also does so the next time it opens the key); until then keep both files."
      )
    }
    return rotation
  }

  private func resealIdentities(_ old: IdentityVault, _ new: IdentityVault, _ batch: Int, total: Int)
    throws(DocketError) -> Int
  {
    let repository = IdentityRepository(db)
    return try inPages("identities", of: total) { after throws(DocketError) in
      try store { try repository.sealedIdentities(after: after, limit: batch) }
    } id: {
      $0.id
    } rewrite: { rows throws(DocketError) in
      var rewritten: [(id: Int64, sealed: [UInt8], match: [[UInt8]])] = []
      rewritten.reserveCapacity(rows.count)
      for row in rows {
        let identity = try old.open(row.sealed, ref: row.ref)
        rewritten.append((row.id, try new.seal(identity, ref: row.ref), new.matchHashes(identity)))
      }
      try store { try repository.rewriteIdentities(rewritten) }
    }
  }

  private func resealMessages(
    _ old: IdentityVault, _ new: IdentityVault, _ batch: Int, _ batchBytes: Int64, total: Int
  ) throws(DocketError) -> Int {
    let repository = IdentityRepository(db)
    return try inPages("messages", of: total) { after throws(DocketError) in
      try store { try repository.sealedMessages(after: after, limit: batch, bytes: batchBytes) }
    } id: {
      $0.id
    } rewrite: { rows throws(DocketError) in
      var rewritten: [(id: Int64, sealed: [UInt8], senderMatch: [UInt8]?)] = []
      rewritten.reserveCapacity(rows.count)
      for row in rows {
        let raw = try old.open(message: row.sealed, digest: row.rawSHA256)
        var senderMatch: [UInt8]?
        if let stored = row.senderMatch {
          let key = try senderKey(
            of: stored, raw: raw, itemRef: row.itemRef, itemSealed: row.itemSealed, vault: old)
          guard let key else {
            throw .refused(
              "The identity key was not rotated: the sender hash of email message \(row.id) of \(row.itemRef) matches neither the item's reporter nor the message's From address, so it cannot be recomputed under a new key. Nothing was changed."
            )
          }
          senderMatch = new.matchHash(key)
        }
        rewritten.append((row.id, try new.seal(message: raw, digest: row.rawSHA256), senderMatch))
      }
      try store { try repository.rewriteMessages(rewritten) }
    }
  }

  /// Which value a message's sender hash was computed from, as email intake computed it: the
  /// `email:` match key of the From address. Found among the item's identity (from which every
  /// item's first message and every reply matched), else by parsing the message again; checked
  /// against the stored hash with the old key either way.
  private func senderKey(
    of stored: [UInt8], raw: [UInt8], itemRef: String, itemSealed: [UInt8]?, vault: IdentityVault
  ) throws(DocketError) -> String? {
    if let itemSealed {
      let identity = try vault.open(itemSealed, ref: itemRef)
      if let key = identity.matchKeys.first(where: { vault.matchHash($0) == stored }) { return key }
    }
    let parser = MailParser(sizeLimit: max(raw.count, MailParser.defaultSizeLimit))
    guard let address = (try? parser.parse(raw))?.from?.address,
      let sender = try? Contact.email(address),
      let key = ReporterIdentity(email: sender).matchKeys.first,
      vault.matchHash(key) == stored
    else { return nil }
    return key
  }

  private func resealQuarantine(
    _ old: IdentityVault, _ new: IdentityVault, _ batch: Int, _ batchBytes: Int64, total: Int
  ) throws(DocketError) -> Int {
    let repository = IdentityRepository(db)
    return try inPages("quarantined messages", of: total) { after throws(DocketError) in
      try store { try repository.sealedQuarantine(after: after, limit: batch, bytes: batchBytes) }
    } id: {
      $0.id
    } rewrite: { rows throws(DocketError) in
      let rewritten = try rows.map { row throws(DocketError) in
        (
          id: row.id,
          sealed: try new.seal(
            message: try old.open(message: row.sealed, digest: row.rawSHA256), digest: row.rawSHA256)
        )
      }
      try store { try repository.rewriteQuarantine(rewritten) }
    }
  }

  /// Walks a table by id a page at a time (`page(after:)` returns the rows after an id, in id
  /// order), rewriting each page, until a page comes back empty; returns how many rows it saw.
  /// Progress is reported page by page, as so many of `total` rows counted as `unit`.
  private func inPages<Row>(
    _ unit: String, of total: Int, _ page: (_ after: Int64) throws(DocketError) -> [Row],
    id: (Row) -> Int64, rewrite: ([Row]) throws(DocketError) -> Void
  ) throws(DocketError) -> Int {
    var count = 0
    var last: Int64 = 0
    while true {
      let rows = try page(last)
      guard let end = rows.last else {
        if count > 0 { advance("key rotate", unit, done: count, total: max(total, count), finished: true) }
        return count
      }
      try rewrite(rows)
      count += rows.count
      // Rows sealed meanwhile wait for the rotation's lock, so the count taken first holds.
      advance("key rotate", unit, done: count, total: max(total, count))
      last = id(end)
    }
  }
}
