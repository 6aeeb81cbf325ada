import DocketCore
import DocketStore
import Foundation

/// What `docket key status` shows: the key in use, who holds it, and what a rotation left.
public struct KeyStatus: Sendable {
  public struct Custodian: Sendable {
    public var login: String
    public var name: String
    public var addedAt: Date
    public var passphraseSetAt: Date
    public var failedAttempts: Int
    public var lockedUntil: Date?
  }
  public struct Wrap: Sendable {
    public var custodians: [String]
    public var createdAt: Date
  }
  public struct Retired: Sendable {
    public var fingerprint: String
    public var retiredAt: Date?
    /// Envelopes still sealed to it: a rotation to finish with 'docket key rotate'.
    public var envelopes: Int
  }
  public var fingerprint: String?
  public var revealQuorum: Int?
  public var createdAt: Date?
  public var custodians: [Custodian]
  public var wraps: [Wrap]
  public var envelopes: Int
  public var retired: [Retired]
  /// Values still sealed with the key file of docket before 0018 ('docket db migrate' re-seals them).
  public var awaitingUpgrade: Int
}

extension Docket {
  /// The office key, its custodians and wraps, for whoever may read the journal (which records
  /// every change of them): nothing here opens anything.
  public func keyStatus(actor login: String?) throws(DocketError) -> KeyStatus {
    try require(try actor(login), .readJournal, "see the office key's custodians")
    let keys = KeyRepository(db)
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let all = try store { try keys.officeKeys() }
      let inUse = all.first { $0.retiredAt == nil }
      let counts = try store { try keys.envelopeCounts() }
      let staff = Dictionary(
        try store { try StaffRepository(db).all() }.map { ($0.login, $0.name) },
        uniquingKeysWith: { a, _ in a })
      return KeyStatus(
        fingerprint: inUse?.fingerprint, revealQuorum: inUse?.revealQuorum, createdAt: inUse?.createdAt,
        custodians: try store { try keys.custodians() }.map {
          KeyStatus.Custodian(
            login: $0.login, name: staff[$0.login] ?? "", addedAt: $0.addedAt,
            passphraseSetAt: $0.passphraseSetAt,
            failedAttempts: $0.failedAttempts, lockedUntil: $0.lockedUntil)
        },
        wraps: try inUse.map { key throws(DocketError) in
          try store { try keys.wraps(keyID: key.id) }.map {
            KeyStatus.Wrap(custodians: $0.custodians, createdAt: $0.createdAt)
          }
        } ?? [],
        envelopes: inUse.flatMap { counts[$0.id] } ?? 0,
        retired: all.filter { $0.retiredAt != nil && (counts[$0.id] ?? 0) > 0 }.map {
          KeyStatus.Retired(
            fingerprint: $0.fingerprint, retiredAt: $0.retiredAt, envelopes: counts[$0.id] ?? 0)
        },
        awaitingUpgrade: try store { try IdentityRepository(db).unsealedToOfficeKey() })
    }
  }

  /// Makes the office's key pair and its first custodian, a leader (whose staff record is made now
  /// if there is none): `docket db init --custodian`. Refused once the office has a key.
  /// Also makes the matching key, unless a database from before 0018 brought its own.
  /// Returns the new key's fingerprint.
  @discardableResult
  public func createOfficeKey(custodian login: String, name: String?, passphrase: String) throws(DocketError)
    -> String
  {
    let (custodian, _) = try newCustodianKey(login, passphrase)
    let office = OfficePrivateKey.generate()
    let wrap: OfficeWrap
    do { wrap = try OfficeWrap.wrap(office, to: [custodian]) } catch { throw .sealing(error) }
    let fingerprint = office.publicKey.fingerprint
    try transaction { () throws(DocketError) in
      try store { try SettingsRepository(db).lockForInitialization() }
      let keys = KeyRepository(db)
      if let existing = try store({ try keys.officeKeyInUse() }) {
        throw .refused(
          "This database has an office key already (\(existing.fingerprint)); a custodian adds another with 'docket key custodian add \(login)'."
        )
      }
      let at = now()
      let staff = StaffRepository(db)
      if let person = try store({ try staff.withLogin(login) }) {
        guard person.active, person.roles.contains(.leader) else {
          throw .refused(
            "\(login) is not an active leader; only a leader may be a custodian of the office key.")
        }
      } else {
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !name.isEmpty else {
          throw .invalid(
            "There is no staff member \(login) yet; give the leader's name with --custodian-name NAME.")
        }
        _ = try store {
          try staff.add(login: login, name: name, roles: [.leader], unitID: nil, databaseRole: nil)
        }
        try journal(
          item: nil, actor: "system",
          .staffAdded(login: login, roles: "leader", unit: nil, databaseRole: nil), at: at)
      }
      let keyID = try store {
        try keys.addOfficeKey(
          fingerprint: fingerprint, publicKey: office.publicKey.rawRepresentation, revealQuorum: 1, at: at)
      }
      try store { try keys.saveCustodian(Self.stored(custodian, at: at)) }
      try store { try keys.addWrap(keyID: keyID, custodians: wrap.custodians, wrapped: wrap.wrapped, at: at) }
      if try store({ try keys.matchingKey() }) == nil {
        try store { try keys.setMatchingKey(MatchingKey.generate(), at: at) }
      }
      try journal(item: nil, actor: "system", .officeKeyCreated(fingerprint: fingerprint, quorum: 1), at: at)
      try journal(item: nil, actor: "system", .custodianAdded(login: login, by: "db init"), at: at)
    }
    return fingerprint
  }

  /// Adds a custodian: custodians present unlock the office key (as many as the quorum), and the
  /// new one, a leader, sets a passphrase. At quorum 2 the new custodian is wrapped with each of
  /// the others, from their public keys.
  public func addCustodian(
    _ login: String, passphrase: String, unlockedBy given: [CustodianPassphrase], actor actorLogin: String?
  ) throws(DocketError) {
    let actor = try actor(actorLogin)
    try requireCustodianAct(actor, given, act: "add custodian", item: nil)
    guard let person = try store({ try StaffRepository(db).withLogin(login) }) else {
      throw .notFound("staff member with login '\(login)'; add the leader with 'docket staff add' first")
    }
    guard person.active, person.roles.contains(.leader) else {
      throw .refused("\(login) is not an active leader; only a leader may be a custodian of the office key.")
    }
    guard try store({ try KeyRepository(db).custodian(login) }) == nil else {
      throw .refused(
        "\(login) is a custodian already; they change their passphrase with 'docket key passphrase'.")
    }
    let unlocked = try unlockCustodians(given, act: "add custodian", actor: actor)
    let (custodian, _) = try newCustodianKey(login, passphrase)
    try transaction { () throws(DocketError) in
      let keys = KeyRepository(db)
      try store { try keys.lockForKeyChange() }
      guard let key = try store({ try keys.lockOfficeKeyInUse() }) else {
        throw .refused("This database has no office key.")
      }
      try requireNoRotationLeft(key)
      let office = try officePrivateKey(key.id, with: unlocked)
      let others = try store { try keys.custodians() }.map(custodianKey)
      let at = now()
      try store { try keys.saveCustodian(Self.stored(custodian, at: at)) }
      let groups = key.revealQuorum == 1 ? [[custodian]] : others.map { [custodian, $0] }
      for group in groups {
        let wrap: OfficeWrap
        do throws(SealingError) { wrap = try OfficeWrap.wrap(office, to: group) } catch {
          throw .sealing(error)
        }
        try store {
          try keys.addWrap(keyID: key.id, custodians: wrap.custodians, wrapped: wrap.wrapped, at: at)
        }
      }
      try clearFailures(unlocked)
      try journal(
        item: nil, actor: actor.login,
        .custodianAdded(login: login, by: given.map(\.login).joined(separator: ",")),
        at: at)
    }
  }

  /// Removes a custodian and every wrap that names them; refused for the last one (or, at quorum
  /// 2, for one of the last two). Their wraps copied before still open the current key: the
  /// command line says to rotate it.
  public func removeCustodian(_ login: String, actor actorLogin: String?) throws(DocketError) {
    let actor = try actor(actorLogin)
    try require(
      actor, .revealIdentity, "remove a custodian of the office key; a leader who is a custodian must")
    try requireInPerson(actor, "remove a custodian of the office key")
    try transaction { () throws(DocketError) in
      let keys = KeyRepository(db)
      try store { try keys.lockForKeyChange() }
      let custodians = try store { try keys.custodians() }
      guard custodians.contains(where: { $0.login == actor.login }) else {
        throw .refused("\(actor.login) is not a custodian; only a custodian removes another.")
      }
      guard custodians.contains(where: { $0.login == login }) else {
        throw .notFound("custodian \(login); 'docket key status' lists them")
      }
      let quorum = try store { try keys.officeKeyInUse() }?.revealQuorum ?? 1
      guard custodians.count - 1 >= quorum else {
        throw .refused(
          custodians.count == 1
            ? "\(login) is the last custodian; without one nobody could ever open what is sealed. Add another with 'docket key custodian add' first."
            : "The reveal quorum is \(quorum), so \(quorum) custodians must remain; add another first, or lower the quorum with 'docket policy set reveal_quorum 1'."
        )
      }
      try store { try keys.removeCustodian(login) }
      try journal(item: nil, actor: actor.login, .custodianRemoved(login: login), at: now())
    }
  }

  /// A custodian changes their own passphrase: their private key is sealed again under the new
  /// one. Nothing else changes; no other custodian is needed.
  public func changePassphrase(old: String, new: String, actor actorLogin: String?) throws(DocketError) {
    let actor = try actor(actorLogin)
    try requireInPerson(actor, "change a custodian's passphrase")
    let given = [CustodianPassphrase(login: actor.login, passphrase: old)]
    let unlocked = try unlockCustodians(given, act: "change passphrase", actor: actor, quorum: 1)
    try Self.checkNew(new)
    let resealed: CustodianKey
    do { resealed = try unlocked[0].sealed(under: new, cost: passphraseCost) } catch { throw .sealing(error) }
    try transaction { () throws(DocketError) in
      let keys = KeyRepository(db)
      guard let stored = try store({ try keys.custodian(actor.login) }) else {
        throw .refused("\(actor.login) is no longer a custodian.")
      }
      let at = now()
      var record = Self.stored(resealed, at: at)
      record.addedAt = stored.addedAt
      try store { try keys.saveCustodian(record) }
      try journal(item: nil, actor: actor.login, .custodianPassphraseChanged(login: actor.login), at: at)
    }
  }

  func newCustodianKey(_ login: String, _ passphrase: String) throws(DocketError) -> (
    CustodianKey, UnlockedCustodian
  ) {
    try Self.checkNew(passphrase)
    do { return try CustodianKey.create(login: login, passphrase: passphrase, cost: passphraseCost) } catch {
      throw .sealing(error)
    }
  }

  /// A new passphrase long enough to be worth scrypt's cost.
  static func checkNew(_ passphrase: String) throws(DocketError) {
    guard passphrase.count >= 10 else {
      throw .invalid(
        "A custodian's passphrase must be at least 10 characters (a few words, or a line of Chinese); it guards every reporter's identity."
      )
    }
  }

  static func stored(_ key: CustodianKey, at: Date) -> StoredCustodian {
    StoredCustodian(
      login: key.login, publicKey: key.publicKey, salt: key.salt,
      scrypt: (key.cost.rounds, key.cost.blockSize, key.cost.parallelism),
      wrappedPrivateKey: key.wrappedPrivateKey,
      addedAt: at, passphraseSetAt: at)
  }

  /// Refuses while a rotation has left envelopes on a retired key: they need its wraps, which a
  /// change of custodians would not touch.
  func requireNoRotationLeft(_ key: StoredOfficeKey) throws(DocketError) {
    guard try store({ try KeyRepository(db).envelopeCount(notOn: key.id) }) == 0 else {
      throw .refused("A key rotation is unfinished; finish it with 'docket key rotate' first.")
    }
  }
}
