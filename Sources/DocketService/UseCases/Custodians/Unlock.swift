import DocketCore
import DocketStore
import Foundation

/// A custodian present for an act, with the passphrase they typed (at a terminal without echo, or
/// from a file descriptor or a 0600 file: never argv or the environment).
public struct CustodianPassphrase: Sendable {
  public var login: String
  public var passphrase: String

  public init(login: String, passphrase: String) {
    self.login = login
    self.passphrase = passphrase
  }
}

extension Docket {
  /// Failed passphrases in a row after which a custodian is locked, and for how long.
  static let failuresBeforeLock = 5
  static let lockDuration: TimeInterval = 15 * 60

  /// The custodians of `given`, their private keys unlocked with their passphrases, for `act` (the
  /// journal's word for it) on `item`, if the act is about one.
  ///
  /// Runs before any transaction of the act: scrypt takes a second per custodian, and nothing is
  /// locked meanwhile. Every refusal (someone who is not a custodian, a locked one, a missing or
  /// wrong passphrase, too few custodians for the quorum) is journaled in a transaction of its own,
  /// which commits though the act does not; a wrong passphrase is counted too, and enough of them in
  /// a row lock that custodian for a while. The passphrase tried is never written anywhere.
  func unlockCustodians(
    _ given: [CustodianPassphrase], act: String, item: Int64? = nil, actor: Staff, quorum: Int? = nil
  ) throws(DocketError) -> [UnlockedCustodian] {
    let keys = KeyRepository(db)
    let logins = given.map(\.login)
    if Set(logins).count != logins.count {
      throw .invalid("A custodian is named twice; a quorum needs different custodians (--with LOGIN).")
    }
    let needed: Int
    if let quorum {
      needed = quorum
    } else {
      guard let key = try store({ try keys.officeKeyInUse() }) else {
        throw .refused(
          "This database has no office key yet; a leader sets it up with 'docket db init --custodian LOGIN'.")
      }
      needed = key.revealQuorum
    }
    if given.count < needed {
      try refuse(
        given.first?.login ?? actor.login, act: act, item: item, actor: actor,
        why: "the reveal quorum is \(needed): \(needed) custodians must give their passphrases at once",
        sentence:
          "This needs \(needed) custodians present at once (the reveal quorum is \(needed)); name the second with --with LOGIN."
      )
    }
    var unlocked: [UnlockedCustodian] = []
    for credential in given {
      let login = credential.login
      let staff = try store { try StaffRepository(db).withLogin(login) }
      guard let stored = try store({ try keys.custodian(login) }), let staff, staff.active,
        staff.roles.contains(.leader)
      else {
        try refuse(
          login, act: act, item: item, actor: actor, why: "not a custodian",
          sentence:
            "\(login) is not a custodian of the office key; 'docket key status' lists them, and a custodian adds another with 'docket key custodian add'."
        )
      }
      if let until = stored.lockedUntil, until > now() {
        try refuse(
          login, act: act, item: item, actor: actor, why: "locked after repeated wrong passphrases",
          sentence:
            "\(login) is locked after \(stored.failedAttempts) wrong passphrases in a row, until \(office.time.minuteString(until)); try again then."
        )
      }
      guard !credential.passphrase.isEmpty else {
        try refuse(
          login, act: act, item: item, actor: actor, why: "no passphrase",
          sentence: "No passphrase was given for \(login).")
      }
      let key = custodianKey(stored)
      do {
        unlocked.append(try key.unlock(passphrase: credential.passphrase))
      } catch .wrongPassphrase {
        let at = now()
        let count = try transaction { () throws(DocketError) in
          let count = try store {
            try keys.recordFailure(
              login, limit: Self.failuresBeforeLock, lockUntil: at.addingTimeInterval(Self.lockDuration))
          }
          try journal(
            item: item, actor: actor.login,
            .custodianRefused(custodian: login, act: act, why: "wrong passphrase (\(count) in a row)"), at: at
          )
          return count
        }
        let left = Self.failuresBeforeLock - count
        throw .refused(
          left > 0
            ? "The passphrase of \(login) is wrong; nothing was opened, and the attempt is journaled. After \(left) more wrong passphrase(s) in a row \(login) is locked for \(Int(Self.lockDuration / 60)) minutes."
            : "The passphrase of \(login) is wrong; nothing was opened, and \(login) is now locked for \(Int(Self.lockDuration / 60)) minutes."
        )
      } catch {
        throw .sealing(error)
      }
    }
    return unlocked
  }

  /// Journals a refused custodian act in a transaction of its own, then refuses with `sentence`.
  func refuse(
    _ custodian: String, act: String, item: Int64?, actor: Staff, why: String, sentence: String
  ) throws(DocketError) -> Never {
    try journalRefusal(custodian, act: act, item: item, actor: actor, why: why)
    throw .refused(sentence)
  }

