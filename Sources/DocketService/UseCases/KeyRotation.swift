import DocketCore
import DocketStore
import Foundation

/// What `docket key rotate` (or a change of the reveal quorum) did.
public struct KeyRotation: Sendable {
  /// The key in use before, and now.
  public var from: String
  public var to: String
  public var revealQuorum: Int
  /// Envelopes whose data key was sealed again to the new key.
  public var envelopes: Int
  /// Retired keys whose last envelope moved, and whose wraps were destroyed.
  public var destroyed: [String]
  /// Whether this run finished a rotation an earlier one had started.
  public var resumed: Bool
}

extension Docket {

  /// Makes a new office key pair, wraps it for every custodian (from their public keys: nobody
  /// else needs to be present), seals every envelope's data key to it, and then destroys the old
  /// key's wraps. The custodians present (as many as the quorum) unlock the old key.
  ///
  /// The new key is in use from its first short transaction, which waits out the sealing in
  /// progress (``KeyRepository/lockForSealing()``); the envelopes then move a batch per transaction,
  /// so an interrupted rotation loses nothing, and running it again finishes it (`resumed`). Values
  /// are not touched: each stays under its envelope's data key.
  public func rotateOfficeKey(unlockedBy given: [CustodianPassphrase], actor login: String?)
    throws(DocketError)
    -> KeyRotation
  {
    try changeOfficeKey(quorum: nil, unlockedBy: given, actor: login)
  }

  /// Sets the reveal quorum (1 or 2): a rotation to a key wrapped per custodian or per pair, since
  /// a wrap of the old key copied before would still open it.
  public func setRevealQuorum(_ quorum: Int, unlockedBy given: [CustodianPassphrase], actor login: String?)
    throws(DocketError) -> KeyRotation
  {
    guard quorum == 1 || quorum == 2 else {
      throw .invalid("The reveal quorum is 1 (one custodian) or 2 (two custodians at once), not \(quorum).")
    }
    return try changeOfficeKey(quorum: quorum, unlockedBy: given, actor: login)
  }

  func changeOfficeKey(quorum asked: Int?, unlockedBy given: [CustodianPassphrase], actor login: String?)
    throws(DocketError) -> KeyRotation
  {
    let actor = try actor(login)
    let act = asked == nil ? "rotate key" : "set reveal quorum"
    try requireCustodianAct(actor, given, act: act, item: nil)
    let keys = KeyRepository(db)
    guard let current = try store({ try keys.officeKeyInUse() }) else {
      throw .refused(
        "This database has no office key yet; set it up with 'docket db init --custodian LOGIN'.")
    }
    let quorum = asked ?? current.revealQuorum
    let custodians = try store { try keys.custodians() }.map(custodianKey)
    if quorum == 2 && custodians.count < 2 {
      throw .refused(
        "A reveal quorum of 2 needs two custodians; add one with 'docket key custodian add' first.")
    }
    let unlocked = try unlockCustodians(given, act: act, actor: actor)
    let unfinished = try store { try keys.envelopeCount(notOn: current.id) } > 0
    var from = current.fingerprint
    var to = current.fingerprint
    if unfinished && (asked == nil || asked == current.revealQuorum) {
      // An earlier rotation put the current key in use and stopped moving envelopes: finish it.
      from = try store { try keys.officeKeys() }.last { $0.retiredAt != nil }?.fingerprint ?? from
    } else {
      if asked != nil && asked == current.revealQuorum {
        throw .refused("The reveal quorum is \(quorum) already.")
      }
      guard !unfinished else {
        throw .refused("A key rotation is unfinished; finish it with 'docket key rotate' first.")
      }
      to = try putNewKeyInUse(replacing: current, quorum: quorum, custodians: custodians, unlocked, actor)
    }
    let unsealer = Unsealer(self, unlocked)
    guard let next = try store({ try keys.officeKeyInUse() }) else {
      throw .refused("The office key vanished.")
    }
    let target: OfficePublicKey
    do { target = try OfficePublicKey(rawRepresentation: next.publicKey) } catch { throw .sealing(error) }
    let total = try store { try keys.envelopeCount(notOn: next.id) }
    var moved = 0
    advance("key rotate", "envelopes", done: 0, total: total)
    while true {
      let batch = try transaction { () throws(DocketError) in
        let rows = try store { try keys.envelopes(notOn: next.id, limit: rotationBatch) }
        var resealed: [(id: Int64, header: [UInt8])] = []
        for row in rows {
          do {
            let envelope = try Envelope(
              id: row.id, opening: row.header, with: try unsealer.officeKey(row.keyID))
            resealed.append((row.id, try envelope.resealed(to: target).header))
          } catch let error as SealingError {
            throw .sealing(error)
          } catch let error as DocketError {
            throw error
          } catch {
            throw .sealing(.failed("\(error)"))
          }
        }
        try store { try keys.moveEnvelopes(resealed, to: next.id) }
        guard !rows.isEmpty else { return 0 }
        try clearFailures(unlocked)
        try journal(
          item: nil, actor: actor.login, .envelopesResealed(to: next.fingerprint, envelopes: rows.count),
          at: now())
        return rows.count
      }
      guard batch > 0 else { break }
      moved += batch
      advance("key rotate", "envelopes", done: moved, total: total)
    }
    advance("key rotate", "envelopes", done: moved, total: total, finished: true)
    let destroyed = try transaction { () throws(DocketError) in
      let idle = try store { try keys.idleRetiredKeys() }
      for key in idle {
        try store { try keys.destroyWraps(keyID: key.id) }
        try journal(
          item: nil, actor: actor.login, .officeKeyDestroyed(fingerprint: key.fingerprint, envelopes: moved),
          at: now())
      }
      return idle.map(\.fingerprint)
    }
    return KeyRotation(
      from: from, to: to, revealQuorum: next.revealQuorum, envelopes: moved, destroyed: destroyed,
      resumed: from != to && to == current.fingerprint)
  }