  /// Journals a refused custodian act in a transaction of its own, which commits though the act
  /// does not. A handler's own database role may journal only about items of their unit (the
  /// journal's row-level security); about anything else it has nothing to record, and the act is
  /// refused all the same.
  func journalRefusal(_ custodian: String, act: String, item: Int64?, actor: Staff, why: String)
    throws(DocketError)
  {
    do {
      _ = try transaction { () throws(DocketError) in
        try journal(
          item: item, actor: actor.login, .custodianRefused(custodian: custodian, act: act, why: why),
          at: now())
      }
    } catch .database(let error) where error.sqlState == SQLState.insufficientPrivilege && !sees(nil, actor) {
      return
    }
  }

  /// After an act the custodians' passphrases opened: their counts of failures start again.
  func clearFailures(_ unlocked: [UnlockedCustodian]) throws(DocketError) {
    let keys = KeyRepository(db)
    for custodian in unlocked { try store { try keys.clearFailures(custodian.login) } }
  }

  func custodianKey(_ stored: StoredCustodian) -> CustodianKey {
    CustodianKey(
      login: stored.login, publicKey: stored.publicKey, salt: stored.salt,
      cost: PassphraseCost(rounds: stored.scrypt.n, blockSize: stored.scrypt.r, parallelism: stored.scrypt.p),
      wrappedPrivateKey: stored.wrappedPrivateKey)
  }

  /// The private half of office key `keyID`, from a wrap that the unlocked custodians open together.
  func officePrivateKey(_ keyID: Int32, with unlocked: [UnlockedCustodian]) throws(DocketError)
    -> OfficePrivateKey
  {
    let present = Set(unlocked.map(\.login))
    let wraps = try store { try KeyRepository(db).wraps(keyID: keyID) }
    guard let wrap = wraps.first(where: { Set($0.custodians).isSubset(of: present) }) else {
      let names = unlocked.map(\.login).joined(separator: " and ")
      throw .refused(
        "The office key has no wrap that \(names) can open together\(wraps.contains { $0.custodians.count == 2 } ? " (the reveal quorum is 2: name a second custodian with --with LOGIN)" : ""); 'docket key status' lists its wraps."
      )
    }
    let keys = unlocked.filter { wrap.custodians.contains($0.login) }
    let fingerprint =
      try store { try KeyRepository(db).officeKeys() }.first { $0.id == keyID }?.fingerprint ?? ""
    do {
      return try OfficeWrap(custodians: wrap.custodians, fingerprint: fingerprint, wrapped: wrap.wrapped)
        .unwrap(
          with: keys)
    } catch { throw .sealing(error) }
  }
}

/// Opens sealed values during one custodian act: each envelope's header is read once, and each
/// office key unwrapped once (a rotation may have left envelopes on the key it retired).
final class Unsealer {
  private let docket: Docket
  private let custodians: [UnlockedCustodian]
  private var keys: [Int32: OfficePrivateKey] = [:]
  private var envelopes: [Int64: Envelope] = [:]

  init(_ docket: Docket, _ custodians: [UnlockedCustodian]) {
    self.docket = docket
    self.custodians = custodians
  }

  /// Reads the headers of the envelopes these values were sealed in, in one statement.
  func prefetch(_ sealed: [[UInt8]]) throws(DocketError) {
    let ids = Set(sealed.compactMap(Envelope.id(of:))).filter { envelopes[$0] == nil }
    guard !ids.isEmpty else { return }
    let headers = try docket.store { try KeyRepository(docket.db).envelopes(ids: Array(ids)) }
    for (id, stored) in headers {
      let key = try officeKey(stored.keyID)
      do { envelopes[id] = try Envelope(id: id, opening: stored.header, with: key) } catch {
        throw .sealing(error)
      }
    }
  }

  func open(_ sealed: [UInt8], context: String) throws(DocketError) -> [UInt8] {
    guard let id = Envelope.id(of: sealed) else {
      throw .refused(
        "This value was sealed with docket's old identity key file and has not been re-sealed to the office key yet; an administrator finishes that with 'docket db migrate'."
      )
    }
    try prefetch([sealed])
    guard let envelope = envelopes[id] else {
      throw .sealing(.doesNotOpen("a sealed value (its envelope \(id) is missing)"))
    }
    do { return try envelope.open(sealed, context: context) } catch { throw .sealing(error) }
  }

  func identity(_ sealed: [UInt8], ref: String) throws(DocketError) -> ReporterIdentity {
    let plain = try open(sealed, context: SealedContext.identity(ref))
    do { return try JSONDecoder().decode(ReporterIdentity.self, from: Data(plain)) } catch {
      throw .sealing(.malformed("the sealed identity of \(ref)"))
    }
  }

  func officeKey(_ id: Int32) throws(DocketError) -> OfficePrivateKey {
    if let key = keys[id] { return key }
    let key = try docket.officePrivateKey(id, with: custodians)
    keys[id] = key
    return key
  }
}