  /// The first transaction of a rotation: the new key pair in use, wrapped for every custodian
  /// (or every pair), the old one retired. Returns the new fingerprint.
  private func putNewKeyInUse(
    replacing current: StoredOfficeKey, quorum: Int, custodians: [CustodianKey],
    _ unlocked: [UnlockedCustodian],
    _ actor: Staff
  ) throws(DocketError) -> String {
    // The old key must open before anything moves to a new one.
    _ = try officePrivateKey(current.id, with: unlocked)
    let office = OfficePrivateKey.generate()
    var groups: [[CustodianKey]] = []
    if quorum == 1 {
      groups = custodians.map { [$0] }
    } else {
      for (index, first) in custodians.enumerated() {
        for second in custodians[(index + 1)...] { groups.append([first, second]) }
      }
    }
    var wraps: [OfficeWrap] = []
    for group in groups {
      do { wraps.append(try OfficeWrap.wrap(office, to: group)) } catch { throw .sealing(error) }
    }
    let fingerprint = office.publicKey.fingerprint
    try transaction { () throws(DocketError) in
      let keys = KeyRepository(db)
      try store { try keys.lockForKeyChange() }
      guard try store({ try keys.lockOfficeKeyInUse() })?.id == current.id else {
        throw .temporary("The office key changed meanwhile; look at 'docket key status' and try again.")
      }
      let at = now()
      let keyID = try store {
        try keys.addOfficeKey(
          fingerprint: fingerprint, publicKey: office.publicKey.rawRepresentation, revealQuorum: quorum,
          at: at)
      }
      for wrap in wraps {
        try store {
          try keys.addWrap(keyID: keyID, custodians: wrap.custodians, wrapped: wrap.wrapped, at: at)
        }
      }
      try clearFailures(unlocked)
      try journal(
        item: nil, actor: actor.login,
        .officeKeyRotated(
          from: current.fingerprint, to: fingerprint, quorum: quorum,
          by: unlocked.map(\.login).joined(separator: ",")), at: at)
    }
    return fingerprint
  }
}
